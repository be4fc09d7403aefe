"""softmax / log_softmax / softmin: exp and shift fused into one elementwise kernel that
reads float16 directly and computes in float32 (mx-core's generic code first copies
float16 to float32, then shifts, exponentiates and divides in separate passes).

With ``use_length`` the generic (masked) code runs.
"""
import numpy as np

from mxnet._ops.defs.nn import softmax as _core

from ._xp import elementwise


def _exp_numpy(x, m, scale):
    return np.exp(x.astype(np.float32) * scale - m)


SHIFTED_EXP = ("shifted_exp", "T x, float32 m, float32 scale", "float32 e",
               "e = exp((float)x * scale - m);")


def _shifted_exp(xp, x, m, scale):
    """``exp(x * scale - m)`` in float32."""
    return elementwise(xp, *SHIFTED_EXP, _exp_numpy)(x, m, np.float32(scale))


def _make(name, log, negate):
    def kernel(xp, data, length=None, *, axis, temperature, dtype, use_length):
        if use_length or data.dtype == np.float64:
            return _core._softmax(xp, data, length, axis, temperature, log,
                                  negate).astype(dtype or data.dtype)
        t = 1.0 if temperature is None else float(temperature)
        scale = (-1.0 if negate else 1.0) / t
        # the maximum of x * scale, from the max or the min of x: exact in any dtype
        ext = data.min(axis=axis, keepdims=True) if scale < 0 else \
            data.max(axis=axis, keepdims=True)
        m = ext.astype("float32") * np.float32(scale)
        e = _shifted_exp(xp, data, m, scale)
        s = e.sum(axis=axis, keepdims=True)
        if log:
            out = data.astype("float32") * np.float32(scale) - m - xp.log(s)
        else:
            out = e / s
        return out.astype(dtype or data.dtype, copy=False)
    kernel.__name__ = name
    return kernel


KERNELS = {"softmax": _make("softmax", False, False),
           "log_softmax": _make("log_softmax", True, False),
           "softmin": _make("softmin", False, True)}
