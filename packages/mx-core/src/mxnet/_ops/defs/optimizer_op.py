"""Optimizer update operators (MXNet's ``optimizer_op.cc``).

Each returns the new weight (the Python optimizers call them with ``out=weight``) and
updates its state inputs (momentum, mean, var, fp32 master weights...) IN PLACE, as
MXNet's mutable inputs. ``rescale_grad`` scales the gradient first; a negative
``clip_gradient`` means no clipping. None of them is differentiable. The multi-tensor
forms (``multi_*``, used by the Trainer) are in ``multi_optimizer_op.py``, AdamW in
``adamw.py``, multi-tensor LAMB in ``multi_lamb.py``; ``_sparse_adagrad_update`` here.
"""
from ...base import MXNetError
from ..params import Bool, Float, Int
from ..registry import register

_COMMON = (Float("wd", 0.0), Float("rescale_grad", 1.0), Float("clip_gradient", -1.0))
_LAZY = (Bool("lazy_update", True),)


def _clip(xp, g, bound):
    return xp.clip(g, -bound, bound) if bound >= 0 else g


def _grad(xp, grad, rescale_grad, clip_gradient, dtype=None):
    g = grad.astype(dtype) if dtype is not None and grad.dtype != dtype else grad
    return _clip(xp, rescale_grad * g, clip_gradient)


def _update(name, inputs, params, aux=()):
    """Declare an update operator: non-differentiable, states marked auxiliary."""
    return register(name, inputs=inputs, params=params, aux=aux, differentiable=False,
                    shape=lambda attrs, s: (s, [s[0]]))


# -- SGD family ----------------------------------------------------------------------------
def sgd_step(xp, weight, grad, lr, wd, rescale_grad, clip_gradient):
    """``(1 - lr wd) w - lr clip(rescale g)``."""
    return (1 - lr * wd) * weight - lr * _grad(xp, grad, rescale_grad, clip_gradient,
                                               weight.dtype)


def sgd_mom_step(xp, weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    """``mom = momentum mom - lr wd w - lr clip(rescale g)``; ``w + mom`` (mom in place)."""
    g = _grad(xp, grad, rescale_grad, clip_gradient, weight.dtype)
    mom[...] = momentum * mom - lr * wd * weight - lr * g
    return weight + mom


@_update("sgd_update", ("weight", "grad"), (Float("lr"),) + _COMMON + _LAZY)
def sgd_update(xp, weight, grad, *, lr, wd, rescale_grad, clip_gradient, lazy_update):
    """SGD step: ``weight = (1 - lr*wd) * weight - lr * clip(rescale_grad * grad)``."""
    return sgd_step(xp, weight, grad, lr, wd, rescale_grad, clip_gradient)


@_update("sgd_mom_update", ("weight", "grad", "mom"),
         (Float("lr"), Float("momentum", 0.0)) + _COMMON + _LAZY, aux=("mom",))
def sgd_mom_update(xp, weight, grad, mom, *, lr, momentum, wd, rescale_grad,
                   clip_gradient, lazy_update):
    """Momentum SGD: ``mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad)``,
    ``weight += mom``."""
    return sgd_mom_step(xp, weight, grad, mom, lr, momentum, wd, rescale_grad,
                        clip_gradient)


@_update("mp_sgd_update", ("weight", "grad", "weight32"),
         (Float("lr"),) + _COMMON + _LAZY, aux=("weight32",))
def mp_sgd_update(xp, weight, grad, weight32, *, lr, wd, rescale_grad, clip_gradient,
                  lazy_update):
    """Mixed-precision SGD: the step runs on the float32 master copy ``weight32``."""
    weight32[...] = sgd_step(xp, weight32, grad, lr, wd, rescale_grad, clip_gradient)
    return weight32.astype(weight.dtype)


@_update("mp_sgd_mom_update", ("weight", "grad", "mom", "weight32"),
         (Float("lr"), Float("momentum", 0.0)) + _COMMON + _LAZY, aux=("mom", "weight32"))
def mp_sgd_mom_update(xp, weight, grad, mom, weight32, *, lr, momentum, wd, rescale_grad,
                      clip_gradient, lazy_update):
    """Mixed-precision momentum SGD on the float32 master copy ``weight32``."""
    weight32[...] = sgd_mom_step(xp, weight32, grad, mom, lr, momentum, wd, rescale_grad,
                                 clip_gradient)
    return weight32.astype(weight.dtype)


def nag_step(xp, weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    """``m = momentum mom; step = lr (clip(rescale g) + wd w)``;
    ``w - m + (1 + momentum)(m - step)``, ``mom = m - step`` (in place)."""
    step = lr * (_grad(xp, grad, rescale_grad, clip_gradient, weight.dtype) + wd * weight)
    m = momentum * mom
    mom[...] = m - step
    return weight - m + (momentum + 1) * mom


@_update("nag_mom_update", ("weight", "grad", "mom"),
         (Float("lr"), Float("momentum", 0.0)) + _COMMON, aux=("mom",))
def nag_mom_update(xp, weight, grad, mom, *, lr, momentum, wd, rescale_grad,
                   clip_gradient):
    """Nesterov momentum SGD."""
    return nag_step(xp, weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)


@_update("mp_nag_mom_update", ("weight", "grad", "mom", "weight32"),
         (Float("lr"), Float("momentum", 0.0)) + _COMMON, aux=("mom", "weight32"))
def mp_nag_mom_update(xp, weight, grad, mom, weight32, *, lr, momentum, wd, rescale_grad,
                      clip_gradient):
    """Mixed-precision Nesterov momentum SGD on the float32 master copy."""
    g = _grad(xp, grad, rescale_grad, clip_gradient, "float32")
    m = momentum * mom
    weight32[...] = weight32 - m + (momentum + 1) * (m - lr * (g + wd * weight32))
    # MXNet 1.9.1 compat: the momentum's weight decay term reads the *updated* weight
    mom[...] = m - lr * (g + wd * weight32)
    return weight32.astype(weight.dtype)


@_update("signsgd_update", ("weight", "grad"), (Float("lr"),) + _COMMON)
def signsgd_update(xp, weight, grad, *, lr, wd, rescale_grad, clip_gradient):
    """signSGD: ``weight = (1 - lr*wd) * weight - lr * sign(grad)``."""
    return (1 - lr * wd) * weight - lr * xp.sign(grad)


@_update("signum_update", ("weight", "grad", "mom"),
         (Float("lr"), Float("momentum", 0.0)) + _COMMON + (Float("wd_lh", 0.0),),
         aux=("mom",))
def signum_update(xp, weight, grad, mom, *, lr, momentum, wd, rescale_grad, clip_gradient,
                  wd_lh):
    """Signum: ``mom = momentum*mom - (1-momentum)*(wd*weight + clip(rescale*grad))``,
    ``weight = (1 - lr*wd_lh) * weight + lr * sign(mom)``."""
    g = _grad(xp, grad, rescale_grad, clip_gradient) + wd * weight
    mom[...] = momentum * mom - (1 - momentum) * g
    return (1 - lr * wd_lh) * weight + lr * xp.sign(mom)


# -- adaptive methods ------------------------------------------------------------------------
_ADAM = (Float("lr"), Float("beta1", 0.9), Float("beta2", 0.999), Float("epsilon", 1e-8))


@_update("adam_update", ("weight", "grad", "mean", "var"), _ADAM + _COMMON + _LAZY,
         aux=("mean", "var"))
def adam_update(xp, weight, grad, mean, var, *, lr, beta1, beta2, epsilon, wd,
                rescale_grad, clip_gradient, lazy_update):
    """Adam (no bias correction; the Python optimizer folds it into ``lr``):
    ``g = clip(rescale*grad + wd*weight)``, moving ``mean``/``var``,
    ``weight -= lr * mean / (sqrt(var) + epsilon)``."""
    g = _clip(xp, rescale_grad * grad + wd * weight, clip_gradient)
    mean[...] = beta1 * mean + (1 - beta1) * g
    var[...] = beta2 * var + (1 - beta2) * g * g
    return weight - lr * mean / (xp.sqrt(var) + epsilon)


_RMS = (Float("lr"), Float("gamma1", 0.95))


@_update("rmsprop_update", ("weight", "grad", "n"),
         _RMS + (Float("epsilon", 1e-8),) + _COMMON + (Float("clip_weights", -1.0),),
         aux=("n",))
def rmsprop_update(xp, weight, grad, n, *, lr, gamma1, epsilon, wd, rescale_grad,
                   clip_gradient, clip_weights):
    """RMSProp (Tieleman & Hinton): ``n = (1-gamma1)*g^2 + gamma1*n``,
    ``weight -= lr * g / sqrt(n + epsilon)``."""
    g = _clip(xp, rescale_grad * grad + wd * weight, clip_gradient)
    n[...] = (1 - gamma1) * g * g + gamma1 * n
    return _clip(xp, weight - lr * g / xp.sqrt(n + epsilon), clip_weights)


@_update("rmspropalex_update", ("weight", "grad", "n", "g", "delta"),
         _RMS + (Float("gamma2", 0.9), Float("epsilon", 1e-8)) + _COMMON
         + (Float("clip_weights", -1.0),), aux=("n", "g", "delta"))
def rmspropalex_update(xp, weight, grad, n, g, delta, *, lr, gamma1, gamma2, epsilon, wd,
                       rescale_grad, clip_gradient, clip_weights):
    """RMSProp (Graves): centred second moment and momentum ``delta``."""
    gr = _clip(xp, rescale_grad * grad + wd * weight, clip_gradient)
    n[...] = (1 - gamma1) * gr * gr + gamma1 * n
    g[...] = (1 - gamma1) * gr + gamma1 * g
    delta[...] = gamma2 * delta - lr * gr / xp.sqrt(n - g * g + epsilon)
    return _clip(xp, weight + delta, clip_weights)


@_update("ftrl_update", ("weight", "grad", "z", "n"),
         (Float("lr"), Float("lamda1", 0.01), Float("beta", 1.0)) + _COMMON,
         aux=("z", "n"))
def ftrl_update(xp, weight, grad, z, n, *, lr, lamda1, beta, wd, rescale_grad,
                clip_gradient):
    """FTRL-proximal."""
    g = _grad(xp, grad, rescale_grad, clip_gradient)
    z[...] = z + g - (xp.sqrt(n + g * g) - xp.sqrt(n)) * weight / lr
    n[...] = n + g * g
    new = (xp.sign(z) * lamda1 - z) / ((beta + xp.sqrt(n)) / lr + wd)
    return new * (xp.abs(z) > lamda1)


@_update("ftml_update", ("weight", "grad", "d", "v", "z"),
         (Float("lr"), Float("beta1", 0.6), Float("beta2", 0.999), Float("epsilon", 1e-8),
          Int("t"), Float("wd", 0.0), Float("rescale_grad", 1.0),
          Float("clip_grad", -1.0)), aux=("d", "v", "z"))
def ftml_update(xp, weight, grad, d, v, z, *, lr, beta1, beta2, epsilon, t, wd,
                rescale_grad, clip_grad):
    """FTML (Follow the Moving Leader)."""
    g = _clip(xp, rescale_grad * grad + wd * weight, clip_grad)
    v[...] = beta2 * v + (1 - beta2) * g * g
    d_t = (1 - beta1 ** t) / lr * (xp.sqrt(v / (1 - beta2 ** t)) + epsilon)
    z[...] = beta1 * z + (1 - beta1) * g - (d_t - beta1 * d) * weight
    d[...] = d_t
    return -z / d_t


# -- LAMB --------------------------------------------------------------------------------------
_LAMB1 = (Float("beta1", 0.9), Float("beta2", 0.999), Float("epsilon", 1e-6), Int("t"),
          Bool("bias_correction", True), Float("wd"), Float("rescale_grad", 1.0),
          Float("clip_gradient", -1.0))
_LAMB2 = (Float("lr"), Float("lower_bound", -1.0), Float("upper_bound", -1.0))


def lamb_phase1(xp, weight, grad, mean, var, beta1, beta2, epsilon, t, bias_correction,
                wd, rescale_grad, clip_gradient):
    g = _grad(xp, grad, rescale_grad, clip_gradient, weight.dtype)
    mean[...] = beta1 * mean + (1 - beta1) * g
    var[...] = beta2 * var + (1 - beta2) * g * g
    m, v = mean, var
    if bias_correction:
        m, v = mean / (1 - beta1 ** t), var / (1 - beta2 ** t)
    return m / (xp.sqrt(v) + epsilon) + wd * weight


def lamb_phase2(xp, weight, g, r1, r2, lr, lower_bound, upper_bound):
    if lower_bound >= 0:
        r1 = xp.maximum(r1, lower_bound)
    if upper_bound >= 0:
        r1 = xp.minimum(r1, upper_bound)
    ratio = xp.where((r1 == 0) | (r2 == 0), 1, r1 / r2).astype(weight.dtype)
    return weight - lr * ratio * g


@_update("lamb_update_phase1", ("weight", "grad", "mean", "var"), _LAMB1,
         aux=("mean", "var"))
def lamb_update_phase1(xp, weight, grad, mean, var, **params):
    """LAMB phase 1: Adam-style moments (in place), returns the update direction
    ``g = mean_hat / (sqrt(var_hat) + epsilon) + wd * weight``."""
    return lamb_phase1(xp, weight, grad, mean, var, **params)


@_update("lamb_update_phase2", ("weight", "g", "r1", "r2"), _LAMB2)
def lamb_update_phase2(xp, weight, g, r1, r2, *, lr, lower_bound, upper_bound):
    """LAMB phase 2: ``weight -= lr * (r1 / r2) * g`` (ratio 1 where a norm is 0),
    ``r1`` clipped to ``[lower_bound, upper_bound]`` when those are >= 0."""
    return lamb_phase2(xp, weight, g, r1, r2, lr, lower_bound, upper_bound)


@_update("mp_lamb_update_phase1", ("weight", "grad", "mean", "var", "weight32"), _LAMB1,
         aux=("mean", "var", "weight32"))
def mp_lamb_update_phase1(xp, weight, grad, mean, var, weight32, **params):
    """Mixed-precision LAMB phase 1 (float32 master weights); returns float32 ``g``."""
    return lamb_phase1(xp, weight32, grad, mean, var, **params)


@_update("mp_lamb_update_phase2", ("weight", "g", "r1", "r2", "weight32"), _LAMB2)
def mp_lamb_update_phase2(xp, weight, g, r1, r2, weight32, *, lr, lower_bound,
                          upper_bound):
    """Mixed-precision LAMB phase 2 from the float32 master copy ``weight32``."""
    # MXNet 1.9.1 compat: weight32 is read, not updated
    return lamb_phase2(xp, weight32, g, r1, r2, lr, lower_bound, upper_bound).astype(
        weight.dtype)


# -- AdaGrad (MXNet only registers the sparse form; dense arrays work here) ------------------
@_update("_sparse_adagrad_update", ("weight", "grad", "history"),
         (Float("lr"), Float("epsilon", 1e-7)) + _COMMON, aux=("history",))
def sparse_adagrad_update(xp, weight, grad, history, *, lr, epsilon, wd, rescale_grad,
                          clip_gradient):
    """AdaGrad: ``history += g^2``, ``weight -= lr * g / sqrt(history + epsilon)``."""
    if wd != 0:
        raise MXNetError("Operator _sparse_adagrad_update: weight decay (wd) is not "
                         f"supported, got wd={wd}")
    g = _grad(xp, grad, rescale_grad, clip_gradient, weight.dtype)
    history[...] = history + g * g
    return weight - lr * g / xp.sqrt(history + epsilon)
