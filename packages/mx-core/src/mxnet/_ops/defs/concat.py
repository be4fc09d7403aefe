"""Concat (MXNet's ``nn/concat.cc``) and SliceChannel/split (``slice_channel.cc``)."""
from ...base import MXNetError
from ..infer import normalize_axis
from ..params import Bool, Int
from ..registry import register


def _concat_shape(attrs, in_shapes):
    if any(s is None for s in in_shapes):
        return in_shapes, [None]
    first = in_shapes[0]
    dim = normalize_axis(attrs["dim"], len(first), "Concat")
    for i, s in enumerate(in_shapes):
        if len(s) != len(first) or any(a != b for k, (a, b) in enumerate(zip(s, first))
                                       if k != dim):
            raise MXNetError(f"Operator Concat: input {i} of shape {tuple(s)} does not "
                             f"match {tuple(first)} outside dimension {dim}")
    total = sum(s[dim] for s in in_shapes)
    return in_shapes, [tuple(first[:dim]) + (total,) + tuple(first[dim + 1:])]


@register("Concat", inputs=("arg",), params=(Int("num_args"), Int("dim", 1)),
          varargs="num_args", aliases=("concat", "_rnn_param_concat"), shape=_concat_shape)
def concat(xp, *data, num_args, dim):
    """Joins input arrays along an existing axis ``dim``."""
    _concat_shape({"dim": dim}, [a.shape for a in data])
    return xp.concatenate(data, axis=dim)


@concat.gradient
def _(F, inputs, outputs, ograds, num_args, dim):   # d/d arg_i = its slice of g
    dim = normalize_axis(dim, inputs[0].ndim, "Concat")
    grads, start = [], 0
    for x in inputs:
        n = x.shape[dim]
        grads.append(F.slice_axis(ograds[0], axis=dim, begin=start, end=start + n))
        start += n
    return tuple(grads)


def _split_sizes(shape, attrs):
    axis = normalize_axis(attrs["axis"], len(shape), "SliceChannel")
    n, parts = shape[axis], attrs["num_outputs"]
    if parts <= 0 or n % parts:
        raise MXNetError(f"Operator SliceChannel: axis {axis} of size {n} cannot be split "
                         f"into {parts} equal parts")
    if attrs["squeeze_axis"] and n != parts:
        raise MXNetError("Operator SliceChannel: squeeze_axis needs num_outputs equal to "
                         f"the axis size {n}, got {parts}")
    return axis, n // parts


def _split_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None] * attrs["num_outputs"]
    axis, size = _split_sizes(src, attrs)
    mid = () if attrs["squeeze_axis"] else (size,)
    part = tuple(src[:axis]) + mid + tuple(src[axis + 1:])
    return in_shapes, [part] * attrs["num_outputs"]


@register("SliceChannel", inputs=("data",), aliases=("split",),
          num_outputs=lambda attrs: attrs["num_outputs"], shape=_split_shape,
          params=(Int("num_outputs"), Int("axis", 1), Bool("squeeze_axis", False)))
def slice_channel(xp, data, *, num_outputs, axis, squeeze_axis):
    """Splits an array along ``axis`` into ``num_outputs`` equal parts."""
    axis, size = _split_sizes(data.shape, {"axis": axis, "num_outputs": num_outputs,
                                           "squeeze_axis": squeeze_axis})
    lead = (slice(None),) * axis
    outs = []
    for i in range(num_outputs):
        part = data[lead + (slice(i * size, (i + 1) * size),)]
        if squeeze_axis:
            part = part.reshape(part.shape[:axis] + part.shape[axis + 1:])
        outs.append(part.copy())
    return tuple(outs)


@slice_channel.gradient
def _(F, inputs, outputs, ograds, num_outputs, axis, squeeze_axis):
    # d/dx = the head gradients joined back along the axis
    axis = normalize_axis(axis, inputs[0].ndim, "SliceChannel")
    parts = [F.expand_dims(g, axis=axis) if squeeze_axis else g for g in ograds]
    return (F.concat(*parts, dim=axis) if len(parts) > 1 else parts[0],)
