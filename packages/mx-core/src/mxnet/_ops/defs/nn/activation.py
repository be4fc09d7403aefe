"""Activation (MXNet's ``nn/activation.cc``): relu, sigmoid, tanh, softrelu, softsign."""
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


@activation.gradient
def _(F, inputs, outputs, ograds, act_type):
    x, y, g = inputs[0], outputs[0], ograds[0]
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
