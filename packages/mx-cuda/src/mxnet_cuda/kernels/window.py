"""Sliding windows as ONE gather: the flat input index of every (kernel offset, output
position), built once per geometry on the host and cached on the device.

mx-core's generic code takes one strided slice per kernel offset (kh*kw copies and, in
the gradients, kh*kw slice-adds); here im2col is a single ``take`` and col2im a single
``scatter_add``, which on a GPU is one kernel launch each instead of kh*kw.
"""
import math

import numpy as np

from ._xp import device_const


def window_index(padded_sp, kernel, stride, dilate, out_sp):
    """(prod(kernel), prod(out_sp)) int64: flat index into an array of ``padded_sp``.

    Kernel offsets run in C order, as the weight's trailing axes (and mx-core's im2col).
    """
    nd = len(kernel)
    strides = [math.prod(padded_sp[i + 1:]) for i in range(nd)]
    total = np.zeros((1,) * (2 * nd), dtype=np.int64)
    for i in range(nd):
        k_shape = [1] * (2 * nd)
        k_shape[i] = kernel[i]
        o_shape = [1] * (2 * nd)
        o_shape[nd + i] = out_sp[i]
        pos = (np.arange(kernel[i]) * dilate[i]).reshape(k_shape) \
            + (np.arange(out_sp[i]) * stride[i]).reshape(o_shape)
        total = total + pos * strides[i]
    return total.reshape(math.prod(kernel), math.prod(out_sp))


def batched_index(xp, batch, padded_sp, kernel, stride, dilate, out_sp):
    """(KK, batch, P) flat index into (batch, prod(padded_sp)), on ``xp``'s device."""
    key = ("win", batch, tuple(padded_sp), tuple(kernel), tuple(stride), tuple(dilate),
           tuple(out_sp))

    def build():
        win = window_index(padded_sp, kernel, stride, dilate, out_sp)
        size = math.prod(padded_sp)
        return (win[:, None, :] + size * np.arange(batch)[None, :, None]).ravel()
    return device_const(xp, key, build)


def plain_index(xp, padded_sp, kernel, stride, dilate, out_sp):
    """(KK * P,) flat index into prod(padded_sp), on ``xp``'s device."""
    key = ("plain", tuple(padded_sp), tuple(kernel), tuple(stride), tuple(dilate),
           tuple(out_sp))
    return device_const(xp, key, lambda: window_index(
        padded_sp, kernel, stride, dilate, out_sp).ravel())
