"""SoftmaxActivation (MXNet's ``nn/softmax_activation.cc``): softmax over the last axis
or over channels (deprecated in MXNet in favour of ``softmax``)."""
from ...infer import same
from ...params import Enum
from ...registry import register

PARAMS = (Enum("mode", ("channel", "instance"), "instance"),)


def _softmax(xp, x, axis):
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@register("SoftmaxActivation", inputs=("data",), params=PARAMS, shape=same)
def softmax_activation(xp, data, *, mode):
    """Softmax over axis 1 ('channel'), or ('instance') over the last axis.

    MXNet 1.9.1 compat: 'instance' flattens the data to 2-D keeping the last axis, so
    it is a softmax over each row of the last axis (the whole instance for 2-D data).
    """
    return _softmax(xp, data, 1 if mode == "channel" else -1)


@softmax_activation.gradient
def _(F, inputs, outputs, ograds, mode):
    # d/dx = y (g - sum(g y)), the sum over axis 1 (MXNet's, see the backward)
    return (F._internal._backward_SoftmaxActivation(ograds[0], outputs[0], mode=mode),)


@register("_backward_SoftmaxActivation", inputs=("ograd", "output"), params=PARAMS,
          differentiable=False)
def _backward_softmax_activation(xp, g, y, *, mode):
    """Gradient of SoftmaxActivation."""
    # MXNet 1.9.1 compat: the backward always reduces over axis 1, even in 'instance'
    # mode on data of more than 2 dimensions (where it is not the forward's gradient)
    return y * (g - (g * y).sum(axis=1, keepdims=True))
