"""LayerNorm (MXNet's ``nn/layer_norm.cc``): normalize along one axis, then scale/shift."""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Float, Int
from ...registry import register
from ._norm import grad_normalized, normalize

PARAMS = (Int("axis", -1), Float("eps", 1e-5), Bool("output_mean_var", False))


def _axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise MXNetError(f"Operator LayerNorm: axis {axis} is out of range for data of "
                         f"{ndim} dimensions")
    return axis % ndim


def _ln_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * 3
    ax = _axis(attrs["axis"], len(data))
    c = (data[ax],)
    check_shape("LayerNorm", "gamma", c, in_shapes[1])
    check_shape("LayerNorm", "beta", c, in_shapes[2])
    stat = tuple(data[:ax]) + (1,) + tuple(data[ax + 1:])
    return [tuple(data), c, c], [tuple(data), stat, stat]


def _bshape(ax, ndim):
    return (1,) * ax + (-1,) + (1,) * (ndim - ax - 1)


@register("LayerNorm", inputs=("data", "gamma", "beta"), params=PARAMS, shape=_ln_shape,
          num_outputs=3, visible_outputs=lambda a: 3 if a["output_mean_var"] else 1,
          output_names=("output", "mean", "std"))
def layer_norm(xp, data, gamma, beta, *, axis, eps, output_mean_var):
    """Layer normalization: ``out = (x - mean) / sqrt(var + eps) * gamma + beta`` with
    mean and var over ``axis``; the hidden outputs are the mean and the std."""
    ax = _axis(axis, data.ndim)
    xhat, mean, std = normalize(xp, data, (ax,), eps)
    sh = _bshape(ax, data.ndim)
    out = xhat * gamma.reshape(sh) + beta.reshape(sh)
    return out.astype(data.dtype, copy=False), mean, std


@layer_norm.gradient
def _(F, inputs, outputs, ograds, **params):
    # dx = (gh - mean(gh) - xh mean(gh xh)) / std with gh = g*gamma; dgamma = sum g xh
    return F._internal._backward_LayerNorm(ograds[0], inputs[0], inputs[1], outputs[1],
                                           outputs[2], **params)


@register("_backward_LayerNorm", inputs=("ograd", "data", "gamma", "mean", "std"),
          params=PARAMS, num_outputs=3, differentiable=False)
def _backward_layer_norm(xp, ograd, data, gamma, mean, std, *, axis, eps,
                         output_mean_var):
    """Gradients of LayerNorm with respect to data, gamma and beta."""
    ax = _axis(axis, data.ndim)
    sh = _bshape(ax, data.ndim)
    xhat = (data - mean) / std
    dx = grad_normalized(ograd * gamma.reshape(sh), xhat, std, (ax,))
    red = tuple(i for i in range(data.ndim) if i != ax)
    return (dx.astype(data.dtype, copy=False), (ograd * xhat).sum(axis=red),
            ograd.sum(axis=red))
