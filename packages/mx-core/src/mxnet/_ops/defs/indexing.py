"""Indexing operators (MXNet's ``indexing_op.cc``): Embedding, take, batch_take,
one_hot, gather_nd, scatter_nd and their scatter-add backward operators.
"""
from ...base import KernelError, MXNetError
from ..infer import normalize_axis
from ..params import Bool, DType, Enum, Float, Int, Shape
from ..registry import register


def _clip_index(xp, index, n):
    return xp.clip(index.astype("int64"), 0, n - 1)


def _embedding_shape(attrs, in_shapes):
    data, _ = in_shapes
    weight = (attrs["input_dim"], attrs["output_dim"])
    out = None if data is None else tuple(data) + (attrs["output_dim"],)
    return [data, weight], [out]


@register("Embedding", inputs=("data", "weight"), shape=_embedding_shape,
          dtype=lambda attrs, d: ([d[0], d[1] or attrs["dtype"]], [d[1] or attrs["dtype"]]),
          aliases=("_contrib_SparseEmbedding",),
          params=(Int("input_dim"), Int("output_dim"), DType("dtype", "float32"),
                  Bool("sparse_grad", False)))
def embedding(xp, data, weight, *, input_dim, output_dim, dtype, sparse_grad):
    """Maps integer ids to rows of ``weight`` (out-of-range ids are clipped)."""
    return weight[_clip_index(xp, data, input_dim)]


@embedding.gradient
def _(F, inputs, outputs, ograds, input_dim, output_dim, dtype, sparse_grad):
    # d/d weight[i] = sum of the head gradient rows whose id is i
    data, weight = inputs
    return None, F._internal._take_backward(ograds[0], data, weight, axis=0, mode="clip")


def _take_index(xp, indices, n, mode):
    idx = indices.astype("int64")
    if mode == "wrap":
        return xp.mod(idx, n)
    if mode == "raise" and bool(((idx < -n) | (idx >= n)).any()):
        # MXNet checks in the kernel: the error surfaces when the result is read
        raise KernelError(f"Operator take: index out of range for an axis of size {n}")
    return xp.clip(idx, 0, n - 1) if mode == "clip" else xp.mod(idx, n)


def _take_shape(attrs, in_shapes):
    a, idx = in_shapes
    if a is None or idx is None:
        return in_shapes, [None]
    axis = normalize_axis(attrs["axis"], len(a), "take")
    return in_shapes, [tuple(a[:axis]) + tuple(idx) + tuple(a[axis + 1:])]


@register("take", inputs=("a", "indices"), shape=_take_shape,
          params=(Int("axis", 0), Enum("mode", ("clip", "raise", "wrap"), "clip")))
def take(xp, a, indices, *, axis, mode):
    """Takes elements of ``a`` along ``axis`` at ``indices`` (clipped or wrapped)."""
    axis = normalize_axis(axis, a.ndim, "take")
    return xp.take(a, _take_index(xp, indices, a.shape[axis], mode), axis=axis)


@take.gradient
def _(F, inputs, outputs, ograds, axis, mode):   # scatter-add g back at the indices
    a, indices = inputs
    return F._internal._take_backward(ograds[0], indices, a, axis=axis, mode=mode), None


@register("_take_backward", inputs=("ograd", "indices", "like"),
          shape=lambda attrs, s: (s, [s[2]]),
          params=(Int("axis", 0), Enum("mode", ("clip", "raise", "wrap"), "clip")))
def take_backward(xp, ograd, indices, like, *, axis, mode):
    """Zeros shaped like ``like`` with ``ograd`` slices added at ``indices`` on ``axis``."""
    axis = normalize_axis(axis, like.ndim, "take")
    n = like.shape[axis]
    idx = _take_index(xp, indices, n, mode).reshape(-1)
    moved = xp.moveaxis(ograd, tuple(range(axis, axis + indices.ndim)),
                        tuple(range(indices.ndim)))
    moved = moved.reshape((idx.size,) + moved.shape[indices.ndim:])
    out = xp.zeros((n,) + like.shape[:axis] + like.shape[axis + 1:], dtype=ograd.dtype)
    xp.add.at(out, idx, moved)
    return xp.ascontiguousarray(xp.moveaxis(out, 0, axis))


@take_backward.gradient
def _(F, inputs, outputs, ograds, axis, mode):    # adjoint of a scatter-add is take
    return F.take(ograds[0], inputs[1], axis=axis, mode=mode), None, None


@register("batch_take", inputs=("a", "indices"),
          shape=lambda attrs, s: (s, [None if s[0] is None else (s[0][0],)]))
def batch_take(xp, a, indices):
    """``out[i] = a[i, indices[i]]`` for a 2-D ``a`` (indices are clipped)."""
    rows = xp.arange(a.shape[0])
    return a[rows, _clip_index(xp, indices, a.shape[1]).reshape(-1)]


@batch_take.gradient
def _(F, inputs, outputs, ograds):     # g at the taken position of each row
    a, indices = inputs
    hot = F.one_hot(F.clip(indices, 0, a.shape[1] - 1), depth=a.shape[1], dtype=a.dtype)
    return hot * F.reshape(ograds[0], shape=(-1, 1)), None


def _one_hot_dtype(attrs, in_dtypes):
    return in_dtypes, [attrs["dtype"]]


@register("one_hot", inputs=("indices",), dtype=_one_hot_dtype,
          shape=lambda attrs, s: (s, [None if s[0] is None
                                      else tuple(s[0]) + (attrs["depth"],)]),
          params=(Int("depth"), Float("on_value", 1.0), Float("off_value", 0.0),
                  DType("dtype", "float32")))
def one_hot(xp, indices, *, depth, on_value, off_value, dtype):
    """One-hot encodes ``indices`` into a new last axis of size ``depth``; ids out of
    [0, depth) give an all-``off_value`` row."""
    idx = indices.astype("int64")[..., None]
    hot = idx == xp.arange(depth)
    return xp.where(hot, on_value, off_value).astype(dtype)


@one_hot.gradient
def _(F, inputs, outputs, ograds, **attrs):     # indices: zero gradient
    return (F.zeros_like(inputs[0]),)


def _gather_shape(attrs, in_shapes):
    data, idx = in_shapes
    if data is None or idx is None:
        return in_shapes, [None]
    return in_shapes, [tuple(idx[1:]) + tuple(data[idx[0]:])]


def _nd_key(xp, indices, shape):
    m = indices.shape[0]
    if m > len(shape):
        raise MXNetError(f"Operator gather_nd: indices address {m} axes of data with "
                         f"only {len(shape)}")
    idx = indices.astype("int64")
    # negative ids wrap as in Python; MXNet leaves them undefined
    return tuple(idx[i] for i in range(m))


class GatherNDIndexError(KernelError, IndexError):
    """MXNet 1.9.1 compat: gather_nd's bound check raises Python's IndexError when the
    result is read."""


@register("gather_nd", inputs=("data", "indices"), shape=_gather_shape)
def gather_nd(xp, data, indices):
    """``out[y_0..y_k] = data[indices[0, y], ..., indices[M-1, y], ...]``."""
    key = _nd_key(xp, indices, data.shape)
    for axis, idx in enumerate(key):
        n = data.shape[axis]
        bad = (idx < -n) | (idx >= n)
        if bool(bad.any()):
            raise GatherNDIndexError(f"index {int(idx[bad].reshape(-1)[0])} is out of bounds "
                                     f"for axis {axis} with size {n}")
    return data[key]


@gather_nd.gradient
def _(F, inputs, outputs, ograds):      # scatter-add g back (duplicates accumulate)
    data, indices = inputs
    return F._internal._backward_gather_nd(ograds[0], indices, shape=data.shape), None


def _scatter_shape(attrs, in_shapes):
    return in_shapes, [tuple(attrs["shape"])]


@register("_backward_gather_nd", inputs=("data", "indices"), params=(Shape("shape"),),
          shape=_scatter_shape)
def backward_gather_nd(xp, data, indices, *, shape):
    """Zeros of ``shape`` with ``data`` added at ``indices`` (duplicates accumulate)."""
    out = xp.zeros(shape, dtype=data.dtype)
    xp.add.at(out, _nd_key(xp, indices, shape), data)
    return out


@backward_gather_nd.gradient
def _(F, inputs, outputs, ograds, shape):    # adjoint: gather at the indices
    return F.gather_nd(ograds[0], inputs[1]), None


@register("scatter_nd", inputs=("data", "indices"), params=(Shape("shape"),),
          shape=_scatter_shape)
def scatter_nd(xp, data, indices, *, shape):
    """Zeros of ``shape`` with ``data`` written at ``indices`` (the inverse of
    gather_nd; with duplicate indices one of the values wins)."""
    out = xp.zeros(shape, dtype=data.dtype)
    out[_nd_key(xp, indices, shape)] = data
    return out


@scatter_nd.gradient
def _(F, inputs, outputs, ograds, shape):    # d/d data = g gathered at the indices
    return F.gather_nd(ograds[0], inputs[1]), None


@register("_scatter_set_nd", inputs=("lhs", "rhs", "indices"), params=(Shape("shape"),),
          shape=lambda attrs, s: (s, [s[0]]))
def scatter_set_nd(xp, lhs, rhs, indices, *, shape):
    """A copy of ``lhs`` with ``rhs`` written at ``indices`` (``x[idx] = v`` of NDArray)."""
    out = lhs.copy()
    out[_nd_key(xp, indices, lhs.shape)] = rhs
    return out
