"""Slicing operators of MXNet's ``matrix_op.cc``: slice (crop), slice_axis, slice_like,
_slice_assign(_scalar) and _split_v2. Gradients scatter the head gradient back into
zeros with ``_slice_assign``, which is itself differentiable.
"""
from ...base import MXNetError
from ..infer import normalize_axis, unknown_dim
from ..params import Bool, Float, Int, Optional, Shape
from ..registry import register

_SLICE_PARAMS = (Shape("begin", allow_none=True), Shape("end", allow_none=True),
                 Shape("step", (), allow_none=True))


def _key(ndim, begin, end, step, op_name="slice"):
    """The tuple of Python slices MXNet's (begin, end, step) describe."""
    if len(begin) != len(end) or len(begin) > ndim:
        raise MXNetError(f"Operator {op_name}: begin {tuple(begin)} and end {tuple(end)} "
                         f"must have one length, at most the rank {ndim}")
    step = tuple(step) + (None,) * (len(begin) - len(step))
    for s in step:
        if s == 0:
            raise MXNetError(f"Operator {op_name}: slice step cannot be zero")
    return tuple(slice(b, e, s) for b, e, s in zip(begin, end, step))


def _slice_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    key = _key(len(src), attrs["begin"], attrs["end"], attrs["step"])
    # an unknown dimension (partial inference) stays unknown
    out = [n if unknown_dim(n) else len(range(*k.indices(n))) for k, n in zip(key, src)]
    return in_shapes, [tuple(out) + tuple(src[len(key):])]


@register("slice", inputs=("data",), params=_SLICE_PARAMS, aliases=("crop",),
          shape=_slice_shape)
def slice_op(xp, data, *, begin, end, step):
    """Slices a region of the array: ``data[begin[0]:end[0]:step[0], ...]``; None takes
    the default of each end."""
    return data[_key(data.ndim, begin, end, step)].copy()


@slice_op.gradient
def _(F, inputs, outputs, ograds, begin, end, step):   # scatter the head gradient back
    return (F._internal._slice_assign(F.zeros_like(inputs[0]), ograds[0], begin=begin,
                                      end=end, step=step),)


@register("_slice_assign", inputs=("lhs", "rhs"), params=_SLICE_PARAMS,
          shape=lambda attrs, s: (s, [s[0]]),
          aliases=("_crop_assign",))
def slice_assign(xp, lhs, rhs, *, begin, end, step):
    """A copy of ``lhs`` with the slice (begin, end, step) replaced by ``rhs``."""
    out = lhs.copy()
    out[_key(lhs.ndim, begin, end, step, "_slice_assign")] = rhs
    return out


@slice_assign.gradient
def _(F, inputs, outputs, ograds, begin, end, step):
    # d/dlhs = g outside the slice; d/drhs = g inside it
    g = ograds[0]
    zeros = F.zeros_like(inputs[1])
    return (F._internal._slice_assign(g, zeros, begin=begin, end=end, step=step),
            F.slice(g, begin=begin, end=end, step=step))


@register("_slice_assign_scalar", inputs=("data",),
          params=(Float("scalar", 0.0),) + _SLICE_PARAMS, aliases=("_crop_assign_scalar",),
          shape=lambda attrs, s: (s, [s[0]]))
def slice_assign_scalar(xp, data, *, scalar, begin, end, step):
    """A copy of ``data`` with the slice (begin, end, step) set to ``scalar``."""
    out = data.copy()
    out[_key(data.ndim, begin, end, step, "_slice_assign_scalar")] = scalar
    return out


@slice_assign_scalar.gradient
def _(F, inputs, outputs, ograds, scalar, begin, end, step):   # d/dx = g outside the slice
    return (F._internal._slice_assign_scalar(ograds[0], scalar=0.0, begin=begin, end=end,
                                             step=step),)


def _axis_range(shape, axis, begin, end, op_name="slice_axis"):
    axis = normalize_axis(axis, len(shape), op_name)
    n = shape[axis]
    # MXNet 1.9.1 compat: out-of-range bounds are errors, not clipped as in Python
    b = begin + n if begin < 0 else begin
    e = n if end is None else end + n if end < 0 else end
    if not 0 <= b < e <= n:
        raise MXNetError(f"Operator {op_name}: invalid begin={begin}, end={end} for axis "
                         f"{axis} of size {n}")
    return axis, b, e


def _slice_axis_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    axis = normalize_axis(attrs["axis"], len(src), "slice_axis")
    if unknown_dim(src[axis]):
        return in_shapes, [tuple(src)]
    axis, b, e = _axis_range(src, attrs["axis"], attrs["begin"], attrs["end"])
    return in_shapes, [tuple(src[:axis]) + (e - b,) + tuple(src[axis + 1:])]


@register("slice_axis", inputs=("data",), shape=_slice_axis_shape,
          params=(Int("axis"), Int("begin"), Optional(Int("end", None))))
def slice_axis(xp, data, *, axis, begin, end):
    """Slices along one axis: ``data[..., begin:end, ...]`` (negative indices count back)."""
    axis, b, e = _axis_range(data.shape, axis, begin, end)
    return data[(slice(None),) * axis + (slice(b, e),)].copy()


@slice_axis.gradient
def _(F, inputs, outputs, ograds, axis, begin, end):   # scatter the head gradient back
    x = inputs[0]
    axis, b, e = _axis_range(x.shape, axis, begin, end)
    return (F._internal._slice_assign(F.zeros_like(x), ograds[0],
                                      begin=(None,) * axis + (b,),
                                      end=(None,) * axis + (e,)),)


def _like_ends(shape, like, axes):
    if not axes and len(shape) != len(like):
        raise MXNetError(f"Operator slice_like: data of shape {tuple(shape)} and "
                         f"shape_like of shape {tuple(like)} must have one rank")
    axes = range(len(shape)) if not axes else \
        [normalize_axis(a, len(shape), "slice_like") for a in axes]
    end = [None] * len(shape)
    for a in axes:
        if a >= len(like):
            # MXNet 1.9.1 compat: an axis counts in data's rank, shape_like may be shorter
            raise MXNetError(f"Operator slice_like: axis {a} exceeds shape_like of shape "
                             f"{tuple(like)}")
        if like[a] > shape[a]:
            raise MXNetError(f"Operator slice_like: shape_like dimension {a} "
                             f"({like[a]}) exceeds data's ({shape[a]})")
        end[a] = like[a]
    return (None,) * len(shape), tuple(end)


def _slice_like_shape(attrs, in_shapes):
    src, like = in_shapes
    if src is None or like is None:
        return in_shapes, [None]
    _, end = _like_ends(src, like, attrs["axes"])
    return in_shapes, [tuple(s if e is None else e for s, e in zip(src, end))]


@register("slice_like", inputs=("data", "shape_like"), params=(Shape("axes", ()),),
          shape=_slice_like_shape)
def slice_like(xp, data, shape_like, *, axes):
    """Slices ``data`` from the start to the shape of ``shape_like`` on ``axes`` (all
    axes when empty)."""
    begin, end = _like_ends(data.shape, shape_like.shape, axes)
    return data[tuple(slice(b, e) for b, e in zip(begin, end))].copy()


@slice_like.gradient
def _(F, inputs, outputs, ograds, axes):   # scatter back; shape_like gets no gradient
    x, like = inputs
    begin, end = _like_ends(x.shape, like.shape, axes)
    return (F._internal._slice_assign(F.zeros_like(x), ograds[0], begin=begin, end=end),
            None)


def _split_bounds(shape, indices, axis, sections):
    axis = normalize_axis(axis, len(shape), "split_v2")
    n = shape[axis]
    if sections > 0:
        if n % sections:
            raise MXNetError(f"Operator split_v2: axis {axis} of size {n} does not split "
                             f"into {sections} equal sections")
        starts = [i * (n // sections) for i in range(sections)]
    else:
        starts = list(indices)
    ends = starts[1:] + [n]
    return axis, list(zip(starts, ends))


def _split_v2_count(attrs):
    return attrs["sections"] if attrs["sections"] > 0 else len(attrs["indices"])


def _split_v2_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None] * _split_v2_count(attrs)
    axis, bounds = _split_bounds(src, attrs["indices"], attrs["axis"], attrs["sections"])
    mid = lambda b, e: () if attrs["squeeze_axis"] else (e - b,)
    return in_shapes, [tuple(src[:axis]) + mid(b, e) + tuple(src[axis + 1:])
                       for b, e in bounds]


@register("_split_v2", inputs=("data",), num_outputs=_split_v2_count,
          shape=_split_v2_shape,
          params=(Shape("indices", ()), Int("axis", 0), Bool("squeeze_axis", False),
                  Int("sections", 0)))
def split_v2(xp, data, *, indices, axis, squeeze_axis, sections):
    """Splits an array along ``axis`` at ``indices`` (or into ``sections`` equal parts)."""
    axis, bounds = _split_bounds(data.shape, indices, axis, sections)
    lead = (slice(None),) * axis
    outs = []
    for b, e in bounds:
        part = data[lead + (slice(b, e),)]
        if squeeze_axis:
            if part.shape[axis] != 1:
                raise MXNetError("Operator split_v2: squeeze_axis needs sections of "
                                 f"size 1, got {part.shape[axis]}")
            part = part.reshape(part.shape[:axis] + part.shape[axis + 1:])
        outs.append(part.copy())
    return tuple(outs)


@split_v2.gradient
def _(F, inputs, outputs, ograds, indices, axis, squeeze_axis, sections):
    # d/dx = the head gradients joined back along the axis
    x = inputs[0]
    axis = normalize_axis(axis, x.ndim, "split_v2")
    parts = [F.expand_dims(g, axis=axis) if squeeze_axis else g for g in ograds]
    return (F.concat(*parts, dim=axis) if len(parts) > 1 else parts[0],)
