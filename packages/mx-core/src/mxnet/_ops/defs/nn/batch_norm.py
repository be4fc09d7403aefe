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
    return v.reshape((1,) * axis + (-1,) + (1,) * (ndim - axis - 1))


def _red(axis, ndim):
    return tuple(i for i in range(ndim) if i != axis)


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
    if batch:
        red = _red(ax, data.ndim)
        mean = data.mean(axis=red)
        var = ((data - _bcast(mean, ax, data.ndim)) ** 2).mean(axis=red)
    else:
        mean, var = moving_mean.copy(), moving_var.copy()
    istd = 1 / xp.sqrt(var + eps)
    scale = istd if fix_gamma else istd * gamma
    out = (data - _bcast(mean, ax, data.ndim)) * _bcast(scale, ax, data.ndim) \
        + _bcast(beta, ax, data.ndim)
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
    nd = data.ndim
    ax = _axis(axis, nd)
    red = _red(ax, nd)
    xhat = (data - _bcast(mean, ax, nd)) * _bcast(istd, ax, nd)
    g_sum = ograd.sum(axis=red)
    gx_sum = (ograd * xhat).sum(axis=red)
    gam = xp.ones_like(gamma) if fix_gamma else gamma
    if is_train and not use_global_stats:
        moving_mean *= momentum
        moving_mean += (1 - momentum) * mean
        moving_var *= momentum
        moving_var += (1 - momentum) * (1 / (istd * istd) - eps)
        m = data.size // data.shape[ax]
        dx = (ograd - _bcast(g_sum / m, ax, nd) - xhat * _bcast(gx_sum / m, ax, nd)) \
            * _bcast(istd * gam, ax, nd)
    else:
        dx = ograd * _bcast(istd * gam, ax, nd)
    dgamma = xp.zeros_like(gamma) if fix_gamma else gx_sum.astype(gamma.dtype)
    return dx.astype(data.dtype, copy=False), dgamma, g_sum.astype(gamma.dtype)
