"""Sorting operators (MXNet's ``ordering_op.cc``): sort, argsort, topk.

Values flow back through ``_ordering_scatter`` (the head gradient put back at the
positions the sort took them from) and its adjoint ``_ordering_gather``.
"""
from ...base import MXNetError
from ..infer import normalize_axis
from ..params import Bool, DType, Enum, Int, Optional
from ..registry import register


def _flat_axis(data, axis):
    if axis is None:
        return data.reshape(-1), 0
    return data, normalize_axis(axis, data.ndim, "sort")


def _put(xp, out, index, values, axis):
    """``out[..., index, ...] = values`` along ``axis`` (NumPy's put_along_axis, which
    CuPy lacks), through a (rows, n) view of the moved axis."""
    moved = xp.moveaxis(out, axis, -1)
    idx = xp.moveaxis(index, axis, -1)
    vals = xp.moveaxis(xp.broadcast_to(values, index.shape), axis, -1)
    flat = xp.ascontiguousarray(moved).reshape(-1, moved.shape[-1])
    rows = xp.arange(flat.shape[0])[:, None]
    flat[rows, idx.reshape(flat.shape[0], -1)] = vals.reshape(flat.shape[0], -1)
    return xp.moveaxis(flat.reshape(moved.shape), -1, axis)


def _flat_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None or attrs["axis"] is not None:
        return in_shapes, [src]
    n = 1
    for s in src:
        n *= s
    return in_shapes, [(n,)]


def _topk_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None] * 3
    axis = attrs["axis"]
    if axis is None:
        n = 1
        for s in src:
            n *= s
        src, axis = (n,), 0
    axis = normalize_axis(axis, len(src), "topk")
    k = attrs["k"] if attrs["k"] > 0 else src[axis]
    picked = tuple(src[:axis]) + (k,) + tuple(src[axis + 1:])
    first = tuple(in_shapes[0]) if attrs["ret_typ"] == "mask" else picked
    return in_shapes, [first, picked, picked]


def _order(xp, data, axis, is_ascend):
    """Stable ascending order, or descending with ties kept in index order."""
    if is_ascend:
        keys = data
    else:
        keys = -(data.astype("int64") if data.dtype.kind in "ub" else data)
    return xp.argsort(keys, axis=axis, kind="stable")


@register("sort", inputs=("data",), num_outputs=2, visible_outputs=1,
          shape=lambda attrs, s: (s, _flat_shape(attrs, s)[1] * 2),
          params=(Optional(Int("axis", -1)), Bool("is_ascend", True)))
def sort(xp, data, *, axis, is_ascend):
    """Returns a sorted copy of the input along ``axis`` (flattened when None)."""
    flat, ax = _flat_axis(data, axis)
    idx = _order(xp, flat, ax, is_ascend)
    return xp.take_along_axis(flat, idx, axis=ax), idx


@sort.gradient
def _(F, inputs, outputs, ograds, axis, is_ascend):   # scatter g back to source positions
    x = inputs[0]
    return (F._internal._ordering_scatter(ograds[0], outputs[1], x, axis=axis),)


@register("argsort", inputs=("data",), shape=_flat_shape,
          dtype=lambda attrs, d: (d, [attrs["dtype"]]),
          params=(Optional(Int("axis", -1)), Bool("is_ascend", True),
                  DType("dtype", "float32")))
def argsort(xp, data, *, axis, is_ascend, dtype):
    """Returns the indices that sort the input along ``axis`` (flattened when None)."""
    flat, ax = _flat_axis(data, axis)
    return _order(xp, flat, ax, is_ascend).astype(dtype)


@argsort.gradient
def _(F, inputs, outputs, ograds, axis, is_ascend, dtype):   # indices: zero gradient
    return (F.zeros_like(inputs[0]),)


def _topk_visible(attrs):
    return 2 if attrs["ret_typ"] == "both" else 1


def _topk_dtype(attrs, in_dtypes):
    data, ret = in_dtypes[0], attrs["ret_typ"]
    first = attrs["dtype"] if ret == "indices" else data
    second = attrs["dtype"] if ret == "both" else "int64"
    return in_dtypes, [first, second, "int64"]


@register("topk", inputs=("data",), num_outputs=3, visible_outputs=_topk_visible,
          shape=_topk_shape, dtype=_topk_dtype,
          params=(Optional(Int("axis", -1)), Int("k", 1),
                  Enum("ret_typ", ("both", "indices", "mask", "value"), "indices"),
                  Bool("is_ascend", False), DType("dtype", "float32")))
def topk(xp, data, *, axis, k, ret_typ, is_ascend, dtype):
    """Returns the top ``k`` elements along ``axis``: their indices, values, both, or a
    0/1 mask of the input's shape. Every output ends with the int64 positions used
    by the gradient (hidden)."""
    flat, ax = _flat_axis(data, axis)
    n = flat.shape[ax]
    if not 0 < k <= n and not (k <= 0 and ret_typ != "mask"):
        raise MXNetError(f"Operator topk: k must be in (0, {n}], got {k}")
    k = n if k <= 0 else k
    idx = xp.take(_order(xp, flat, ax, is_ascend), xp.arange(k), axis=ax)
    values = xp.take_along_axis(flat, idx, axis=ax)
    if ret_typ == "mask":
        mask = _put(xp, xp.zeros_like(flat), idx, flat.dtype.type(1), ax)
        return mask.reshape(data.shape), idx, idx
    if ret_typ == "value":
        return values, idx, idx
    if ret_typ == "indices":
        return idx.astype(dtype), idx, idx
    return values, idx.astype(dtype), idx


@topk.gradient
def _(F, inputs, outputs, ograds, axis, k, ret_typ, is_ascend, dtype):
    # values: scatter g back to the chosen positions; indices and masks: zero gradient
    x = inputs[0]
    if ret_typ not in ("value", "both"):
        return (F.zeros_like(x),)
    return (F._internal._ordering_scatter(ograds[0], outputs[2], x, axis=axis),)


@register("_ordering_scatter", inputs=("data", "index", "like"),
          shape=lambda attrs, s: (s, [s[2]]),
          params=(Optional(Int("axis", -1)),))
def ordering_scatter(xp, data, index, like, *, axis):
    """Zeros shaped like ``like`` with ``data`` added at ``index`` along ``axis``."""
    flat, ax = _flat_axis(like, axis)
    out = _put(xp, xp.zeros(flat.shape, dtype=data.dtype), index.astype("int64"), data, ax)
    return out.reshape(like.shape)


@ordering_scatter.gradient
def _(F, inputs, outputs, ograds, axis):     # adjoint: gather at the same positions
    return (F._internal._ordering_gather(ograds[0], inputs[1], axis=axis), None, None)


@register("_ordering_gather", inputs=("data", "index"), shape=lambda attrs, s: (s, [s[1]]),
          params=(Optional(Int("axis", -1)),))
def ordering_gather(xp, data, index, *, axis):
    """``data`` taken at ``index`` along ``axis`` (flattened when None)."""
    flat, ax = _flat_axis(data, axis)
    return xp.take_along_axis(flat, index.astype("int64"), axis=ax)


@ordering_gather.gradient
def _(F, inputs, outputs, ograds, axis):     # adjoint: scatter back
    return (F._internal._ordering_scatter(ograds[0], inputs[1], inputs[0], axis=axis),
            None)
