"""moments (MXNet's ``nn/moments.cc``): mean and variance over axes."""
from ..infer import reduce_axes
from ..params import Bool, Optional, Shape
from ..registry import register


def _moments_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None, None]
    out = reduce_axes(src, attrs["axes"], attrs["keepdims"], False, "moments")[1]
    return in_shapes, [out, out]


@register("moments", inputs=("data",), num_outputs=2, shape=_moments_shape,
          params=(Optional(Shape("axes", None)), Bool("keepdims", False)))
def moments(xp, data, *, axes, keepdims):
    """Calculates the mean and variance of ``data`` over ``axes``."""
    axes_, shape = reduce_axes(data.shape, axes, keepdims, False, "moments")
    mean = data.mean(axis=axes_, keepdims=True, dtype=data.dtype)
    var = ((data - mean) ** 2).mean(axis=axes_, dtype=data.dtype)
    return mean.reshape(shape), var.reshape(shape)


@moments.gradient
def _(F, inputs, outputs, ograds, axes, keepdims):
    # d mean/dx = 1/n; d var/dx = 2 (x - mean) / n
    x = inputs[0]

    def back(v):
        return F.broadcast_like(v if keepdims else F._internal._reduce_keepdims_like(
            v, x, axis=axes), x)
    ratio = F._internal._reduce_count_ratio(outputs[0], x)
    centered = x - back(outputs[0])
    return ((back(ograds[0]) + back(ograds[1]) * 2 * centered) * ratio,)
