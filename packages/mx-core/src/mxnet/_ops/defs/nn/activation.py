"""Activation (MXNet's ``nn/activation.cc``): relu, sigmoid, tanh, softrelu, softsign."""
from .... import autograd as _autograd
from ...infer import errstate, same
from ...params import Enum
from ...registry import register

_ACTS = ("relu", "sigmoid", "tanh", "softrelu", "softsign", "log_sigmoid", "mish")


@register("Activation", inputs=("data",), params=(Enum("act_type", _ACTS),), shape=same)
def activation(xp, data, *, act_type):
    """Applies an activation function element-wise to the input."""
    if act_type == "relu":
        return xp.maximum(data, 0)
    if act_type == "sigmoid":
        with errstate(xp, over="ignore"):
            return 1 / (1 + xp.exp(-data))
    if act_type == "tanh":
        return xp.tanh(data)
    if act_type == "softrelu":
        return xp.logaddexp(data, 0).astype(data.dtype)
    if act_type == "softsign":
        return data / (1 + xp.abs(data))
    if act_type == "log_sigmoid":
        return -xp.logaddexp(-data, 0).astype(data.dtype)
    sp = xp.logaddexp(data, 0).astype(data.dtype)       # mish = x * tanh(softplus(x))
    return data * xp.tanh(sp)


# act types whose derivative is a function of the output: one fused backward kernel
_FROM_OUTPUT = ("relu", "sigmoid", "tanh")


@register("_backward_Activation", inputs=("ograd", "output"), params=(Enum("act_type", _ACTS),),
          shape=lambda attrs, s: same(attrs, s[:1]), differentiable=False)
def backward_activation(xp, ograd, output, *, act_type):
    """Gradient of Activation (relu, sigmoid, tanh) with respect to its data, from its
    output: the same operations as the composed gradient, in one fresh array."""
    if act_type == "relu":
        return xp.multiply(ograd, output > 0)
    if act_type == "sigmoid":
        gx = xp.multiply(ograd, output)
        gx *= 1 - output
        return gx
    if act_type == "tanh":
        gx = xp.multiply(output, output)
        xp.subtract(1, gx, out=gx)
        xp.multiply(ograd, gx, out=gx)
        return gx
    raise ValueError(f"_backward_Activation: act_type {act_type!r} needs the input")


@activation.gradient
def _(F, inputs, outputs, ograds, act_type):
    x, y, g = inputs[0], outputs[0], ograds[0]
    # create_graph records the composed gradient (it differentiates again); otherwise,
    # and in symbolic graphs, one fused kernel computes the same values
    if act_type in _FROM_OUTPUT and not (
            F.__name__.endswith("ndarray") and _autograd.is_recording()):
        return (F._internal._backward_Activation(g, y, act_type=act_type),)
    if act_type == "relu":
        return (g * (x > 0),)                      # d/dx = 1 where x > 0
    if act_type == "sigmoid":
        return (g * y * (1 - y),)                  # d/dx = y (1 - y)
    if act_type == "tanh":
        return (g * (1 - y * y),)                  # d/dx = 1 - y^2
    if act_type == "softrelu":
        return (g * F.sigmoid(x),)                 # d/dx = sigmoid(x)
    if act_type == "softsign":
        return (g / F.square(1 + F.abs(x)),)       # d/dx = 1 / (1 + |x|)^2
    if act_type == "log_sigmoid":
        return (g * F.sigmoid(-x),)                # d/dx = 1 - sigmoid(x)
    sp = F.Activation(x, act_type="softrelu")      # mish' = tanh(sp) + x sech^2(sp) sig(x)
    t = F.tanh(sp)
    return (g * (t + x * (1 - t * t) * F.sigmoid(x)),)
