"""cumsum (MXNet 1.9.1's ``numpy/np_cumsum.cc``, exposed as ``mx.nd.cumsum``)."""
from ...base import MXNetError
from ..params import DType, Int, Optional
from ..registry import register


def _cumsum_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    if attrs["axis"] is None:
        n = 1
        for s in src:
            n *= s
        return in_shapes, [(n,)]
    return in_shapes, [tuple(src)]


def _cumsum_dtype(attrs, in_dtypes):
    return in_dtypes, [attrs["dtype"] or in_dtypes[0]]


@register("_np_cumsum", inputs=("a",), aliases=("cumsum",), shape=_cumsum_shape,
          dtype=_cumsum_dtype, params=(Optional(Int("axis", None)),
                                       Optional(DType("dtype", None))))
def cumsum(xp, a, *, axis, dtype):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    if axis is not None and not 0 <= axis < a.ndim:
        # MXNet 1.9.1 compat: negative axes are rejected
        raise MXNetError(f"Operator cumsum: index = {axis} must be in range [0, {a.ndim})")
    data = a.reshape(-1) if axis is None else a
    return xp.cumsum(data, axis=0 if axis is None else axis, dtype=dtype or a.dtype)


@cumsum.gradient
def _(F, inputs, outputs, ograds, axis, dtype):   # d/dx = reversed cumsum of g
    x = inputs[0]
    ax = 0 if axis is None else axis
    g = F.reverse(F.cumsum(F.reverse(ograds[0], axis=ax), axis=ax), axis=ax)
    if dtype is not None:
        g = F.Cast(g, dtype=x.dtype)
    return (F.reshape_like(g, x),)
