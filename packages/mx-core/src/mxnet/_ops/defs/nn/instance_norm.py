"""InstanceNorm (MXNet's ``instance_norm.cc``): normalize each (sample, channel) over
its spatial positions, then scale/shift per channel."""
from ...infer import check_shape
from ...params import Float
from ...registry import register
from ._norm import grad_normalized, normalize

PARAMS = (Float("eps", 1e-3),)


def _in_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * 3
    c = (data[1],)
    check_shape("InstanceNorm", "gamma", c, in_shapes[1])
    check_shape("InstanceNorm", "beta", c, in_shapes[2])
    return [tuple(data), c, c], [tuple(data), tuple(data[:2]), tuple(data[:2])]


def _flat(x):
    return x.reshape(x.shape[0], x.shape[1], -1)


@register("InstanceNorm", inputs=("data", "gamma", "beta"), params=PARAMS,
          shape=_in_shape, num_outputs=3, visible_outputs=1)
def instance_norm(xp, data, gamma, beta, *, eps):
    """Instance normalization: ``out = (x - mean) / sqrt(var + eps) * gamma + beta`` with
    mean and var of each sample and channel over space."""
    xhat, mean, std = normalize(xp, _flat(data), (2,), eps)
    out = xhat * gamma.reshape(1, -1, 1) + beta.reshape(1, -1, 1)
    return out.reshape(data.shape).astype(data.dtype, copy=False), mean[..., 0], std[..., 0]


@instance_norm.gradient
def _(F, inputs, outputs, ograds, **params):
    # dx = (gh - mean(gh) - xh mean(gh xh)) / std per (n, c), gh = g*gamma
    return F._internal._backward_InstanceNorm(ograds[0], inputs[0], inputs[1],
                                              outputs[1], outputs[2], **params)


@register("_backward_InstanceNorm", inputs=("ograd", "data", "gamma", "mean", "std"),
          params=PARAMS, num_outputs=3, differentiable=False)
def _backward_instance_norm(xp, ograd, data, gamma, mean, std, *, eps):
    """Gradients of InstanceNorm with respect to data, gamma and beta."""
    x, g = _flat(data), _flat(ograd)
    xhat = (x - mean[..., None]) / std[..., None]
    dx = grad_normalized(g * gamma.reshape(1, -1, 1), xhat, std[..., None], (2,))
    return (dx.reshape(data.shape).astype(data.dtype, copy=False),
            (g * xhat).sum(axis=(0, 2)), g.sum(axis=(0, 2)))
