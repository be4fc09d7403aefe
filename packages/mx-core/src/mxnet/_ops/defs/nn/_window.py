"""Sliding-window helpers shared by convolution, pooling, im2col and their gradients.

Every window operation is a loop over the *kernel offsets* (kh*kw slices), each slice a
strided view covering all output positions at once: no per-element Python.
"""
import itertools

from ....base import MXNetError


def expand(value, n, fill):
    """``value`` as an n-tuple (MXNet's empty tuple means ``fill`` everywhere)."""
    if not value:
        return (fill,) * n
    if len(value) != n:
        raise MXNetError(f"expected a tuple of {n} values, got {tuple(value)}")
    return tuple(value)


def out_size(size, k, s, p, d, ceil=False):
    """Output length of a window of ``k`` (dilation ``d``) sliding by ``s`` over size + 2p."""
    span = size + 2 * p - (d * (k - 1) + 1)
    if ceil:
        return 1 + -(-span // s)
    return 1 + span // s


def offsets(kernel, stride, dilate, out_sp):
    """Index tuples (leading axes kept by Ellipsis), one per kernel offset, in C order."""
    for offs in itertools.product(*[range(k) for k in kernel]):
        yield (Ellipsis,) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s)
                                  for o, d, s, n in zip(offs, dilate, stride, out_sp))


def pad_spatial(xp, x, pad, value=0, extra=None):
    """Pad the trailing len(pad) axes by ``pad`` on both sides (plus ``extra`` after)."""
    extra = extra or (0,) * len(pad)
    if not any(pad) and not any(extra):
        return x
    widths = [(0, 0)] * (x.ndim - len(pad)) + [(p, p + e) for p, e in zip(pad, extra)]
    return xp.pad(x, widths, mode="constant", constant_values=value)


def unpad(x, pad, size):
    """Inverse of :func:`pad_spatial`: the central ``size`` of the trailing axes."""
    return x[(Ellipsis,) + tuple(slice(p, p + n) for p, n in zip(pad, size))]


def im2col(xp, xp_pad, kernel, stride, dilate, out_sp, axis):
    """Stack each kernel offset's slice of padded ``xp_pad`` along a new ``axis``."""
    return xp.stack([xp_pad[idx] for idx in offsets(kernel, stride, dilate, out_sp)],
                    axis=axis)


def col2im(xp, cols, padded_shape, kernel, stride, dilate, out_sp, axis):
    """Sum ``cols`` (kernel offsets along ``axis``) back into a zero padded array."""
    out = xp.zeros(padded_shape, dtype=cols.dtype)
    for j, idx in enumerate(offsets(kernel, stride, dilate, out_sp)):
        out[idx] += xp.take(cols, j, axis=axis)
    return out
