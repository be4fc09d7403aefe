"""ravel_multi_index / unravel_index (MXNet's ``ravel.cc``); results keep the input dtype."""
from ...base import MXNetError
from ..params import Shape
from ..registry import register
from .elemwise_unary import zero_grad


def _strides(shape):
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return tuple(reversed(out))


@register("_ravel_multi_index", inputs=("data",), aliases=("ravel_multi_index",),
          params=(Shape("shape"),),
          shape=lambda attrs, s: (s, [None if s[0] is None else tuple(s[0][1:])]))
def ravel_multi_index(xp, data, *, shape):
    """Converts a (ndim, N) batch of index tuples into flat indices for ``shape``."""
    if data.shape[0] != len(shape):
        raise MXNetError(f"Operator ravel_multi_index: data has {data.shape[0]} rows, "
                         f"shape {tuple(shape)} has {len(shape)} dimensions")
    strides = xp.asarray(_strides(shape), dtype="int64").reshape(
        (-1,) + (1,) * (data.ndim - 1))
    return (data.astype("int64") * strides).sum(axis=0).astype(data.dtype)


ravel_multi_index.gradient(zero_grad)


@register("_unravel_index", inputs=("data",), aliases=("unravel_index",),
          params=(Shape("shape"),),
          shape=lambda attrs, s: (s, [None if s[0] is None
                                      else (len(attrs["shape"]),) + tuple(s[0])]))
def unravel_index(xp, data, *, shape):
    """Converts flat indices into a (ndim, N) batch of index tuples for ``shape``."""
    flat = data.astype("int64")
    rows = []
    for stride, size in zip(_strides(shape), shape):
        rows.append((flat // stride) % size)
    return xp.stack(rows).astype(data.dtype)


unravel_index.gradient(zero_grad)
