"""NumPy's plain float32 matmul rate at the GEMM shapes of the operator benchmarks.

For each GEMM-like operator of ops_mx.py (same names, same FLOP count) this times
only the three matmuls a forward + backward needs (output, input gradient, weight
gradient; for convolution the im2col shapes, for the LSTM one step's fused gate
GEMM per time step and layer), so the GFLOP/s column is the ceiling a NumPy
implementation can reach at those shapes. Softmax gets a hand-written forward +
backward as the memory-bound floor.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import _harness as H  # noqa: E402
from ops_sizes import OPS, conv_gemm_shape, op_flops  # noqa: E402

R = {}
RNG = np.random.default_rng(0)


def workload(fn):
    R[fn.__name__] = fn
    return fn


def _rand(*shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


def _three_gemms(name, m, k, n, times=1, repeats=7):
    x, w, dy = _rand(m, k), _rand(k, n), _rand(m, n)

    def run():
        for _ in range(times):
            x @ w           # forward
            dy @ w.T        # input gradient
            x.T @ dy        # weight gradient
    return H.Spec(run, 1, "ms/iter", warmup=2, repeats=repeats, flops=op_flops(name),
                  extra={"impl": "numpy matmul only"})


@workload
def op_conv_lenet():
    return _three_gemms("op_conv_lenet", *conv_gemm_shape("op_conv_lenet"))


@workload
def op_conv_resnet3x3():
    return _three_gemms("op_conv_resnet3x3", *conv_gemm_shape("op_conv_resnet3x3"))


@workload
def op_fc1024():
    s = OPS["op_fc1024"]
    return _three_gemms("op_fc1024", s["batch"], s["in"], s["out"], repeats=20)


@workload
def op_rnn_lstm():
    s = OPS["op_rnn_lstm"]
    # every layer here has input == hidden, so one shape covers all steps
    assert s["input"] == s["hidden"]
    return _three_gemms("op_rnn_lstm", s["batch"], 2 * s["hidden"], 4 * s["hidden"],
                        times=s["seq"] * s["layers"])


@workload
def op_softmax():
    x, dy = _rand(*OPS["op_softmax"]["shape"]), _rand(*OPS["op_softmax"]["shape"])

    def run():
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        y = e / e.sum(axis=-1, keepdims=True)
        return y * (dy - (dy * y).sum(axis=-1, keepdims=True))
    return H.Spec(run, 1, "ms/iter", warmup=2, repeats=20,
                  extra={"impl": "numpy by hand"})
