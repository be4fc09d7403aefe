"""Prototype for the Convolution owner: stride-1 convolution as shifted GEMMs (no im2col).

With the padded input as a contiguous (C, N*Hp*Wp) matrix X, the output on the padded
grid is ``Y[:, p] = sum_j W_j @ X[:, p + off_j]`` (``off_j = kh * Wp + kw``): KK GEMMs on
column-offset views, then a crop. The data gradient accumulates ``W_j^T @ G`` into
shifted slices of a padded dX; ``dW_j = G @ X[:, off_j:]^T``. Checks all three against
this project's ``_ops/defs/nn/convolution.py`` helpers on the ResNet-18 3x3 layer of
``ops_sizes.py`` and times both (best of 3, forward + backward). See RESULTS.md.

    OMP_NUM_THREADS=2 python3 bench/proto_conv_shifted.py
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mxnet._ops.defs.nn import convolution as C  # noqa: E402
from ops_sizes import OPS  # noqa: E402

S = OPS["op_conv_resnet3x3"]
N, CIN, H, F, K, P = S["batch"], S["cin"], S["hw"], S["cout"], S["k"], S["pad"]
HP = H + 2 * P
GEOM = ((K, K), (1, 1), (1, 1), (P, P))


def _padded_columns(x):
    xp = np.zeros((CIN, N, HP, HP), np.float32)
    xp[:, :, P:P + H, P:P + H] = x.transpose(1, 0, 2, 3)
    flat = xp.reshape(CIN, -1)
    return flat, flat.shape[1] - ((K - 1) * HP + (K - 1))   # columns every shift can read


def _offsets():
    return [(kh, kw, kh * HP + kw) for kh in range(K) for kw in range(K)]


def shifted_forward(x, w):
    cols, span = _padded_columns(x)
    y = np.zeros((F, cols.shape[1]), np.float32)
    for kh, kw, off in _offsets():
        y[:, :span] += w[:, :, kh, kw] @ cols[:, off:off + span]
    return y.reshape(F, N, HP, HP)[:, :, :H, :H].transpose(1, 0, 2, 3)


def shifted_backward(x, w, g):
    cols, span = _padded_columns(x)
    gp = np.zeros((F, N, HP, HP), np.float32)
    gp[:, :, :H, :H] = g.transpose(1, 0, 2, 3)
    gp = gp.reshape(F, -1)[:, :span]
    dcols, dw = np.zeros_like(cols), np.empty_like(w)
    for kh, kw, off in _offsets():
        dcols[:, off:off + span] += w[:, :, kh, kw].T @ gp
        dw[:, :, kh, kw] = gp @ cols[:, off:off + span].T
    dx = dcols.reshape(CIN, N, HP, HP)[:, :, P:P + H, P:P + H].transpose(1, 0, 2, 3)
    return dx, dw


def current(x, w, g):
    return (C.conv_forward(np, x, w, 1, *GEOM),
            C.conv_grad_data(np, g, w, x.shape, 1, *GEOM),
            C.conv_grad_weight(np, g, x, w.shape, 1, *GEOM))


def best_ms(fn, n=3):
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, CIN, H, H), dtype=np.float32)
    w = rng.standard_normal((F, CIN, K, K), dtype=np.float32)
    g = rng.standard_normal((N, F, H, H), dtype=np.float32)
    y, dx, dw = current(x, w, g)
    assert np.allclose(shifted_forward(x, w), y, rtol=1e-3, atol=1e-3)
    sdx, sdw = shifted_backward(x, w, g)
    assert np.allclose(sdx, dx, rtol=1e-3, atol=1e-2)
    assert np.allclose(sdw, dw, rtol=1e-3, atol=1e-1)
    ours = best_ms(lambda: current(x, w, g))
    proto = best_ms(lambda: (shifted_forward(x, w), shifted_backward(x, w, g)))
    print("fwd+bwd ms (best of 3): im2col (current) %.1f, shifted GEMM %.1f" % (ours, proto))


if __name__ == "__main__":
    main()
