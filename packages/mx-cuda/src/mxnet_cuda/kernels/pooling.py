"""Max/avg/sum pooling as one gather + one reduction; gradients as one scatter_add.

Other cases (global pooling, Lp, channels-last layouts) keep mx-core's generic code,
which is already a handful of launches for them.
"""
import math

from mxnet._ops.defs.nn import _window as W
from mxnet._ops.defs.nn import pooling as _core

from ._xp import accum_dtype, scatter_add
from .window import plain_index


def _fast(attrs):
    return (attrs["pool_type"] in ("max", "avg", "sum") and not attrs["global_pool"]
            and attrs["layout"] in (None, "NCW", "NCHW", "NCDHW"))


def _windows(xp, x, attrs, fill):
    """(N*C, KK, P) windows of padded ``x``, the geometry and the index."""
    k, s, p, extra, out_sp = _core._geometry(attrs, x.shape[2:])
    xpad = W.pad_spatial(xp, x, p, fill, extra)
    padded = xpad.shape[2:]
    idx = plain_index(xp, padded, k, s, (1,) * len(k), out_sp)
    rows = x.shape[0] * x.shape[1]
    flat = xpad.reshape(rows, math.prod(padded))
    win = xp.take(flat, idx, axis=1).reshape(rows, math.prod(k), math.prod(out_sp))
    return win, (k, s, p, extra, out_sp, padded), idx


def pooling(xp, data, **attrs):
    """GPU kernel of ``Pooling`` (same parameters and results as mx-core's)."""
    if not _fast(attrs):
        return _core.pooling.forward(xp, data, **attrs)
    _core._check(attrs, data)
    kind = attrs["pool_type"]
    win, (k, s, p, extra, out_sp, _), _ = _windows(xp, data, attrs,
                                                   -xp.inf if kind == "max" else 0)
    if kind == "max":
        out = win.max(axis=1)
    else:
        out = win.sum(axis=1, dtype=accum_dtype(data.dtype))
        if kind == "avg":
            out = out / _core._count(xp, attrs, data.shape[2:], k, s, p, extra, out_sp,
                                     out.dtype).reshape(-1)
    out = out.reshape(data.shape[:2] + tuple(out_sp)).astype(data.dtype, copy=False)
    return (out, out) if _core._n_out(attrs) == 2 else out


def backward_pooling(xp, ograd, data, output, **attrs):
    """GPU kernel of ``_backward_Pooling``: max sends G to the first maximum of each
    window, avg G / count, sum G."""
    if not _fast(attrs):
        return _core._backward_pooling.forward(xp, ograd, data, output, **attrs)
    kind = attrs["pool_type"]
    win, (k, s, p, extra, out_sp, padded), idx = _windows(
        xp, data, attrs, -xp.inf if kind == "max" else 0)
    rows, kk, npos = win.shape
    acc = accum_dtype(ograd.dtype)
    g = ograd.reshape(rows, npos).astype(acc, copy=False)
    dx = xp.zeros((rows, math.prod(padded)), dtype=acc)
    idx2 = idx.reshape(kk, npos)
    if kind == "max":
        first = win.argmax(axis=1)                                    # (rows, P)
        target = idx2[first, xp.arange(npos)[None, :]]               # (rows, P)
        scatter_add(xp, dx, (xp.arange(rows)[:, None], target), g)
    else:
        if kind == "avg":
            g = g / _core._count(xp, attrs, data.shape[2:], k, s, p, extra, out_sp,
                                 acc).reshape(-1)
        vals = xp.broadcast_to(g[:, None, :], (rows, kk, npos)).reshape(rows, -1)
        scatter_add(xp, dx, (slice(None), idx), vals)
    dx = W.unpad(dx.reshape(data.shape[:2] + padded), p, data.shape[2:])
    return xp.ascontiguousarray(dx).astype(data.dtype, copy=False)


KERNELS = {"Pooling": pooling, "_backward_Pooling": backward_pooling}
