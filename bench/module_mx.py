"""The same MLP and LeNet trained through ``mx.mod.Module`` and through ``mx.nd`` + autograd.

Both variants build the network from one function with the same operators
(FullyConnected, Activation, Convolution, Pooling, SoftmaxOutput) and update with
``sgd_update``, so the difference is the executor (bound symbolic graph) versus
imperative dispatch + the autograd tape. Public MXNet 1.x API only.

Each record also carries ``tracemalloc_peak_mb`` (peak of Python-visible
allocations, NumPy buffers included, over one training step after the timed
samples: the real MXNet's C++ buffers are invisible to it) and ``maxrss_mb``
(peak resident set of the whole process; one workload per process).
"""
import os
import sys
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import mxnet as mx  # noqa: E402
from mxnet import autograd, nd  # noqa: E402

import _harness as H  # noqa: E402

CTX = mx.cpu()
LR = 0.01
R = {}


def workload(fn):
    R[fn.__name__] = fn
    return fn


def mlp(F, x, p, label):
    h = F.Activation(F.FullyConnected(x, p["fc1_weight"], p["fc1_bias"], num_hidden=512),
                     act_type="relu")
    h = F.Activation(F.FullyConnected(h, p["fc2_weight"], p["fc2_bias"], num_hidden=512),
                     act_type="relu")
    h = F.FullyConnected(h, p["fc3_weight"], p["fc3_bias"], num_hidden=10)
    return F.SoftmaxOutput(h, label, name="softmax")


def lenet(F, x, p, label):
    def conv_block(h, name, filters):
        h = F.Convolution(h, p[name + "_weight"], p[name + "_bias"], kernel=(5, 5),
                          num_filter=filters)
        h = F.Activation(h, act_type="relu")
        return F.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type="max")
    h = F.Flatten(conv_block(conv_block(x, "conv1", 20), "conv2", 50))
    h = F.Activation(F.FullyConnected(h, p["fc1_weight"], p["fc1_bias"], num_hidden=500),
                     act_type="relu")
    h = F.FullyConnected(h, p["fc2_weight"], p["fc2_bias"], num_hidden=10)
    return F.SoftmaxOutput(h, label, name="softmax")


NETS = {
    "mlp": (mlp, (H.MLP_BATCH, 784), ["fc1", "fc2", "fc3"], 20, H.mlp_fwd_flops),
    "lenet": (lenet, (H.LENET_BATCH, 1, 28, 28), ["conv1", "conv2", "fc1", "fc2"], 10,
              H.lenet_fwd_flops),
}


def _data(shape):
    x = nd.array(np.random.uniform(0, 1, shape).astype("float32"), ctx=CTX)
    y = nd.array(np.random.randint(0, 10, size=shape[0]).astype("float32"), ctx=CTX)
    return x, y


def _memory_probe(step):
    def probe():
        tracemalloc.start()
        step()
        nd.waitall()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {"tracemalloc_peak_mb": peak / 2 ** 20}
    return probe


def _spec(step, shape, steps, flops_fwd, variant):
    def run():
        for _ in range(steps):
            step()
        nd.waitall()
    return H.Spec(run, steps * shape[0], "samples/s", warmup=1, repeats=5,
                  flops=3 * flops_fwd(shape[0]) * steps, probe=_memory_probe(step),
                  extra={"variant": variant})


def _module(name):
    build, shape, layers, steps, flops = NETS[name]
    names = [lay + s for lay in layers for s in ("_weight", "_bias")]
    sym = build(mx.sym, mx.sym.Variable("data"),
                {n: mx.sym.Variable(n) for n in names}, mx.sym.Variable("softmax_label"))
    mod = mx.mod.Module(sym, data_names=("data",), label_names=("softmax_label",),
                        context=CTX)
    mod.bind(data_shapes=[("data", shape)], label_shapes=[("softmax_label", shape[:1])])
    mod.init_params(initializer=mx.init.Xavier())
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": LR})
    x, y = _data(shape)
    batch = mx.io.DataBatch(data=[x], label=[y])

    def step():
        mod.forward_backward(batch)
        mod.update()
    return _spec(step, shape, steps, flops, "module")


def _imperative(name):
    build, shape, layers, steps, flops = NETS[name]
    names = [lay + s for lay in layers for s in ("_weight", "_bias")]
    # infer the parameter shapes from the symbol, as Module does
    sym = build(mx.sym, mx.sym.Variable("data"),
                {n: mx.sym.Variable(n) for n in names}, mx.sym.Variable("softmax_label"))
    arg_shapes, _, _ = sym.infer_shape(data=shape, softmax_label=shape[:1])
    params = {}
    for n, s in zip(sym.list_arguments(), arg_shapes):
        if n in names:
            params[n] = nd.zeros(s, ctx=CTX)
            mx.init.Xavier()(mx.init.InitDesc(n), params[n])
            params[n].attach_grad()
    x, y = _data(shape)

    def step():
        with autograd.record():
            out = build(nd, x, params, y)
        out.backward()
        for p in params.values():
            # not out=p: this project's out= drops an attached leaf's gradient
            # buffer outside autograd.record() (reported); p[:] = keeps it
            p[:] = nd.sgd_update(p, p.grad, lr=LR, rescale_grad=1.0 / shape[0])
    return _spec(step, shape, steps, flops, "imperative")


@workload
def module_mlp_train():
    return _module("mlp")


@workload
def imperative_mlp_train():
    return _imperative("mlp")


@workload
def module_lenet_train():
    return _module("lenet")


@workload
def imperative_lenet_train():
    return _imperative("lenet")
