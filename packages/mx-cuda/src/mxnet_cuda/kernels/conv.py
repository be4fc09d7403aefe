"""Convolution and its gradients as im2col + GEMM: one gather, one cuBLAS matmul.

Why im2col over cuBLAS: CuPy 14 has no cuDNN binding and no batched convolution, while
``cupy.matmul`` runs on cuBLAS (tensor cores for float16, float32 accumulation). The
(C*kh*kw, N*H*W) column matrix costs memory, but the GEMM dominates the time and is the
fastest primitive CuPy offers; building the columns is a single ``take`` with a cached
index (see :mod:`.window`), and col2im a single atomic ``scatter_add``.

The layout of the columns is mx-core's (``_ops/defs/nn/convolution.py``): per group a
(C/g * prod(k), N * prod(out)) matrix, so the GEMMs and results are identical.
"""
import math

from mxnet._ops.defs.nn import _window as W
from mxnet._ops.defs.nn import deconvolution as _deconv
from mxnet._ops.defs.nn.convolution import _check_layout, _mm, geometry

from ._xp import accum_dtype, scatter_add
from .window import batched_index


def columns(xp, data, group, k, s, d, p, out_sp=None):
    """im2col of ``data`` (N, C, *S): (group, C/group * prod(k), N * prod(out))."""
    n, c = data.shape[:2]
    if out_sp is None:
        out_sp = tuple(W.out_size(size, kk, ss, pp, dd)
                       for size, kk, ss, pp, dd in zip(data.shape[2:], k, s, p, d))
    xt = W.pad_spatial(xp, data.swapaxes(0, 1), p)              # (C, N, *Sp)
    padded = xt.shape[2:]
    idx = batched_index(xp, n, padded, k, s, d, out_sp)         # (KK * N * P,)
    cols = xp.take(xt.reshape(c, n * math.prod(padded)), idx, axis=1)
    return cols.reshape(group, -1, n * math.prod(out_sp)), out_sp


def col2im(xp, dcols, data_shape, k, s, d, p, out_sp):
    """Adjoint of :func:`columns`: (N, C, *S) sums of the column entries."""
    n, c = data_shape[:2]
    padded = tuple(size + 2 * pp for size, pp in zip(data_shape[2:], p))
    acc = accum_dtype(dcols.dtype)
    dx = xp.zeros((c, n * math.prod(padded)), dtype=acc)
    idx = batched_index(xp, n, padded, k, s, d, out_sp)
    scatter_add(xp, dx, (slice(None), idx), dcols.reshape(c, -1).astype(acc, copy=False))
    dx = W.unpad(dx.reshape((c, n) + padded), p, data_shape[2:])
    return xp.ascontiguousarray(dx.swapaxes(0, 1)).astype(dcols.dtype, copy=False)


def conv_forward(xp, data, weight, group, k, s, d, p, out_sp=None):
    cols, out_sp = columns(xp, data, group, k, s, d, p, out_sp)
    nf = weight.shape[0]
    out = _mm(xp, weight.reshape(group, nf // group, -1), cols)     # (g, F/g, N*P)
    out = out.reshape((nf, data.shape[0]) + out_sp)
    return xp.ascontiguousarray(out.swapaxes(0, 1))


def conv_grad_data(xp, ograd, weight, data_shape, group, k, s, d, p):
    """col2im(W^T G)."""
    nf = weight.shape[0]
    go = ograd.swapaxes(0, 1).reshape(group, nf // group, -1)
    wt = weight.reshape(group, nf // group, -1).swapaxes(1, 2)
    return col2im(xp, _mm(xp, wt, go), data_shape, k, s, d, p, tuple(ograd.shape[2:]))


def conv_grad_weight(xp, ograd, data, weight_shape, group, k, s, d, p):
    """G im2col(X)^T per group."""
    cols, _ = columns(xp, data, group, k, s, d, p, tuple(ograd.shape[2:]))
    nf = weight_shape[0]
    go = ograd.swapaxes(0, 1).reshape(group, nf // group, -1)
    return _mm(xp, go, cols.swapaxes(1, 2)).reshape(weight_shape)


def convolution(xp, data, weight, bias=None, **params):
    """GPU kernel of ``Convolution`` (same parameters and result as mx-core's)."""
    _check_layout("Convolution", params["layout"], len(params["kernel"]))
    k, s, d, p = geometry(params["kernel"], params["stride"], params["dilate"],
                          params["pad"])
    out = conv_forward(xp, data, weight, params["num_group"], k, s, d, p)
    if bias is not None:
        out += bias.reshape((-1,) + (1,) * len(k))
    return out


def backward_convolution(xp, ograd, data, weight, bias=None, **params):
    """GPU kernel of ``_backward_Convolution``: (dX, dW[, db])."""
    k, s, d, p = geometry(params["kernel"], params["stride"], params["dilate"],
                          params["pad"])
    g = params["num_group"]
    if params.get("need_data_grad", True):
        dx = conv_grad_data(xp, ograd, weight, data.shape, g, k, s, d, p)
    else:       # nobody reads it: a zero view, as mx-core's kernel returns
        dx = xp.broadcast_to(xp.zeros((), dtype=ograd.dtype), data.shape)
    dw = conv_grad_weight(xp, ograd, data, weight.shape, g, k, s, d, p)
    return (dx, dw) if params["no_bias"] else (dx, dw, _bias_grad(ograd))


def _bias_grad(ograd):
    acc = accum_dtype(ograd.dtype)
    return ograd.sum(axis=(0,) + tuple(range(2, ograd.ndim)), dtype=acc).astype(
        ograd.dtype, copy=False)


def deconvolution(xp, data, weight, bias=None, **attrs):
    """GPU kernel of ``Deconvolution``: the data gradient of the matching convolution."""
    _check_layout("Deconvolution", attrs["layout"], len(attrs["kernel"]))
    k, s, d, p, out_sp = _deconv.geometry(attrs, data.shape[2:])
    shape = (data.shape[0], attrs["num_filter"]) + tuple(out_sp)
    out = conv_grad_data(xp, data, weight, shape, attrs["num_group"], k, s, d, p)
    if bias is not None:
        out += bias.reshape((-1,) + (1,) * len(k))
    return out


def backward_deconvolution(xp, ograd, data, weight, bias=None, **attrs):
    """GPU kernel of ``_backward_Deconvolution``: (dX, dW[, db])."""
    k, s, d, p, _ = _deconv.geometry(attrs, data.shape[2:])
    g = attrs["num_group"]
    dx = conv_forward(xp, ograd, weight, g, k, s, d, p, tuple(data.shape[2:]))
    dw = conv_grad_weight(xp, data, ograd, weight.shape, g, k, s, d, p)
    return (dx, dw) if bias is None else (dx, dw, _bias_grad(ograd))


KERNELS = {"Convolution": convolution, "_backward_Convolution": backward_convolution,
           "Deconvolution": deconvolution, "_backward_Deconvolution": backward_deconvolution}
