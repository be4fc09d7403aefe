"""Symbolic executor (``mx.mod.Module``) vs imperative ``mx.nd`` + autograd, same run.

Two models, each trained three ways with the same operators and plain SGD (lr 0.1,
rescale 1/batch): through ``mx.mod.Module``, through the bound executor directly
(``simple_bind``, ``forward``/``backward``, Module's optimizer), and imperatively
(``mx.nd`` + ``autograd.record``, ``sgd_update(w, g, out=w)`` by hand, which
allocates one temporary per parameter). The models:

* MLP 784-128-64-10, relu, ``SoftmaxOutput``, batch 64;
* LeNet (conv5x5x20-tanh-pool, conv5x5x50-tanh-pool, fc500-tanh, fc10), batch 32.

Reported per model and mode (``train``: forward + backward + update; ``infer``:
forward only, ``is_train=False``): samples/s (median of ``--repeats`` timed blocks
of ``--steps`` steps after warm-up, the runners' blocks interleaved), peak traced
memory over one step
(``tracemalloc``: Python-visible allocations, NumPy buffers included), and the
ratios Module / imperative and executor / imperative (speed > 1: faster; memory
< 1: less). Timing runs without tracemalloc; memory is measured separately. With
other processes on the machine, ``OMP_NUM_THREADS=1`` gives steadier numbers.

    python bench/module_vs_imperative.py [--steps 20] [--repeats 9] [--json out.json]

Numbers are indicative: the machine may be shared.
"""
import argparse
import json
import statistics
import time
import tracemalloc

import numpy as np

import mxnet as mx
from mxnet import autograd, nd

LR = 0.1
CTX = mx.cpu()


# -- the models, written once for F = mx.sym and F = mx.nd --------------------------
def mlp(F, x, p, label):
    h = F.Activation(F.FullyConnected(x, p["fc1_weight"], p["fc1_bias"], num_hidden=128,
                                      name="fc1"), act_type="relu", name="relu1")
    h = F.Activation(F.FullyConnected(h, p["fc2_weight"], p["fc2_bias"], num_hidden=64,
                                      name="fc2"), act_type="relu", name="relu2")
    h = F.FullyConnected(h, p["fc3_weight"], p["fc3_bias"], num_hidden=10, name="fc3")
    return F.SoftmaxOutput(h, label, name="softmax")


def lenet(F, x, p, label):
    h = F.Convolution(x, p["conv1_weight"], p["conv1_bias"], kernel=(5, 5), num_filter=20,
                      name="conv1")
    h = F.Pooling(F.Activation(h, act_type="tanh"), pool_type="max", kernel=(2, 2),
                  stride=(2, 2))
    h = F.Convolution(h, p["conv2_weight"], p["conv2_bias"], kernel=(5, 5), num_filter=50,
                      name="conv2")
    h = F.Pooling(F.Activation(h, act_type="tanh"), pool_type="max", kernel=(2, 2),
                  stride=(2, 2))
    h = F.Activation(F.FullyConnected(F.Flatten(h), p["fc1_weight"], p["fc1_bias"],
                                      num_hidden=500, name="fc1"), act_type="tanh")
    h = F.FullyConnected(h, p["fc2_weight"], p["fc2_bias"], num_hidden=10, name="fc2")
    return F.SoftmaxOutput(h, label, name="softmax")


MODELS = {
    "mlp": (mlp, (64, 784), {"fc1_weight": (128, 784), "fc1_bias": (128,),
                             "fc2_weight": (64, 128), "fc2_bias": (64,),
                             "fc3_weight": (10, 64), "fc3_bias": (10,)}),
    "lenet": (lenet, (32, 1, 28, 28), {"conv1_weight": (20, 1, 5, 5), "conv1_bias": (20,),
                                        "conv2_weight": (50, 20, 5, 5),
                                        "conv2_bias": (50,), "fc1_weight": (500, 800),
                                        "fc1_bias": (500,), "fc2_weight": (10, 500),
                                        "fc2_bias": (10,)}),
}


def _init_params(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return {k: (rng.standard_normal(s) * 0.05).astype("float32") for k, s in shapes.items()}


def _batch(data_shape, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(data_shape).astype("float32")
    y = rng.integers(0, 10, data_shape[0]).astype("float32")
    return nd.array(x), nd.array(y)


# -- the two runners -----------------------------------------------------------------
class ModuleRunner:
    def __init__(self, name):
        build, data_shape, shapes = MODELS[name]
        sym = build(mx.sym, mx.sym.var("data"), {k: mx.sym.var(k) for k in shapes},
                    mx.sym.var("softmax_label"))
        self.batch_size = data_shape[0]
        self.mod = mx.mod.Module(sym, data_names=["data"], label_names=["softmax_label"],
                                 context=CTX)
        self.mod.bind(data_shapes=[("data", data_shape)],
                      label_shapes=[("softmax_label", (data_shape[0],))])
        self.mod.init_params(arg_params={k: nd.array(v)
                                         for k, v in _init_params(shapes).items()})
        self.mod.init_optimizer(optimizer="sgd", optimizer_params={
            "learning_rate": LR, "rescale_grad": 1.0 / self.batch_size})
        x, y = _batch(data_shape)
        self.batch = mx.io.DataBatch([x], [y])

    def train_step(self):
        self.mod.forward(self.batch, is_train=True)
        self.mod.backward()
        self.mod.update()
        return self.mod.get_outputs()[0]

    def infer_step(self):
        self.mod.forward(self.batch, is_train=False)
        return self.mod.get_outputs()[0]


class ExecutorRunner:
    """The executor without Module around it: what Module's own bookkeeping costs
    (it casts and copies each batch into the bound arrays) shows as the difference."""

    def __init__(self, name):
        build, data_shape, shapes = MODELS[name]
        sym = build(mx.sym, mx.sym.var("data"), {k: mx.sym.var(k) for k in shapes},
                    mx.sym.var("softmax_label"))
        self.batch_size = data_shape[0]
        reqs = {k: "write" for k in shapes}
        self.exe = sym.simple_bind(CTX, grad_req=reqs, data=data_shape,
                                   softmax_label=(data_shape[0],))
        for k, v in _init_params(shapes).items():
            self.exe.arg_dict[k][:] = v
        x, y = _batch(data_shape)
        self.exe.arg_dict["data"][:] = x
        self.exe.arg_dict["softmax_label"][:] = y
        self.params = [(self.exe.arg_dict[k], self.exe.grad_dict[k]) for k in shapes]
        # the optimizer Module uses (it updates in place: no temporary per parameter)
        self.updater = mx.optimizer.get_updater(mx.optimizer.SGD(
            learning_rate=LR, rescale_grad=1.0 / self.batch_size))

    def train_step(self):
        out = self.exe.forward(is_train=True)[0]
        self.exe.backward()
        for i, (w, g) in enumerate(self.params):
            self.updater(i, g, w)
        return out

    def infer_step(self):
        return self.exe.forward(is_train=False)[0]


class ImperativeRunner:
    def __init__(self, name):
        self.build, data_shape, shapes = MODELS[name]
        self.batch_size = data_shape[0]
        self.params = {k: nd.array(v) for k, v in _init_params(shapes).items()}
        for p in self.params.values():
            p.attach_grad()
        self.x, self.y = _batch(data_shape)

    def train_step(self):
        with autograd.record():
            out = self.build(nd, self.x, self.params, self.y)
        out.backward()
        for p in self.params.values():
            nd.sgd_update(p, p.grad, out=p, lr=LR, rescale_grad=1.0 / self.batch_size)
        return out

    def infer_step(self):
        return self.build(nd, self.x, self.params, self.y)


# -- measuring -----------------------------------------------------------------------
def _speeds(steps_by_kind, batch_size, steps, repeats):
    """Samples/s per runner: timed blocks interleaved (ABAB..., order flipped each
    repeat) so load from other processes hits both alike; median per runner."""
    for step in steps_by_kind.values():
        for _ in range(3):
            step()
    nd.waitall()
    rates = {kind: [] for kind in steps_by_kind}
    kinds = list(steps_by_kind)
    for rep in range(repeats):
        for kind in (kinds if rep % 2 == 0 else kinds[::-1]):
            step = steps_by_kind[kind]
            t0 = time.perf_counter()
            for _ in range(steps):
                out = step()
            out.wait_to_read()
            rates[kind].append(steps * batch_size / (time.perf_counter() - t0))
    return {kind: statistics.median(r) for kind, r in rates.items()}


def _peak(step):
    step()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = step()
    out.wait_to_read()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def _check_same(name):
    """Both runners start from the same parameters: their first outputs must agree."""
    a, b, c = ModuleRunner(name), ExecutorRunner(name), ImperativeRunner(name)
    want = c.train_step().asnumpy()
    for runner in (a, b):
        np.testing.assert_allclose(runner.train_step().asnumpy(), want, rtol=1e-4,
                                   atol=1e-5)
    want = c.infer_step().asnumpy()            # after one update each: same weights
    for runner in (a, b):
        np.testing.assert_allclose(runner.infer_step().asnumpy(), want, rtol=1e-4,
                                   atol=1e-5)


def run(models, steps, repeats):
    rows = []
    for name in models:
        _check_same(name)
        for mode in ("train", "infer"):
            runners = {"module": ModuleRunner(name), "executor": ExecutorRunner(name),
                       "imperative": ImperativeRunner(name)}
            batch = runners["module"].batch_size
            steps_by_kind = {k: getattr(r, f"{mode}_step") for k, r in runners.items()}
            speed = _speeds(steps_by_kind, batch, steps, repeats)
            res = {k: (speed[k], _peak(step)) for k, step in steps_by_kind.items()}
            row = {"model": name, "mode": mode}
            for kind, (rate, peak) in res.items():
                row[f"{kind}_samples_s"] = rate
                row[f"{kind}_peak_mb"] = peak / 2**20
            for kind in ("module", "executor"):
                row[f"{kind}_speed_ratio"] = res[kind][0] / res["imperative"][0]
                row[f"{kind}_memory_ratio"] = res[kind][1] / max(res["imperative"][1], 1)
            rows.append(row)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="mlp,lenet")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--json", default=None, help="also write the rows here")
    args = ap.parse_args()
    rows = run(args.models.split(","), args.steps, args.repeats)
    head = (f"{'model':6} {'mode':5} {'samples/s: module':>18} {'executor':>9} "
            f"{'imperative':>10} | {'peak MB: module':>16} {'executor':>9} "
            f"{'imperative':>10} | {'speed x mod/exe':>15} | {'mem x mod/exe':>13}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['model']:6} {r['mode']:5} {r['module_samples_s']:18.0f} "
              f"{r['executor_samples_s']:9.0f} {r['imperative_samples_s']:10.0f} | "
              f"{r['module_peak_mb']:16.2f} {r['executor_peak_mb']:9.2f} "
              f"{r['imperative_peak_mb']:10.2f} | {r['module_speed_ratio']:6.2f} / "
              f"{r['executor_speed_ratio']:6.2f} | {r['module_memory_ratio']:5.2f} / "
              f"{r['executor_memory_ratio']:5.2f}")
    print("speed x = samples/s over the imperative path's (> 1: faster); mem x = peak "
          "traced memory over the imperative path's (< 1: smaller)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
