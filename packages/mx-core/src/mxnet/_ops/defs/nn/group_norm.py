"""GroupNorm (MXNet's ``nn/group_norm.cc``): normalize each group of channels."""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Float, Int
from ...registry import register
from ._norm import grad_normalized, normalize

PARAMS = (Int("num_groups", 1), Float("eps", 1e-5), Bool("output_mean_var", False))


def _grouped(data, g):
    if data.shape[1] % g:
        raise MXNetError(f"Operator GroupNorm: num_groups {g} must divide the channels "
                         f"of data shape {data.shape}")
    return data.reshape(data.shape[0], g, -1)


def _gn_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * 3
    g = (attrs["num_groups"],)
    # MXNet 1.9.1 compat: gamma and beta hold one value per group, not per channel
    check_shape("GroupNorm", "gamma", g, in_shapes[1])
    check_shape("GroupNorm", "beta", g, in_shapes[2])
    return [tuple(data), g, g], [tuple(data), (data[0],) + g, (data[0],) + g]


@register("GroupNorm", inputs=("data", "gamma", "beta"), params=PARAMS, shape=_gn_shape,
          num_outputs=3, visible_outputs=lambda a: 3 if a["output_mean_var"] else 1,
          output_names=("output", "mean", "std"))
def group_norm(xp, data, gamma, beta, *, num_groups, eps, output_mean_var):
    """Group normalization: channels split into ``num_groups`` groups, each normalized
    over its channels and space; then ``* gamma[group] + beta[group]``."""
    x = _grouped(data, num_groups)
    xhat, mean, std = normalize(xp, x, (2,), eps)
    out = xhat * gamma.reshape(1, -1, 1) + beta.reshape(1, -1, 1)
    return (out.reshape(data.shape).astype(data.dtype, copy=False), mean[..., 0],
            std[..., 0])


@group_norm.gradient
def _(F, inputs, outputs, ograds, **params):
    # dx = (gh - mean(gh) - xh mean(gh xh)) / std per group, gh = g*gamma; dgamma = sum g xh
    return F._internal._backward_GroupNorm(ograds[0], inputs[0], inputs[1], outputs[1],
                                           outputs[2], **params)


@register("_backward_GroupNorm", inputs=("ograd", "data", "gamma", "mean", "std"),
          params=PARAMS, num_outputs=3, differentiable=False)
def _backward_group_norm(xp, ograd, data, gamma, mean, std, *, num_groups, eps,
                         output_mean_var):
    """Gradients of GroupNorm with respect to data, gamma and beta."""
    x = _grouped(data, num_groups)
    g = _grouped(ograd, num_groups)
    xhat = (x - mean[..., None]) / std[..., None]
    dx = grad_normalized(g * gamma.reshape(1, -1, 1), xhat, std[..., None], (2,))
    return (dx.reshape(data.shape).astype(data.dtype, copy=False),
            (g * xhat).sum(axis=(0, 2)), g.sum(axis=(0, 2)))
