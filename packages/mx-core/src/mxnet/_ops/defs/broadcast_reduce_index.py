"""Index reductions (MXNet's ``broadcast_reduce_op_index.cc``): argmax, argmin,
argmax_channel and pick. Indices come back in the input's dtype, as in MXNet.
"""
from ...base import MXNetError
from ..infer import normalize_axis
from ..params import Bool, Enum, Int, Optional
from ..registry import register


def _arg_out_shape(src, axis, keepdims):
    if axis is None:
        return (1,) * len(src) if keepdims else (1,)
    axis = normalize_axis(axis, len(src), "argmax")
    if keepdims:
        return tuple(src[:axis]) + (1,) + tuple(src[axis + 1:])
    return tuple(src[:axis]) + tuple(src[axis + 1:]) or (1,)


def _arg_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [_arg_out_shape(src, attrs["axis"], attrs["keepdims"])]


def _arg_reducer(name, pick_fn):
    def forward(xp, data, *, axis, keepdims):
        if data.size == 0:
            raise MXNetError(f"Operator {name}: cannot reduce an empty array")
        # NumPy returns the first occurrence on ties, as MXNet does
        flat = data.reshape(-1) if axis is None else data
        idx = pick_fn(xp, flat, None if axis is None else axis)
        return idx.reshape(_arg_out_shape(data.shape, axis, keepdims)).astype(data.dtype)
    forward.__doc__ = (f"Returns the indices of the {name[3:]}imum values along an axis "
                       "(of the flattened array when ``axis`` is None), in the input's "
                       "dtype.")
    op = register(name, inputs=("data",), shape=_arg_shape,
                  params=(Optional(Int("axis", None)), Bool("keepdims", False)))(forward)

    @op.gradient
    def _(F, inputs, outputs, ograds, axis, keepdims):      # indices: zero gradient
        return (F.zeros_like(inputs[0]),)
    return op


argmax = _arg_reducer("argmax", lambda xp, x, axis: xp.argmax(x, axis=axis))
argmin = _arg_reducer("argmin", lambda xp, x, axis: xp.argmin(x, axis=axis))


@register("argmax_channel", inputs=("data",),
          shape=lambda attrs, s: (s, [None if s[0] is None else
                                      _arg_out_shape(s[0], 1 if len(s[0]) > 1 else 0, False)]))
def argmax_channel(xp, data):
    """Returns the indices of the maximum values along axis 1 (the channel axis; the
    only axis of a 1-D input)."""
    axis = 1 if data.ndim > 1 else 0
    out = xp.argmax(data, axis=axis).astype(data.dtype)
    return out.reshape(out.shape or (1,))


@argmax_channel.gradient
def _(F, inputs, outputs, ograds):      # indices: zero gradient
    return (F.zeros_like(inputs[0]),)


def _pick_axis(axis, ndim):
    if axis is None:
        raise MXNetError("Operator pick: axis=None is not supported by pick yet. Must "
                         "specify an axis.")
    return normalize_axis(axis, ndim, "pick")


def _pick_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    out = _arg_out_shape(src, _pick_axis(attrs["axis"], len(src)), attrs["keepdims"])
    return [src, in_shapes[1] or out], [out]


def _wrapped(xp, index, n, mode):
    idx = index.astype("int64")
    return xp.mod(idx, n) if mode == "wrap" else xp.clip(idx, 0, n - 1)


@register("pick", inputs=("data", "index"), shape=_pick_shape,
          aliases=("choose_element_0index",),
          params=(Optional(Int("axis", -1)), Bool("keepdims", False),
                  Enum("mode", ("clip", "wrap"), "clip")))
def pick(xp, data, index, *, axis, keepdims, mode):
    """Picks one element along ``axis`` for each position of ``index``
    (out-of-range indices are clipped or wrapped by ``mode``)."""
    axis = _pick_axis(axis, data.ndim)
    n = data.shape[axis]
    rows = data.shape[:axis] + data.shape[axis + 1:]
    if index.size != data.size // max(n, 1) or (index.ndim > 1 and index.shape not in (
            rows, data.shape[:axis] + (1,) + data.shape[axis + 1:])):
        raise MXNetError(f"Operator pick: index of shape {index.shape} does not match "
                         f"data of shape {data.shape} without axis {axis}")
    idx = _wrapped(xp, index, n, mode)
    idx = idx.reshape(data.shape[:axis] + (1,) + data.shape[axis + 1:])
    out = xp.take_along_axis(data, idx, axis=axis)
    return out if keepdims else out.reshape(
        data.shape[:axis] + data.shape[axis + 1:] or (1,))


@pick.gradient
def _(F, inputs, outputs, ograds, axis, keepdims, mode):
    # d/d data = g at the picked position of each row, 0 elsewhere
    x, index = inputs
    ndim = x.ndim
    axis = _pick_axis(axis, ndim)
    n = x.shape[axis]
    idx = F.reshape(index, shape=(-1,))
    idx = F._internal._mod_scalar(idx, scalar=n) if mode == "wrap" else \
        F.clip(idx, 0, n - 1)
    mask = F.one_hot(idx, depth=n, dtype=x.dtype)       # (rows, n)
    g = F.reshape(ograds[0], shape=(-1, 1))
    lead, tail = x.shape[:axis], x.shape[axis + 1:]
    full = F.reshape(mask * g, shape=lead + tail + (n,))
    perm = tuple(range(len(lead))) + (ndim - 1,) + tuple(range(len(lead), ndim - 1))
    return F.reshape_like(F.transpose(full, axes=perm), x), None
