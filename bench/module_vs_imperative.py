"""Symbolic executor (``mx.mod.Module``) vs imperative ``mx.nd`` + autograd, same run.

Two models, each trained both ways with the same operators and the same SGD step
(``sgd_update``, lr 0.1, rescale 1/batch):

* MLP 784-128-64-10, relu, ``SoftmaxOutput``, batch 64;
* LeNet (conv5x5x20-tanh-pool, conv5x5x50-tanh-pool, fc500-tanh, fc10), batch 32.

Reported per model and mode (``train``: forward + backward + update; ``infer``:
forward only, ``is_train=False``): samples/s (median of ``--repeats`` timed blocks
of ``--steps`` steps, after warm-up), peak traced memory over one step
(``tracemalloc``: Python-visible allocations, NumPy buffers included), and the
ratio Module / imperative (speed > 1: the executor is faster; memory < 1: it
needs less). Timing runs without tracemalloc; memory is measured separately.

    python bench/module_vs_imperative.py [--steps 20] [--repeats 5] [--json out.json]

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
def _speed(step, batch_size, steps, repeats):
    for _ in range(3):
        step()
    nd.waitall()
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            out = step()
        out.wait_to_read()
        rates.append(steps * batch_size / (time.perf_counter() - t0))
    return statistics.median(rates)


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
    a, b = ModuleRunner(name), ImperativeRunner(name)
    np.testing.assert_allclose(a.train_step().asnumpy(), b.train_step().asnumpy(),
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(a.infer_step().asnumpy(), b.infer_step().asnumpy(),
                               rtol=1e-4, atol=1e-5)


def run(models, steps, repeats):
    rows = []
    for name in models:
        _check_same(name)
        for mode in ("train", "infer"):
            res = {}
            for kind, cls in (("module", ModuleRunner), ("imperative", ImperativeRunner)):
                runner = cls(name)
                step = getattr(runner, f"{mode}_step")
                res[kind] = (_speed(step, runner.batch_size, steps, repeats), _peak(step))
            rows.append({"model": name, "mode": mode,
                         "module_samples_s": res["module"][0],
                         "imperative_samples_s": res["imperative"][0],
                         "speed_ratio": res["module"][0] / res["imperative"][0],
                         "module_peak_mb": res["module"][1] / 2**20,
                         "imperative_peak_mb": res["imperative"][1] / 2**20,
                         "memory_ratio": res["module"][1] / max(res["imperative"][1], 1)})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="mlp,lenet")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", default=None, help="also write the rows here")
    args = ap.parse_args()
    rows = run(args.models.split(","), args.steps, args.repeats)
    head = (f"{'model':6} {'mode':5} {'module/s':>10} {'imperative/s':>13} {'speed x':>8} "
            f"{'module MB':>10} {'imper. MB':>10} {'mem x':>6}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['model']:6} {r['mode']:5} {r['module_samples_s']:10.0f} "
              f"{r['imperative_samples_s']:13.0f} {r['speed_ratio']:8.2f} "
              f"{r['module_peak_mb']:10.2f} {r['imperative_peak_mb']:10.2f} "
              f"{r['memory_ratio']:6.2f}")
    print("speed x = Module samples/s / imperative samples/s (> 1: executor faster); "
          "mem x = peak traced memory Module / imperative (< 1: executor smaller)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
