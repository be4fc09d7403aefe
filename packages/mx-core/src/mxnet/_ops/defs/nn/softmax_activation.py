"""SoftmaxActivation (MXNet's ``nn/softmax_activation.cc``): softmax per instance or
per channel (deprecated in MXNet in favour of ``softmax``)."""
from ...infer import same
from ...params import Enum
from ...registry import register

PARAMS = (Enum("mode", ("channel", "instance"), "instance"),)


def _softmax(xp, x, axis):
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@register("SoftmaxActivation", inputs=("data",), params=PARAMS, shape=same)
def softmax_activation(xp, data, *, mode):
    """Softmax over all but the batch axis ('instance') or over axis 1 ('channel')."""
    if mode == "channel":
        return _softmax(xp, data, 1)
    return _softmax(xp, data.reshape(data.shape[0], -1), 1).reshape(data.shape)


@softmax_activation.gradient
def _(F, inputs, outputs, ograds, mode):
    # d/dx = y (g - sum(g y))
    return (F._internal._backward_SoftmaxActivation(ograds[0], outputs[0], mode=mode),)


@register("_backward_SoftmaxActivation", inputs=("ograd", "output"), params=PARAMS,
          differentiable=False)
def _backward_softmax_activation(xp, g, y, *, mode):
    """Gradient of SoftmaxActivation."""
    if mode == "channel":
        return y * (g - (g * y).sum(axis=1, keepdims=True))
    g2, y2 = g.reshape(g.shape[0], -1), y.reshape(y.shape[0], -1)
    return (y2 * (g2 - (g2 * y2).sum(axis=1, keepdims=True))).reshape(g.shape)
