"""One optimizer step over a ResNet-18-sized parameter set: mx.optimizer vs torch.optim.

The 62 trainable parameters of gluon's ``resnet18_v1`` (11.7M float32 values) get one
update per step, as ``gluon.Trainer`` does it (one ``Updater`` call with every index):

* ``sgd_mom``  SGD, lr 0.1, momentum 0.9, wd 1e-4
* ``adam``     Adam, lr 1e-3, wd 1e-4

Columns: whatever ``import mxnet`` resolves to (mx-core here); PyTorch's ``torch.optim``
with the same settings, as it runs by default on CPU (a loop over the parameters) and with
``foreach=True`` (multi-tensor kernels); real MXNet 1.9.1. PyTorch runs in this
interpreter if it imports torch, else in ``TORCH_PYTHON`` (as bench/run.py finds it);
real MXNet in ``REAL_MXNET_PYTHON``; this script re-runs itself there (``--only``).
A column whose interpreter is missing is skipped. Prints ms/step and the ratio to mx-core
(> 1: mx-core faster).

    TORCH_PYTHON=/tmp/torchvenv/bin/python REAL_MXNET_PYTHON=/work/ref/bin/python \
        python bench/optimizer_step.py [--repeats 15] [--threads 1]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def resnet18_v1_shapes(classes=1000):
    """The shapes of resnet18_v1's trainable parameters, in gluon's order."""
    shapes = [(64, 3, 7, 7), (64,), (64,)]
    in_ch = 64
    for stage, ch in enumerate((64, 128, 256, 512)):
        for block in range(2):
            down = stage > 0 and block == 0
            shapes += [(ch, in_ch, 3, 3), (ch,), (ch,), (ch, ch, 3, 3), (ch,), (ch,)]
            if down:
                shapes += [(ch, in_ch, 1, 1), (ch,), (ch,)]
            in_ch = ch
    return shapes + [(classes, 512), (classes,)]


CONFIGS = {"sgd_mom": ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-4}),
           "adam": ("adam", {"learning_rate": 1e-3, "wd": 1e-4})}


def _median_ms(step, repeats):
    step()
    step()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def time_mx(shapes, repeats):
    import mxnet as mx
    rng = np.random.default_rng(0)
    out = {}
    for key, (name, kwargs) in CONFIGS.items():
        weights = [mx.nd.array(rng.standard_normal(s, dtype=np.float32)) for s in shapes]
        grads = [mx.nd.array(rng.standard_normal(s, dtype=np.float32) * 1e-3)
                 for s in shapes]
        updater = mx.optimizer.get_updater(mx.optimizer.create(name, **kwargs))
        indices = list(range(len(shapes)))

        def step():
            updater(indices, grads, weights)
            mx.nd.waitall()
        out[key] = _median_ms(step, repeats)
    return out


def time_torch(shapes, repeats, foreach=None):
    import torch
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    rng = np.random.default_rng(0)
    out = {}
    for key, (name, kwargs) in CONFIGS.items():
        params = [torch.nn.Parameter(torch.from_numpy(rng.standard_normal(s, dtype=np.float32)))
                  for s in shapes]
        for p in params:
            p.grad = torch.from_numpy(rng.standard_normal(p.shape, dtype=np.float32) * 1e-3)
        lr, wd = kwargs["learning_rate"], kwargs["wd"]
        opt = torch.optim.SGD(params, lr=lr, momentum=kwargs["momentum"], weight_decay=wd,
                              foreach=foreach) \
            if name == "sgd" else torch.optim.Adam(params, lr=lr, weight_decay=wd,
                                                   foreach=foreach)
        out[key] = _median_ms(opt.step, repeats)
    return out


def time_torch_foreach(shapes, repeats):
    return time_torch(shapes, repeats, foreach=True)


ONLY = {"mx": time_mx, "torch": time_torch, "torch-foreach": time_torch_foreach}


def _imports(python, module):
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


def elsewhere(what, python, repeats):
    """Runs ``time_<what>`` in interpreter ``python`` (None: skipped)."""
    if not python:
        return None
    res = subprocess.run([python, __file__, "--only", what, "--repeats", str(repeats)],
                         capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(res.stdout.strip().splitlines()[-1])


def torch_python():
    for python in (sys.executable, os.environ.get("TORCH_PYTHON")):
        if python and os.path.exists(python) and _imports(python, "torch"):
            return python
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1,
                        help="OpenMP/BLAS threads of torch and real MXNet (default 1: mx-core's "
                             "updates are single-threaded NumPy, and a busy machine makes "
                             "spinning OpenMP threads meaningless; 0 leaves them alone)")
    parser.add_argument("--only", choices=sorted(ONLY), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads > 0 and not args.only:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    shapes = resnet18_v1_shapes()
    if args.only:
        print(json.dumps(ONLY[args.only](shapes, args.repeats)))
        return
    n = sum(int(np.prod(s)) for s in shapes)
    print(f"ResNet-18 v1 parameter set: {len(shapes)} arrays, {n / 1e6:.2f}M floats")
    torch = torch_python()
    cols = {"mx-core": time_mx(shapes, args.repeats),
            "torch.optim": elsewhere("torch", torch, args.repeats),
            "torch foreach": elsewhere("torch-foreach", torch, args.repeats),
            "real MXNet 1.9.1": elsewhere("mx", os.environ.get("REAL_MXNET_PYTHON"),
                                          args.repeats)}
    cols = {k: v for k, v in cols.items() if v is not None}
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}; torch from "
          f"{torch or '(none)'}")
    header = f"{'optimizer':<10}" + "".join(f"{k:>20}" for k in cols)
    print(header + "   (ms/step; ratio = other / mx-core, >1 means mx-core is faster)")
    for key in CONFIGS:
        ours = cols["mx-core"][key]
        cells = [f"{ours:>17.2f} ms"]
        for name, res in cols.items():
            if name != "mx-core":
                cells.append(f"{res[key]:>9.2f} ms ({res[key] / ours:4.2f}x)")
        print(f"{key:<10}" + "".join(f"{c:>20}" for c in cells))
    if "torch.optim" not in cols:
        print("(no interpreter with torch: set TORCH_PYTHON; its columns are skipped)")


if __name__ == "__main__":
    sys.exit(main())
