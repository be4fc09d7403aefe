"""BatchNorm (MXNet's ``nn/batch_norm.cc``): batch statistics in training, moving ones
otherwise. The moving statistics (auxiliary states) are updated in place by the
*backward* pass, as MXNet 1.9.1's CPU kernel does: a training forward alone leaves them."""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Float, Int, Optional
from ...registry import register

PARAMS = (Float("eps", 1e-3), Float("momentum", 0.9), Bool("fix_gamma", True),
          Bool("use_global_stats", False), Bool("output_mean_var", False), Int("axis", 1),
          Bool("cudnn_off", False), Optional(Float("min_calib_range")),
          Optional(Float("max_calib_range")))


def _axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise MXNetError(f"Operator BatchNorm: axis {axis} is out of range for data of "
                         f"{ndim} dimensions")
    return axis % ndim


def _bn_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * 3
    c = (data[_axis(attrs["axis"], len(data))],)
    for i, name in enumerate(("gamma", "beta", "moving_mean", "moving_var"), 1):
        check_shape("BatchNorm", name, c, in_shapes[i])
    return [tuple(data)] + [c] * 4, [tuple(data), c, c]


def _bcast(v, axis, ndim):
    # also mx-cuda's BatchNorm kernel's helper
    return v.reshape((1,) * axis + (-1,) + (1,) * (ndim - axis - 1))


def _red(axis, ndim):
    return tuple(i for i in range(ndim) if i != axis)


def _split(x, axis):
    """``x`` as (before, C, after): every per-channel op is then a (1, C, 1) broadcast
    and every per-channel sum two contiguous reductions."""
    pre = 1
    for d in x.shape[:axis]:
        pre *= d
    return x.reshape(pre, x.shape[axis], -1)


def _csum(x3):
    """Per-channel sums of a (before, C, after) array."""
    return x3.sum(axis=2).sum(axis=0)


def _cdot(xp, a3, b3):
    """Per-channel ``sum(a * b)`` of two (before, C, after) arrays: a stack of BLAS dot
    products, with no full-size temporary (float16 keeps NumPy's float32 reductions)."""
    if a3.dtype != b3.dtype or a3.dtype not in ("float32", "float64"):
        return _csum(a3 * b3)
    dots = xp.matmul(a3[:, :, None, :], b3[:, :, :, None])
    return dots.reshape(a3.shape[:2]).sum(axis=0)


def _col(v):
    return v.reshape(1, -1, 1)


@register("BatchNorm", inputs=("data", "gamma", "beta", "moving_mean", "moving_var"),
          aux=("moving_mean", "moving_var"), params=PARAMS, shape=_bn_shape,
          num_outputs=3, visible_outputs=lambda a: 3 if a["output_mean_var"] else 1,
          aliases=("BatchNorm_v1",), output_names=("output", "mean", "var"))
def batch_norm(xp, data, gamma, beta, moving_mean, moving_var, *, eps, momentum,
               fix_gamma, use_global_stats, output_mean_var, axis, cudnn_off,
               min_calib_range, max_calib_range, is_train):
    """Batch normalization: ``out = (x - mean) / sqrt(var + eps) * gamma + beta``.

    In training (and without ``use_global_stats``) mean and var are the batch's, over
    every axis but ``axis``; the backward then sets ``moving = moving * momentum +
    batch * (1 - momentum)``. With ``fix_gamma`` gamma is taken as 1.
    """
    ax = _axis(axis, data.ndim)
    batch = is_train and not use_global_stats
    out_dtype = data.dtype
    if data.dtype == "float16":        # float32 arithmetic, as MXNet's kernel
        data = data.astype("float32")
    x3 = _split(data, ax)
    if batch:
        m = x3.shape[0] * x3.shape[2]
        mean = _csum(x3) / m
        work = x3 - _col(mean)         # the one full-size temporary, reused for the output
        var = _cdot(xp, work, work) / m
    else:
        mean, var = moving_mean.copy(), moving_var.copy()
        work = xp.empty_like(x3)
    istd = 1 / xp.sqrt(var + eps)
    # out = x * a + b with per-channel a = gamma * istd, b = beta - mean * a
    a = istd if fix_gamma else istd * gamma
    b = beta - mean * a
    out = xp.multiply(x3, _col(a), out=work)
    out += _col(b)
    out = out.reshape(data.shape)
    # MXNet 1.9.1 compat: the third output is the inverse std, not the variance
    return (out.astype(out_dtype, copy=False), mean.astype(moving_mean.dtype, copy=False),
            istd.astype(moving_var.dtype, copy=False))


@batch_norm.gradient
def _(F, inputs, outputs, ograds, **params):
    # batch stats: dx = istd/m (m*dxh - sum dxh - xh*sum(dxh*xh)); dgamma = sum g*xh;
    # dbeta = sum g; global stats: dx = g*gamma*istd
    data, gamma, beta, moving_mean, moving_var = inputs
    grads = F._internal._backward_BatchNorm(ograds[0], data, gamma, outputs[1], outputs[2],
                                           moving_mean, moving_var, **params)
    return tuple(grads) + (None, None)


@register("_backward_BatchNorm", inputs=("ograd", "data", "gamma", "mean", "istd",
                                          "moving_mean", "moving_var"),
          aux=("moving_mean", "moving_var"), params=PARAMS, num_outputs=3,
          differentiable=False)
def _backward_batch_norm(xp, ograd, data, gamma, mean, istd, moving_mean, moving_var, *,
                         eps, momentum,
                         fix_gamma, use_global_stats, output_mean_var, axis, cudnn_off,
                         min_calib_range, max_calib_range, is_train):
    """Gradients of BatchNorm with respect to data, gamma and beta.

    MXNet 1.9.1 compat: the batch formula applies whenever the *backward* runs in
    training mode, with the statistics the forward saved (the moving ones when the
    forward ran in inference mode); it then updates the moving statistics in place.
    """
    ax = _axis(axis, data.ndim)
    x3, g3 = _split(data, ax), _split(ograd, ax)
    g_sum = _csum(g3)
    work = x3 - _col(mean)                     # x - mean: the one full-size temporary
    gx_sum = _cdot(xp, g3, work) * istd        # sum(g * xhat)
    k1 = istd if fix_gamma else istd * gamma   # dx = g * k1 (+ centering terms)
    if is_train and not use_global_stats:
        moving_mean *= momentum
        moving_mean += (1 - momentum) * mean
        moving_var *= momentum
        moving_var += (1 - momentum) * (1 / (istd * istd) - eps)
        m = x3.shape[0] * x3.shape[2]
        # dx = k1 (g - sum(g)/m - xhat sum(g xhat)/m), built in place over x - mean
        dx = xp.multiply(work, _col(-istd * gx_sum / m), out=work)
        dx += g3
        dx += _col(-g_sum / m)
        dx *= _col(k1)
    else:
        dx = xp.multiply(g3, _col(k1), out=work)
    dx = dx.reshape(data.shape)
    dgamma = xp.zeros_like(gamma) if fix_gamma else gx_sum.astype(gamma.dtype)
    return dx.astype(data.dtype, copy=False), dgamma, g_sum.astype(gamma.dtype)
