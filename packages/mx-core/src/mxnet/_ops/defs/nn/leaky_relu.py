"""LeakyReLU (MXNet's ``leaky_relu.cc``): leaky, prelu, elu, selu, gelu and rrelu."""
import math

from .._special import erf
from ...params import Enum, Float
from ...registry import register

_TYPES = ("elu", "gelu", "leaky", "prelu", "rrelu", "selu")
PARAMS = (Enum("act_type", _TYPES, "leaky"), Float("slope", 0.25),
          Float("lower_bound", 0.125), Float("upper_bound", 0.334))
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def _inputs(attrs):
    return ("data", "gamma") if attrs["act_type"] == "prelu" else ("data",)


def _n_out(attrs):
    return 2 if attrs["act_type"] == "rrelu" else 1


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    shapes = [data]
    if attrs["act_type"] == "prelu":
        # MXNet fills prelu's gamma with one slope per channel
        gamma = in_shapes[1] if in_shapes[1] is not None or data is None else (data[1],)
        shapes.append(gamma)
    return shapes, [data] * _n_out(attrs)


def _gamma(gamma, ndim):
    """prelu's gamma broadcast along the channel axis (axis 1)."""
    if gamma.size == 1 or ndim < 2:
        return gamma.reshape((1,) * ndim if gamma.size == 1 else gamma.shape)
    if gamma.ndim > 1:
        # a multi-axis gamma lines up with data's leading axes (MXNet pads it on the right)
        return gamma.reshape(gamma.shape + (1,) * (ndim - gamma.ndim))
    return gamma.reshape((1, -1) + (1,) * (ndim - 2))


@register("LeakyReLU", inputs=("data", "gamma"), input_filter=_inputs, params=PARAMS,
          shape=_shape, num_outputs=_n_out, output_names=("output", "mask"))
def leaky_relu(xp, data, gamma=None, *, act_type, slope, lower_bound, upper_bound,
               is_train, rng):
    """Leaky ReLU family: ``x`` for x > 0, else ``slope * x`` (leaky), ``gamma * x``
    (prelu), ``slope * (exp(x) - 1)`` (elu), scaled elu (selu), random slope in
    [lower_bound, upper_bound] (rrelu, their mean in inference); gelu is MXNet's tanh
    ``0.5 x (1 + erf(x / sqrt(2)))``."""
    x = data
    if act_type == "leaky":
        return xp.where(x > 0, x, x * slope)
    if act_type == "prelu":
        return xp.where(x > 0, x, x * _gamma(gamma, x.ndim))
    if act_type == "elu":
        return xp.where(x > 0, x, slope * xp.expm1(xp.minimum(x, 0)))
    if act_type == "selu":
        neg = _SELU_ALPHA * xp.expm1(xp.minimum(x, 0))
        return (_SELU_LAMBDA * xp.where(x > 0, x, neg)).astype(x.dtype, copy=False)
    if act_type == "gelu":
        return (0.5 * x * (1 + erf(xp, x * _SQRT_HALF))).astype(x.dtype, copy=False)
    if is_train:
        mask = (rng.random(x.shape) * (upper_bound - lower_bound) + lower_bound)
        mask = mask.astype(x.dtype)
    else:
        mask = xp.full(x.shape, (lower_bound + upper_bound) / 2, dtype=x.dtype)
    return xp.where(x > 0, x, x * mask), mask


@leaky_relu.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = 1 for x > 0, else the slope (leaky/prelu/rrelu) or the elu/selu/gelu derivative
    args = [ograds[0], inputs[0], outputs[0]]
    if params["act_type"] == "prelu":
        return tuple(F._internal._backward_LeakyReLU(*args, inputs[1], **params))
    if params["act_type"] == "rrelu":
        return (F._internal._backward_LeakyReLU(*args, mask=outputs[1], **params),)
    return (F._internal._backward_LeakyReLU(*args, **params),)


def _bw_inputs(attrs):
    extra = {"prelu": ("gamma",), "rrelu": ("mask",)}.get(attrs["act_type"], ())
    return ("ograd", "data", "output") + extra


@register("_backward_LeakyReLU", inputs=("ograd", "data", "output", "gamma", "mask"),
          input_filter=_bw_inputs, params=PARAMS,
          num_outputs=lambda a: 2 if a["act_type"] == "prelu" else 1, differentiable=False)
def _backward_leaky_relu(xp, g, x, y, extra=None, *, act_type, slope, lower_bound,
                         upper_bound):
    """Gradient of LeakyReLU (and of prelu's gamma)."""
    pos = x > 0
    if act_type == "leaky":
        return g * xp.where(pos, 1, slope).astype(g.dtype)
    if act_type == "rrelu":
        return g * xp.where(pos, 1, extra).astype(g.dtype)
    if act_type == "prelu":
        gam = _gamma(extra, x.ndim)
        dx = g * xp.where(pos, 1, gam).astype(g.dtype)
        contrib = g * xp.where(pos, 0, x)
        if extra.size == 1:
            dgam = contrib.sum().reshape(extra.shape)
        elif extra.ndim > 1:
            axes = tuple(i for i in range(x.ndim) if gam.shape[i] == 1 and x.shape[i] != 1)
            dgam = contrib.sum(axis=axes, keepdims=True).reshape(extra.shape)
        else:
            dgam = contrib.sum(axis=(0,) + tuple(range(2, x.ndim)))
        return dx, dgam.astype(extra.dtype)
    if act_type == "elu":
        return g * xp.where(pos, 1, y + slope).astype(g.dtype)
    if act_type == "selu":
        # MXNet 1.9.1 compat: lambda * (y + alpha), not the true y + lambda * alpha
        return g * xp.where(pos, _SELU_LAMBDA, _SELU_LAMBDA * (y + _SELU_ALPHA)).astype(g.dtype)
    d = 0.5 * (1 + erf(xp, x * _SQRT_HALF)) + x * xp.exp(-0.5 * x * x) * _INV_SQRT_2PI
    return (g * d).astype(g.dtype, copy=False)
