"""The operator benchmarks of ops_mx.py in PyTorch (CPU): same names, sizes and FLOPs."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import _harness as H  # noqa: E402
from ops_sizes import OPS, conv_out, op_flops  # noqa: E402

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count()))
R = {}


def workload(fn):
    R[fn.__name__] = fn
    return fn


def _rand(*shape, grad=True):
    return (torch.rand(*shape) * 2 - 1).requires_grad_(grad)


def _fwd_bwd_spec(name, fwd, inputs, out_shape, repeats=7):
    ograd = _rand(*out_shape, grad=False)

    def run():
        for a in inputs:
            a.grad = None
        fwd(*inputs).backward(ograd)
    return H.Spec(run, 1, "ms/iter", warmup=2, repeats=repeats,
                  flops=op_flops(name))


def _conv(name):
    s = OPS[name]
    n, c, h, o, k = s["batch"], s["cin"], s["hw"], s["cout"], s["k"]
    ho = conv_out(h, k, s["stride"], s["pad"])

    def fwd(x, w, b):
        return F.conv2d(x, w, b, stride=s["stride"], padding=s["pad"])
    return _fwd_bwd_spec(name, fwd, [_rand(n, c, h, h), _rand(o, c, k, k), _rand(o)],
                         (n, o, ho, ho))


@workload
def op_conv_lenet():
    return _conv("op_conv_lenet")


@workload
def op_conv_resnet3x3():
    return _conv("op_conv_resnet3x3")


@workload
def op_fc1024():
    s = OPS["op_fc1024"]
    inputs = [_rand(s["batch"], s["in"]), _rand(s["out"], s["in"]), _rand(s["out"])]
    return _fwd_bwd_spec("op_fc1024", F.linear, inputs, (s["batch"], s["out"]),
                         repeats=20)


@workload
def op_batchnorm():
    n, c, h = OPS["op_batchnorm"]["shape"][:3]
    mean, var = torch.zeros(c), torch.ones(c)

    def fwd(x, gamma, beta):
        return F.batch_norm(x, mean, var, gamma, beta, training=True, eps=1e-3)
    return _fwd_bwd_spec("op_batchnorm", fwd, [_rand(n, c, h, h), _rand(c), _rand(c)],
                         (n, c, h, h))


@workload
def op_pooling():
    s = OPS["op_pooling"]
    n, c, h = s["shape"][:3]
    ho = conv_out(h, s["k"], s["stride"], s["pad"])

    def fwd(x):
        return F.max_pool2d(x, s["k"], s["stride"], s["pad"])
    return _fwd_bwd_spec("op_pooling", fwd, [_rand(n, c, h, h)], (n, c, ho, ho))


@workload
def op_softmax():
    shape = OPS["op_softmax"]["shape"]
    return _fwd_bwd_spec("op_softmax", lambda x: F.softmax(x, dim=-1), [_rand(*shape)],
                         shape, repeats=20)


@workload
def op_rnn_lstm():
    s = OPS["op_rnn_lstm"]
    lstm = torch.nn.LSTM(s["input"], s["hidden"], num_layers=s["layers"])
    x = _rand(s["seq"], s["batch"], s["input"])
    return _fwd_bwd_spec("op_rnn_lstm", lambda x: lstm(x)[0], [x],
                         (s["seq"], s["batch"], s["hidden"]))
