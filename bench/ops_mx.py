"""Operator benchmarks (the "operator catalog" targets), public MXNet 1.x API only.

Each workload times one forward + backward of a single operator through
``autograd`` (``x.attach_grad()``, ``y.backward(ograd)``), so it runs on the real
MXNet 1.9.1 and on this project alike. ``ops_torch.py`` has the same names in
PyTorch, ``ops_numpy.py`` the plain NumPy float32 matmuls of the same FLOP count.
Sizes live in ``OPS`` below (shared by the three files).

    python suite_mx.py --workloads op_conv_resnet3x3 --repeats 3
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import mxnet as mx  # noqa: E402
from mxnet import autograd, nd  # noqa: E402

import _harness as H  # noqa: E402
from ops_sizes import OPS, conv_out, op_flops  # noqa: E402

CTX = mx.cpu()
R = {}


def workload(fn):
    R[fn.__name__] = fn
    return fn


def _rand(*shape):
    return nd.array(np.random.uniform(-1, 1, shape).astype("float32"), ctx=CTX)


def _fwd_bwd_spec(name, fwd, inputs, out_shape, repeats=7):
    """Spec timing ``fwd(*inputs)`` + backward with a fixed random head gradient."""
    for a in inputs:
        a.attach_grad()
    ograd = _rand(*out_shape)

    def run():
        with autograd.record():
            y = fwd(*inputs)
        y.backward(ograd)
        nd.waitall()
    return H.Spec(run, 1, "ms/iter", warmup=2, repeats=repeats,
                  flops=op_flops(name))


def _conv(name):
    s = OPS[name]
    n, c, h, o, k, stride, pad = (s[key] for key in
                                  ("batch", "cin", "hw", "cout", "k", "stride", "pad"))
    x, w, b = _rand(n, c, h, h), _rand(o, c, k, k), _rand(o)
    ho = conv_out(h, k, stride, pad)

    def fwd(x, w, b):
        return nd.Convolution(x, w, b, kernel=(k, k), stride=(stride, stride),
                              pad=(pad, pad), num_filter=o)
    return _fwd_bwd_spec(name, fwd, [x, w, b], (n, o, ho, ho))


@workload
def op_conv_lenet():
    return _conv("op_conv_lenet")


@workload
def op_conv_resnet3x3():
    return _conv("op_conv_resnet3x3")


@workload
def op_fc1024():
    s = OPS["op_fc1024"]
    x, w, b = _rand(s["batch"], s["in"]), _rand(s["out"], s["in"]), _rand(s["out"])

    def fwd(x, w, b):
        return nd.FullyConnected(x, w, b, num_hidden=s["out"])
    return _fwd_bwd_spec("op_fc1024", fwd, [x, w, b], (s["batch"], s["out"]), repeats=20)


@workload
def op_batchnorm():
    n, c, h = OPS["op_batchnorm"]["shape"][:3]
    x, gamma, beta = _rand(n, c, h, h), _rand(c), _rand(c)
    mean, var = nd.zeros((c,), ctx=CTX), nd.ones((c,), ctx=CTX)

    def fwd(x, gamma, beta):
        return nd.BatchNorm(x, gamma, beta, mean, var, fix_gamma=False)
    return _fwd_bwd_spec("op_batchnorm", fwd, [x, gamma, beta], (n, c, h, h))


@workload
def op_pooling():
    s = OPS["op_pooling"]
    n, c, h = s["shape"][:3]
    x = _rand(n, c, h, h)
    ho = conv_out(h, s["k"], s["stride"], s["pad"])

    def fwd(x):
        return nd.Pooling(x, kernel=(s["k"], s["k"]), stride=(s["stride"],) * 2,
                          pad=(s["pad"],) * 2, pool_type="max")
    return _fwd_bwd_spec("op_pooling", fwd, [x], (n, c, ho, ho))


@workload
def op_softmax():
    shape = OPS["op_softmax"]["shape"]
    x = _rand(*shape)
    return _fwd_bwd_spec("op_softmax", lambda x: nd.softmax(x, axis=-1), [x], shape,
                         repeats=20)


@workload
def op_rnn_lstm():
    s = OPS["op_rnn_lstm"]
    t, n, i, h, layers = s["seq"], s["batch"], s["input"], s["hidden"], s["layers"]
    # packed parameters: per layer W_x (4h x in), W_h (4h x h), then the biases
    nparams = sum(4 * h * ((i if k == 0 else h) + h) + 8 * h for k in range(layers))
    x, params = _rand(t, n, i), _rand(nparams) * 0.05
    h0, c0 = nd.zeros((layers, n, h), ctx=CTX), nd.zeros((layers, n, h), ctx=CTX)

    def fwd(x, params):
        return nd.RNN(x, params, h0, c0, state_size=h, num_layers=layers,
                      mode="lstm", state_outputs=False)
    return _fwd_bwd_spec("op_rnn_lstm", fwd, [x, params], (t, n, h))
