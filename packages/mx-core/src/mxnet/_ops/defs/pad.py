"""Pad (MXNet's ``pad.cc``): constant, edge or reflect padding of 4-D/5-D arrays.

The gradient sums the head gradient back through the same index map the forward
used (``_backward_Pad``), so it is exact for every mode and linear, hence
differentiable again (its own gradient is Pad with a zero constant).
"""
from ...base import MXNetError
from ..params import Enum, Float, Shape
from ..registry import register


def _pairs(shape, pad_width, op_name="Pad"):
    if len(pad_width) != 2 * len(shape):
        raise MXNetError(f"Operator {op_name}: pad_width must have 2 * ndim = "
                         f"{2 * len(shape)} entries, got {len(pad_width)}")
    if len(shape) not in (4, 5) or any(pad_width[:4]):
        raise MXNetError(f"Operator {op_name}: only 4-D and 5-D inputs padded on their "
                         f"spatial axes are supported, got shape {tuple(shape)} and "
                         f"pad_width {tuple(pad_width)}")
    return [(pad_width[2 * i], pad_width[2 * i + 1]) for i in range(len(shape))]


def _pad_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    pairs = _pairs(src, attrs["pad_width"])
    return in_shapes, [tuple(s + a + b for s, (a, b) in zip(src, pairs))]


@register("Pad", inputs=("data",), aliases=("pad",), shape=_pad_shape,
          params=(Enum("mode", ("constant", "edge", "reflect")), Shape("pad_width"),
                  Float("constant_value", 0.0)))
def pad(xp, data, *, mode, pad_width, constant_value):
    """Pads the spatial axes of a 4-D/5-D array; ``pad_width`` gives (before, after)
    for every axis, the first two pairs being zero."""
    pairs = _pairs(data.shape, pad_width)
    if mode == "constant":
        return xp.pad(data, pairs, mode="constant",
                      constant_values=data.dtype.type(constant_value))
    if mode == "reflect" and any(max(p) >= s for p, s in zip(pairs, data.shape) if max(p)):
        raise MXNetError(f"Operator Pad: reflect padding {tuple(pad_width)} must be "
                         f"smaller than the padded axes of {data.shape}")
    return xp.pad(data, pairs, mode=mode)


@pad.gradient
def _(F, inputs, outputs, ograds, mode, pad_width, constant_value):
    # d/dx = g summed over every output position copied from each input position
    return (F._internal._backward_Pad(ograds[0], inputs[0], mode=mode,
                                      pad_width=pad_width),)


@register("_backward_Pad", inputs=("ograd", "like"), shape=lambda attrs, s: (s, [s[1]]),
          params=(Enum("mode", ("constant", "edge", "reflect")), Shape("pad_width")))
def backward_pad(xp, ograd, like, *, mode, pad_width):
    """Adjoint of Pad: sums ``ograd`` back onto the input positions, axis by axis."""
    out = ograd
    for axis, (before, after) in enumerate(_pairs(like.shape, pad_width)):
        if not before and not after:
            continue
        n = like.shape[axis]
        if mode == "constant":
            src = xp.pad(xp.arange(n), (before, after), mode="constant",
                         constant_values=-1)
        else:
            src = xp.pad(xp.arange(n), (before, after), mode=mode)
        keep = src >= 0
        moved = xp.moveaxis(out, axis, 0)[keep]
        acc = xp.zeros((n,) + moved.shape[1:], dtype=ograd.dtype)
        xp.add.at(acc, src[keep], moved)
        out = xp.moveaxis(acc, 0, axis)
    return xp.ascontiguousarray(out)


@backward_pad.gradient
def _(F, inputs, outputs, ograds, mode, pad_width):   # adjoint of the adjoint: Pad
    return F.Pad(ograds[0], mode=mode, pad_width=pad_width, constant_value=0.0), None
