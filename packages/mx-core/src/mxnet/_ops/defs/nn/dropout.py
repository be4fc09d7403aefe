"""Dropout (MXNet's ``nn/dropout.cc``): zero a fraction ``p`` in training, rescale."""
from ...params import Bool, Enum, Float, Shape
from ...registry import register

PARAMS = (Float("p", 0.5), Enum("mode", ("always", "training"), "training"),
          Shape("axes", ()), Bool("cudnn_off", False))


@register("Dropout", inputs=("data",), params=PARAMS, num_outputs=2, visible_outputs=1,
          shape=lambda a, s: (s, [s[0], s[0]]))
def dropout(xp, data, *, p, mode, axes, cudnn_off, is_train, rng):
    """Randomly zeroes elements with probability ``p`` (whole slices along ``axes``) and
    scales the rest by ``1 / (1 - p)``; identity outside training unless mode='always'.
    The hidden second output is the mask the gradient uses."""
    if not (is_train or mode == "always") or p == 0:
        return data.copy(), xp.ones((1,) * data.ndim, dtype=data.dtype)
    shape = tuple(1 if i in axes else n for i, n in enumerate(data.shape))
    keep = rng.random(shape) >= p
    mask = (keep * (1 / (1 - p) if p < 1 else 0.0)).astype(data.dtype)
    return data * mask, mask


@dropout.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = mask (0 or 1 / (1 - p))
    return (F.broadcast_mul(ograds[0], outputs[1]),)
