"""SyncBatchNorm (MXNet's ``contrib/sync_batch_norm.cc``) on one device.

Statistics are synchronised across ``ndev`` devices by ``key`` in MXNet; with one
process and one device the batch statistics are already global, so the operator is
BatchNorm on axis 1 whose third output is the variance instead of the inverse std."""
from ...params import Bool, Float, Int, Str
from ...registry import register
from ..nn.batch_norm import _bn_shape, batch_norm

PARAMS = (Float("eps", 1e-3), Float("momentum", 0.9), Bool("fix_gamma", True),
          Bool("use_global_stats", False), Bool("output_mean_var", False),
          Int("ndev", 1), Str("key"))


def _bn_params(eps, momentum, fix_gamma, use_global_stats, output_mean_var, **_):
    return dict(eps=eps, momentum=momentum, fix_gamma=fix_gamma,
                use_global_stats=use_global_stats, output_mean_var=output_mean_var,
                axis=1, cudnn_off=False, min_calib_range=None, max_calib_range=None)


@register("_contrib_SyncBatchNorm", inputs=("data", "gamma", "beta", "moving_mean",
                                            "moving_var"),
          aux=("moving_mean", "moving_var"), params=PARAMS,
          shape=lambda a, s: _bn_shape(dict(a, axis=1), s), num_outputs=3,
          visible_outputs=lambda a: 3 if a["output_mean_var"] else 1,
          output_names=("output", "mean", "var"))
def sync_batch_norm(xp, data, gamma, beta, moving_mean, moving_var, *, is_train, **params):
    """Batch normalization over every axis but 1; outputs (out, mean, var)."""
    out, mean, istd = batch_norm.forward(xp, data, gamma, beta, moving_mean, moving_var,
                                 is_train=is_train, **_bn_params(**params))
    var = 1 / (istd.astype("float64") ** 2) - params["eps"]
    return out, mean, var.astype(istd.dtype)


@sync_batch_norm.gradient
def _(F, inputs, outputs, ograds, **params):
    # same derivative as BatchNorm's, fed with istd = 1 / sqrt(var + eps)
    data, gamma, _beta, moving_mean, moving_var = inputs
    istd = F.rsqrt(outputs[2] + params["eps"])
    grads = F._internal._backward_BatchNorm(ograds[0], data, gamma, outputs[1], istd,
                                           moving_mean, moving_var, **_bn_params(**params))
    return tuple(grads) + (None, None)
