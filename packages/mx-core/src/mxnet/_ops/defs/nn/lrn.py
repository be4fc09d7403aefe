"""LRN (MXNet's ``nn/lrn.cc``): local response normalization across channels."""
from ...params import Float, Int
from ...registry import register

PARAMS = (Float("alpha", 1e-4), Float("beta", 0.75), Float("knorm", 2.0), Int("nsize"))


def _channel_window_sum(xp, v, nsize):
    """Sum of ``v`` over the channels within (nsize - 1) // 2 of each (zero outside).

    MXNet 1.9.1 compat: an even ``nsize`` sums nsize - 1 channels (still divided by
    nsize in the scale).
    """
    half = (nsize - 1) // 2
    widths = [(0, 0), (half, half)] + [(0, 0)] * (v.ndim - 2)
    vp = xp.pad(v, widths)
    c = v.shape[1]
    out = vp[:, :c].copy()
    for i in range(1, 2 * half + 1):
        out += vp[:, i:i + c]
    return out


@register("LRN", inputs=("data",), params=PARAMS,
          shape=lambda a, s: (s, [s[0], s[0]]), num_outputs=2, visible_outputs=1)
def lrn(xp, data, *, alpha, beta, knorm, nsize):
    """``out = x / (knorm + alpha / nsize * sum_{window} x^2) ^ beta`` over ``nsize``
    neighbouring channels; the hidden output is the denominator's base."""
    scale = knorm + (alpha / nsize) * _channel_window_sum(xp, data * data, nsize)
    return (data * scale ** -beta).astype(data.dtype, copy=False), scale


@lrn.gradient
def _(F, inputs, outputs, ograds, **params):
    # dx = g s^-b - 2 a b / n * x * window_sum(g x s^(-b-1))
    return (F._internal._backward_LRN(ograds[0], inputs[0], outputs[1], **params),)


@register("_backward_LRN", inputs=("ograd", "data", "scale"), params=PARAMS,
          differentiable=False)
def _backward_lrn(xp, g, x, scale, *, alpha, beta, knorm, nsize):
    """Gradient of LRN."""
    t = _channel_window_sum(xp, g * x * scale ** (-beta - 1), nsize)
    dx = g * scale ** -beta - (2 * alpha * beta / nsize) * x * t
    return dx.astype(x.dtype, copy=False)
