"""Imperative dispatch cost: µs per operator call on tiny arrays, beside NumPy and PyTorch.

Measures, on shape (10,) float32, in one process and one run:

* ``add``         ``c = a + b``
* ``add_record``  the same under ``autograd.record()`` with ``a.attach_grad()``
* ``chain10``     ten different small ops in a row (binary, scalar, unary), per op

for mx-core (whatever ``import mxnet`` resolves to), NumPy's own ``a + b`` (and the
same chain in NumPy) and ``torch.add`` (when torch imports). Ratios are against
NumPy. Targets: mx ≤ 8x NumPy without recording, ≤ 12x recorded.

    python bench/dispatch.py [--n 20000] [--repeats 7] [--check]

``--check`` exits 1 when a target is missed (for a manual gate, never a test).
"""
import argparse
import statistics
import sys
import time

import numpy as np

TARGETS = {"add": 8.0, "add_record": 12.0, "chain10": 8.0}


def _time_per_op(run, ops, repeats):
    """Median µs per op over ``repeats`` samples, after one warm-up."""
    run()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) / ops * 1e6)
    return statistics.median(samples)


def numpy_workloads(n):
    rng = np.random.default_rng(0)
    a, b = rng.random(10, dtype=np.float32), rng.random(10, dtype=np.float32)

    def add():
        for _ in range(n):
            c = a + b
        return c

    def chain10():
        for _ in range(n // 10):
            c = a + b
            c = c * b
            c = c - a
            c = np.maximum(c, 0)
            c = 1 / (1 + np.exp(-c))
            c = np.tanh(c)
            c = c * 2.0
            c = c + 1.0
            c = np.sqrt(c)
            c = np.square(c)
        return c
    return {"add": add, "add_record": add, "chain10": chain10}


def mxnet_workloads(n):
    import mxnet as mx
    from mxnet import autograd, nd
    rng = np.random.default_rng(0)
    a = nd.array(rng.random(10, dtype=np.float32))
    b = nd.array(rng.random(10, dtype=np.float32))
    ar = a.copy()
    ar.attach_grad()

    def add():
        for _ in range(n):
            c = a + b
        nd.waitall()
        return c

    def add_record():
        with autograd.record():
            for _ in range(n):
                c = ar + b
        nd.waitall()
        return c

    def chain10():
        for _ in range(n // 10):
            c = a + b
            c = c * b
            c = c - a
            c = nd.relu(c)
            c = nd.sigmoid(c)
            c = nd.tanh(c)
            c = c * 2.0
            c = c + 1.0
            c = nd.sqrt(c)
            c = nd.square(c)
        nd.waitall()
        return c
    return {"add": add, "add_record": add_record, "chain10": chain10}, mx


def torch_workloads(n):
    try:
        import torch
    except ImportError:
        return None, None
    torch.set_num_threads(1)
    a, b = torch.rand(10), torch.rand(10)
    ar = a.clone().requires_grad_(True)

    def add():
        for _ in range(n):
            c = torch.add(a, b)
        return c

    def add_record():
        for _ in range(n):
            c = torch.add(ar, b)
        return c

    def chain10():
        for _ in range(n // 10):
            c = a + b
            c = c * b
            c = c - a
            c = torch.relu(c)
            c = torch.sigmoid(c)
            c = torch.tanh(c)
            c = c * 2.0
            c = c + 1.0
            c = torch.sqrt(c)
            c = torch.square(c)
        return c
    return {"add": add, "add_record": add_record, "chain10": chain10}, torch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="ops per sample")
    parser.add_argument("--repeats", type=int, default=7, help="timed samples")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    systems = {"numpy": numpy_workloads(args.n)}
    mx_loads, mx = mxnet_workloads(args.n)
    systems["mxnet"] = mx_loads
    torch_loads, torch = torch_workloads(args.n)
    if torch_loads is not None:
        systems["torch"] = torch_loads
    results = {}
    # interleave systems per workload so machine noise hits all of them alike
    for name in TARGETS:
        for system, loads in systems.items():
            results[system, name] = _time_per_op(loads[name], args.n, args.repeats)

    versions = f"numpy {np.__version__}, mxnet {mx.__version__} ({mx.__file__})"
    if torch is not None:
        versions += f", torch {torch.__version__}"
    print(f"dispatch cost, shape (10,) float32, µs per op (median of {args.repeats}); "
          f"{versions}")
    header = ["workload", "numpy", "mxnet", "torch", "mxnet/numpy", "target", "ok"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    missed = []
    for name, target in TARGETS.items():
        base, ours = results["numpy", name], results["mxnet", name]
        theirs = results.get(("torch", name))
        ratio = ours / base
        ok = ratio <= target
        if not ok:
            missed.append(name)
        row = [name, f"{base:.3f}", f"{ours:.3f}",
               "-" if theirs is None else f"{theirs:.3f}", f"{ratio:.1f}x",
               f"<= {target:.0f}x", "yes" if ok else "NO"]
        print("| " + " | ".join(row) + " |")
    print("(numpy has no tape: its add_record column is the plain add; torch's records "
          "through requires_grad)")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
