"""Flips (also random) of HWC images; their gradient passes through, as in 1.9.1."""
from ...infer import same
from ...registry import register
from ._common import _check_hwc


def _copy_gradient(op):
    # MXNet 1.9.1 compat: flips and colour augmenters pass the head gradient straight
    # through (ElemwiseGradUseNone{"_copy"}), unflipped and unscaled.
    @op.gradient
    def _(F, inputs, outputs, ograds, **params):  # treated as identity: d/dx = 1
        return (ograds[0],)
    return op


def _hwc_shape(op):
    def rule(attrs, in_shapes):
        if in_shapes[0] is not None:
            _check_hwc(op, in_shapes[0])
        return same(attrs, in_shapes)
    return rule


def _flip(xp, data, axis, op):
    _check_hwc(op, data.shape)
    return xp.ascontiguousarray(xp.flip(data, axis=axis))


@register("_image_flip_left_right", inputs=("data",), shape=_hwc_shape("flip_left_right"))
def flip_left_right(xp, data):
    """Mirrors an HWC image along its width."""
    return _flip(xp, data, -2, "flip_left_right")


@register("_image_flip_top_bottom", inputs=("data",), shape=_hwc_shape("flip_top_bottom"))
def flip_top_bottom(xp, data):
    """Mirrors an HWC image along its height."""
    return _flip(xp, data, -3, "flip_top_bottom")


@register("_image_random_flip_left_right", inputs=("data",),
          shape=_hwc_shape("random_flip_left_right"))
def random_flip_left_right(xp, data, *, rng):
    """Mirrors an HWC image along its width with probability 0.5."""
    if float(rng.random()) < 0.5:
        return _flip(xp, data, -2, "random_flip_left_right")
    return data.copy()


@register("_image_random_flip_top_bottom", inputs=("data",),
          shape=_hwc_shape("random_flip_top_bottom"))
def random_flip_top_bottom(xp, data, *, rng):
    """Mirrors an HWC image along its height with probability 0.5."""
    if float(rng.random()) < 0.5:
        return _flip(xp, data, -3, "random_flip_top_bottom")
    return data.copy()


for _op in (flip_left_right, flip_top_bottom, random_flip_left_right, random_flip_top_bottom):
    _copy_gradient(_op)
