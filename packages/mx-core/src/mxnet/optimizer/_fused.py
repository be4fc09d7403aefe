"""The fused update steps the optimizers call, by MXNet operator name.

``fused(name, weight, grad, *states, **params)`` runs the registered operator
``mx.nd.<name>`` (``sgd_update``, ``adam_update``, ...) with ``out=weight`` when the
registry has it, and otherwise the in-place kernel below, written on the backend
arrays with MXNet's formulas (``src/operator/optimizer_op-inl.h``). Either way the
weight and the state arrays are updated in place, one vectorised pass per parameter.
"""
import numpy as np

from .. import ndarray as _nd

__all__ = ["fused", "inplace", "FALLBACKS"]


def fused(name, weight, grad, *states, **params):
    """One update step, in place. On NumPy the cache-blocked kernel below runs (one
    pass over memory instead of one per arithmetic step); elsewhere the registered
    operator, whose backend kernel (a fused GPU kernel from a plugin) is the fast path."""
    if name in FALLBACKS and weight.context.backend.xp is np and not PREFER_OPS:
        return inplace(name, weight, grad, *states, **params)
    op = _op_or_none(name)
    if op is not None:
        return op(weight, grad, *states, out=weight, **params)
    return inplace(name, weight, grad, *states, **params)


# Tests set this to run the registered operators on NumPy too.
PREFER_OPS = False
# Elements per block: the block's temporaries (a few arrays of this size) stay in L2.
# Measured on an MLP's parameters (bench/RESULTS.md): 32K-element blocks beat both 16K
# (more Python calls) and whole arrays up to 1M elements (2-4 passes of a few MB each
# miss the cache: momentum and Adam steps ran 15-40% slower).
# Arrays up to two blocks run as whole-array passes.
BLOCK = 1 << 15


def inplace(name, weight, grad, *states, **params):
    """The in-place kernel ``name`` (below) on the backend arrays, block by block."""
    xp = weight.context.backend.xp
    kernel = FALLBACKS[name]
    arrays = [weight._data, grad._data] + [s._data for s in states]
    if getattr(grad, "stype", "default") == "row_sparse" and name in _LAZY \
            and params.get("lazy_update", True):
        _rows_only(xp, kernel, arrays, grad, params)
        return weight
    n = arrays[0].size
    if xp is not np or n <= 2 * BLOCK or not all(
            a.size == n and a.flags.c_contiguous for a in arrays):
        kernel(xp, *arrays, **params)
        return weight
    flat = [a.reshape(-1) for a in arrays]      # views: writes land in the arrays
    if name == "sgd_update" and _sgd_blocks(*flat, **params):
        return weight
    for start in range(0, n, BLOCK):
        kernel(xp, *[a[start:start + BLOCK] for a in flat], **params)
    return weight


# Updates that touch only the rows a row_sparse gradient stores (MXNet's lazy update).
_LAZY = {"sgd_update", "sgd_mom_update", "mp_sgd_update", "mp_sgd_mom_update",
         "adam_update"}


def _rows_only(xp, kernel, arrays, grad, params):
    """Run ``kernel`` on the stored rows of a row_sparse gradient, write them back."""
    rows = xp.asarray(grad.indices.asnumpy().astype(np.int64))
    if rows.size == 0:
        return
    parts = [a[rows] for a in arrays]
    kernel(xp, *parts, **params)
    for a, part in zip(arrays, parts):
        a[rows] = part


def _op_or_none(name):
    """The registered operator ``name`` as ``mx.nd`` exposes it, or None."""
    from ..ndarray import ndarray as _ndmod
    if name not in _ndmod._OPS:
        return None
    return getattr(_nd, name, None)


def _rescaled(xp, grad, rescale_grad, clip_gradient, wd=0.0, weight=None, dtype=None):
    """``clip(rescale_grad * grad [+ wd * weight])``: a fresh array (MXNet clips if >= 0)."""
    g = grad.astype(dtype) if dtype is not None and grad.dtype != dtype else grad
    g = g * rescale_grad        # fresh even when rescale_grad == 1: callers scale it in place
    if weight is not None and wd:
        g += weight * wd
    if clip_gradient is not None and clip_gradient >= 0:
        xp.clip(g, -clip_gradient, clip_gradient, out=g)
    return g


def _sgd_blocks(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                lazy_update=True):
    """``sgd_update`` below over flat NumPy arrays, block by block through one scratch
    block (the same operations, without a fresh temporary and a call per block).
    Returns False (nothing done) where the plain kernel must run."""
    if (clip_gradient is not None and clip_gradient >= 0) or grad.dtype != weight.dtype:
        return False
    scratch = np.empty(BLOCK, dtype=weight.dtype)
    decay = 1.0 - lr * wd
    for start in range(0, weight.size, BLOCK):
        w, g = weight[start:start + BLOCK], grad[start:start + BLOCK]
        t = scratch[:w.size]
        np.multiply(g, rescale_grad, out=t)
        if wd:
            w *= decay
        t *= lr
        w -= t
    return True


def sgd_update(xp, weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
               lazy_update=True):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, dtype=weight.dtype)
    if wd:      # multiplying by 1.0 is exact: skipping it changes no bit
        weight *= 1.0 - lr * wd
    g *= lr
    weight -= g


def sgd_mom_update(xp, weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, lazy_update=True):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, dtype=mom.dtype)
    mom *= momentum
    mom -= (lr * wd) * weight       # kept when wd == 0: 0 * inf is nan, as in MXNet
    g *= lr
    mom -= g
    weight += mom


def mp_sgd_update(xp, weight, grad, weight32, lr, wd=0.0, rescale_grad=1.0,
                  clip_gradient=-1.0, lazy_update=True):
    sgd_update(xp, weight32, grad, lr, wd, rescale_grad, clip_gradient)
    weight[...] = weight32


def mp_sgd_mom_update(xp, weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0,
                      rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True):
    sgd_mom_update(xp, weight32, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)
    weight[...] = weight32


def nag_mom_update(xp, weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, dtype=mom.dtype)
    step = lr * (g + wd * weight)
    weight += momentum * (momentum * mom - step) - step
    # MXNet 1.9.1 compat: the optimizer calls the kernel with out=weight, and the kernel
    # writes the weight before the momentum, so the momentum's decay term sees the new
    # weight (visible only with wd != 0).
    mom *= momentum
    mom -= lr * (g + wd * weight)


def mp_nag_mom_update(xp, weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0,
                      rescale_grad=1.0, clip_gradient=-1.0):
    nag_mom_update(xp, weight32, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)
    weight[...] = weight32


def signsgd_update(xp, weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient)
    weight *= 1.0 - lr * wd
    weight -= lr * xp.sign(g)


def signum_update(xp, weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                  clip_gradient=-1.0, wd_lh=0.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient)
    mom *= momentum
    mom -= ((1 - momentum) * wd) * weight
    mom -= (1 - momentum) * g
    weight *= 1.0 - lr * wd_lh
    weight += lr * xp.sign(mom)


def adam_update(xp, weight, grad, mean, var, lr, beta1=0.9, beta2=0.999, epsilon=1e-8,
                wd=0.0, rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, wd, weight)
    tmp = xp.multiply(g, 1 - beta1)
    mean *= beta1
    mean += tmp
    xp.multiply(g, g, out=tmp)
    tmp *= 1 - beta2
    var *= beta2
    var += tmp
    xp.sqrt(var, out=tmp)
    tmp += epsilon
    xp.divide(mean, tmp, out=tmp)
    tmp *= lr
    weight -= tmp


def rmsprop_update(xp, weight, grad, n, lr, gamma1=0.95, epsilon=1e-8, wd=0.0,
                   rescale_grad=1.0, clip_gradient=-1.0, clip_weights=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, wd, weight)
    n *= gamma1
    n += (1 - gamma1) * g * g
    weight -= lr * (g / xp.sqrt(n + epsilon))
    _clip_weights(xp, weight, clip_weights)


def rmspropalex_update(xp, weight, grad, n, g_avg, delta, lr, gamma1=0.95, gamma2=0.9,
                       epsilon=1e-8, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                       clip_weights=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient, wd, weight)
    n *= gamma1
    n += (1 - gamma1) * g * g
    g_avg *= gamma1
    g_avg += (1 - gamma1) * g
    delta *= gamma2
    delta -= lr * (g / xp.sqrt(n - g_avg * g_avg + epsilon))
    weight += delta
    _clip_weights(xp, weight, clip_weights)


def _clip_weights(xp, weight, clip_weights):
    if clip_weights is not None and clip_weights >= 0:
        xp.clip(weight, -clip_weights, clip_weights, out=weight)


def ftrl_update(xp, weight, grad, z, n, lr, lamda1=0.01, beta=1.0, wd=0.0,
                rescale_grad=1.0, clip_gradient=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_gradient)
    z += g - (xp.sqrt(n + g * g) - xp.sqrt(n)) * weight / lr
    n += g * g
    active = xp.abs(z) > lamda1
    weight[...] = (xp.sign(z) * lamda1 - z) / ((beta + xp.sqrt(n)) / lr + wd) * active


def ftml_update(xp, weight, grad, d, v, z, lr, t, beta1=0.6, beta2=0.999, epsilon=1e-8,
                wd=0.0, rescale_grad=1.0, clip_grad=-1.0):
    g = _rescaled(xp, grad, rescale_grad, clip_grad, wd, weight)
    v *= beta2
    v += (1 - beta2) * g * g
    d_t = (1 - beta1 ** t) / lr * (xp.sqrt(v / (1 - beta2 ** t)) + epsilon)
    z *= beta1
    z += (1 - beta1) * g - (d_t - beta1 * d) * weight
    d[...] = d_t
    weight[...] = -z / d_t


def lamb_update_phase1(xp, weight, grad, mean, var, t, beta1=0.9, beta2=0.999,
                       epsilon=1e-6, bias_correction=True, wd=0.0, rescale_grad=1.0,
                       clip_gradient=-1.0):
    """Returns the direction ``g`` (phase 2 scales it by the trust ratio)."""
    g = _rescaled(xp, grad, rescale_grad, clip_gradient)
    mean *= beta1
    mean += (1 - beta1) * g
    var *= beta2
    var += (1 - beta2) * g * g
    m, v = mean, var
    if bias_correction:
        m = mean / (1 - beta1 ** t)
        v = var / (1 - beta2 ** t)
    return m / (xp.sqrt(v) + epsilon) + wd * weight


def lamb_update_phase2(xp, weight, g, r1, r2, lr, lower_bound=-1.0, upper_bound=-1.0):
    if lower_bound is not None and lower_bound >= 0:
        r1 = max(r1, lower_bound)
    if upper_bound is not None and upper_bound >= 0:
        r1 = min(r1, upper_bound)
    ratio = r1 / r2 if r1 != 0 and r2 != 0 else 1.0
    weight -= (lr * ratio) * g


FALLBACKS = {f.__name__: f for f in (
    sgd_update, sgd_mom_update, mp_sgd_update, mp_sgd_mom_update, nag_mom_update,
    mp_nag_mom_update, signsgd_update, signum_update, adam_update, rmsprop_update,
    rmspropalex_update, ftrl_update, ftml_update)}
