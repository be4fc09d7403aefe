"""AdamW updates (MXNet's ``contrib/adamw.cc``): ``_adamw_update``, ``_mp_adamw_update``
and their multi-tensor forms.

``rescale_grad`` is an array input (a non-finite value skips the step, for dynamic
loss scaling); ``mx.nd.contrib.adamw_update`` and friends are Python wrappers that
also take a float (``mxnet.ndarray._contrib_optimizer``).
"""
from ...base import MXNetError
from ..params import Float, FloatTuple, Int
from ..registry import register
from .optimizer_op import _grad

_HYPER = (Float("beta1", 0.9), Float("beta2", 0.999), Float("epsilon", 1e-8))
_ADAMW = (Float("lr"),) + _HYPER + (Float("wd", 0.0), Float("eta"),
                                    Float("clip_gradient", -1.0))
_MULTI = ((FloatTuple("lrs"),) + _HYPER
          + (FloatTuple("wds"), FloatTuple("etas"), Float("clip_gradient", -1.0),
             Int("num_weights", 1)))


def _scale(rescale_grad):
    """The loss scale, or None when it is not finite or 0 (the step is skipped, as
    MXNet 1.9.1's GetScaleFloat)."""
    scale = float(rescale_grad.reshape(-1)[0])
    return None if scale != scale or abs(scale) == float("inf") or scale == 0 else scale


def adamw_step(xp, weight, grad, mean, var, scale, lr, beta1, beta2, epsilon, wd, eta,
               clip_gradient, write_grad=False):
    """Moments in place; ``weight - eta (lr mean / (sqrt(var) + eps) + wd weight)``."""
    g = _grad(xp, grad, scale, clip_gradient, weight.dtype)
    if write_grad:
        grad[...] = g        # MXNet 1.9.1 compat: _adamw_update leaves the scaled grad
    mean[...] = beta1 * mean + (1 - beta1) * g
    var[...] = beta2 * var + (1 - beta2) * g * g
    return weight - eta * (lr * mean / (xp.sqrt(var) + epsilon) + wd * weight)


def _shape(attrs, s):
    return s, [s[0]]


@register("_adamw_update", inputs=("weight", "grad", "mean", "var", "rescale_grad"),
          params=_ADAMW, aux=("mean", "var"), differentiable=False, shape=_shape)
def adamw_update(xp, weight, grad, mean, var, rescale_grad, **params):
    """AdamW (decoupled weight decay): moving ``mean``/``var`` of
    ``clip(rescale_grad * grad)``, ``weight -= eta * (lr * mean / (sqrt(var) + epsilon)
    + wd * weight)``."""
    scale = _scale(rescale_grad)
    if scale is None:
        return weight.copy()
    return adamw_step(xp, weight, grad, mean, var, scale, **params, write_grad=True)


@register("_mp_adamw_update",
          inputs=("weight", "grad", "mean", "var", "weight32", "rescale_grad"),
          params=_ADAMW, aux=("mean", "var", "weight32"), differentiable=False,
          shape=_shape)
def mp_adamw_update(xp, weight, grad, mean, var, weight32, rescale_grad, **params):
    """Mixed-precision AdamW on the float32 master copy ``weight32``."""
    scale = _scale(rescale_grad)
    if scale is not None:
        weight32[...] = adamw_step(xp, weight32, grad, mean, var, scale, **params)
    return weight32.astype(weight.dtype)


def _declare_multi(name, mp):
    group = ("weight", "grad", "mean", "var") + (("weight32",) if mp else ())
    size = len(group)

    def names(attrs):
        return [f"{n}_{i}" for i in range(attrs["num_weights"]) for n in group] + \
            ["rescale_grad"]

    @register(name, inputs=("data",), params=_MULTI, varargs="num_weights",
              input_filter=names, num_outputs=lambda attrs: attrs["num_weights"],
              differentiable=False)
    def forward(xp, *data, lrs, beta1, beta2, epsilon, wds, etas, clip_gradient,
                num_weights):
        if len(data) != size * num_weights + 1:
            raise MXNetError(f"Operator {name}: expected {size * num_weights + 1} inputs "
                             f"for num_weights={num_weights}, got {len(data)}")
        scale = _scale(data[-1])
        outs = []
        for i in range(num_weights):
            weight, grad, mean, var = data[size * i:size * i + 4]
            master = data[size * i + 4] if mp else weight
            if scale is None:
                outs.append(master.astype(weight.dtype))
                continue
            new = adamw_step(xp, master, grad, mean, var, scale, lrs[i], beta1, beta2,
                             epsilon, wds[i], etas[i], clip_gradient)
            if mp:
                master[...] = new
            outs.append(new.astype(weight.dtype, copy=False))
        return tuple(outs)

    forward.doc = (f"AdamW on ``num_weights`` groups ({', '.join(group)}) followed by "
                   "the rescale_grad array" + (", on float32 master copies." if mp
                                                else "."))
    return forward


_declare_multi("_multi_adamw_update", False)
_declare_multi("_multi_mp_adamw_update", True)
