"""BatchNorm forward: statistics accumulated in float32 straight from float16 data, and
the normalisation as ONE fused elementwise kernel ``y = x * scale + shift``.

mx-core's generic code first copies float16 data to float32 and normalises in four
elementwise passes; the gradient keeps mx-core's code (reductions dominate it).
"""
import numpy as np

from mxnet._ops.defs.nn.batch_norm import _axis, _bcast, _red

from ._xp import elementwise


def _affine_numpy(x, scale, shift):
    acc = np.float64 if x.dtype == np.float64 else np.float32
    return (x.astype(acc) * scale + shift).astype(x.dtype)


AFFINE = ("affine", "T x, S scale, S shift", "T y", "y = (T)((S)x * scale + shift);")


def affine(xp, x, scale, shift):
    """``x * scale + shift`` computed in ``scale``'s type, the result in ``x``'s."""
    return elementwise(xp, *AFFINE, _affine_numpy)(x, scale, shift)


def batch_norm(xp, data, gamma, beta, moving_mean, moving_var, *, eps, momentum,
               fix_gamma, use_global_stats, output_mean_var, axis, cudnn_off,
               min_calib_range, max_calib_range, is_train):
    """GPU kernel of ``BatchNorm`` (same outputs: out, mean, inverse std)."""
    nd = data.ndim
    ax = _axis(axis, nd)
    acc = "float64" if data.dtype == np.float64 else "float32"
    if is_train and not use_global_stats:
        red = _red(ax, nd)
        mean = data.mean(axis=red, dtype=acc)
        var = data.var(axis=red, dtype=acc)
    else:
        mean, var = moving_mean.astype(acc), moving_var.astype(acc)
    istd = 1 / xp.sqrt(var + eps)
    scale = istd if fix_gamma else istd * gamma.astype(acc, copy=False)
    shift = beta.astype(acc, copy=False) - mean * scale
    out = affine(xp, data, _bcast(scale, ax, nd), _bcast(shift, ax, nd))
    return (out, mean.astype(moving_mean.dtype, copy=False),
            istd.astype(moving_var.dtype, copy=False))


KERNELS = {"BatchNorm": batch_norm}
