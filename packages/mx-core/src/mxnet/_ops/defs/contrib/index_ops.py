"""Index contrib operators: arange_like (``tensor/init_op.cc``), index_array
(``index_array.cc``), index_copy (``index_copy.cc``), boolean_mask (``boolean_mask.cc``).
"""
from ....base import MXNetError
from ...infer import normalize_axis
from ...params import Any, Float, Int, Optional, Shape
from ...registry import register
from ..elemwise_unary import zero_grad


def _arange_like_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    if attrs["axis"] is None:
        return in_shapes, [tuple(src)]
    return in_shapes, [(src[normalize_axis(attrs["axis"], len(src), "arange_like")],)]


@register("_contrib_arange_like", inputs=("data",), shape=_arange_like_shape,
          params=(Float("start", 0.0), Float("step", 1.0), Int("repeat", 1),
                  Any("ctx", None), Optional(Int("axis", None))))
def arange_like(xp, data, *, start, step, repeat, ctx, axis):
    """start + i * step over the shape of ``data`` (or the length of one ``axis``),
    each value repeated ``repeat`` times, in data's dtype."""
    shape = data.shape if axis is None else \
        (data.shape[normalize_axis(axis, data.ndim, "arange_like")],)
    n = 1
    for s in shape:
        n *= s
    values = start + (xp.arange(n, dtype="float64") // repeat) * step
    return values.astype(data.dtype).reshape(shape)


arange_like.gradient(zero_grad)


def _index_array_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    n = len(src) if attrs["axes"] is None else len(attrs["axes"])
    return in_shapes, [tuple(src) + (n,)]


@register("_contrib_index_array", inputs=("data",), params=(Optional(Shape("axes", None)),),
          shape=_index_array_shape, dtype=lambda attrs, d: (d, ["int64"]))
def index_array(xp, data, *, axes):
    """An int64 array of shape data.shape + (len(axes),) holding each element's index
    along ``axes`` (all axes when None)."""
    axes = range(data.ndim) if axes is None else \
        [normalize_axis(a, data.ndim, "index_array") for a in axes]
    grids = xp.indices(data.shape, dtype="int64")
    return xp.stack([grids[a] for a in axes], axis=-1) if len(axes) else \
        xp.zeros(data.shape + (0,), dtype="int64")


index_array.gradient(zero_grad)


@register("_contrib_index_copy", inputs=("old_tensor", "index_vector", "new_tensor"),
          shape=lambda attrs, s: (s, [s[0]]))
def index_copy(xp, old_tensor, index_vector, new_tensor):
    """A copy of ``old_tensor`` whose rows ``index_vector`` are ``new_tensor``'s rows."""
    idx = index_vector.astype("int64")
    if new_tensor.shape[0] != idx.size or new_tensor.shape[1:] != old_tensor.shape[1:]:
        raise MXNetError(f"Operator index_copy: new_tensor of shape {new_tensor.shape} "
                         f"does not fit {idx.size} rows of {old_tensor.shape}")
    out = old_tensor.copy()
    out[idx] = new_tensor
    return out


@index_copy.gradient
def _(F, inputs, outputs, ograds):
    # d/d old = g with the copied rows zeroed; d/d new = the copied rows of g
    old, idx, new = inputs
    g = ograds[0]
    rows = F.take(g, idx)
    return (F.contrib.index_copy(g, idx, F.zeros_like(new)), None, rows)


@register("_contrib_boolean_mask", inputs=("data", "index"), params=(Int("axis", 0),))
def boolean_mask(xp, data, index, *, axis):
    """The slices of ``data`` along ``axis`` where ``index`` is non-zero."""
    axis = normalize_axis(axis, data.ndim, "boolean_mask")
    keep = xp.nonzero(index.reshape(-1) != 0)[0]
    return xp.take(data, keep, axis=axis)


@boolean_mask.gradient
def _(F, inputs, outputs, ograds, axis):      # scatter g back to the kept rows
    data, index = inputs
    keep = F._internal._boolean_mask_positions(index)
    return F._internal._take_backward(ograds[0], keep, data, axis=axis), None


@register("_boolean_mask_positions", inputs=("index",), differentiable=False)
def boolean_mask_positions(xp, index):
    """Positions of the non-zero entries of a 1-D mask (boolean_mask's gradient)."""
    return xp.nonzero(index.reshape(-1) != 0)[0].astype("int64")
