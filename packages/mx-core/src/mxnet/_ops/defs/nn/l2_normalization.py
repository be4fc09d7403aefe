"""L2Normalization (MXNet's ``l2_normalization.cc``): divide by the L2 norm of each
instance, channel column or spatial map."""
from ...params import Enum, Float
from ...registry import register

PARAMS = (Float("eps", 1e-10), Enum("mode", ("channel", "instance", "spatial"), "instance"))


def _axes(mode, ndim):
    if mode == "instance":
        return tuple(range(1, ndim))
    if mode == "channel":
        return (1,)
    return tuple(range(2, ndim))


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None, None]
    axes = _axes(attrs["mode"], len(data))
    norm = tuple(1 if i in axes else n for i, n in enumerate(data))
    return in_shapes, [tuple(data), norm]


@register("L2Normalization", inputs=("data",), params=PARAMS, shape=_shape,
          num_outputs=2, visible_outputs=1)
def l2_normalization(xp, data, *, eps, mode):
    """``out = x / sqrt(sum(x^2) + eps)``, the sum over all but the batch axis
    (instance), over channels (channel) or over space (spatial)."""
    norm = xp.sqrt((data * data).sum(axis=_axes(mode, data.ndim), keepdims=True) + eps)
    return data / norm, norm


@l2_normalization.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = (g - y * sum(g * y)) / norm
    return (F._internal._backward_L2Normalization(ograds[0], outputs[0], outputs[1],
                                                  **params),)


@register("_backward_L2Normalization", inputs=("ograd", "output", "norm"), params=PARAMS,
          differentiable=False)
def _backward_l2_normalization(xp, g, y, norm, *, eps, mode):
    """Gradient of L2Normalization."""
    dot = (g * y).sum(axis=_axes(mode, y.ndim), keepdims=True)
    return (g - y * dot) / norm
