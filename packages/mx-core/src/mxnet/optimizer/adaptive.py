"""Adaptive-rate optimizers: Adam, Adamax, Nadam, AdaGrad, RMSProp, AdaDelta, Ftrl, FTML, LAMB."""
import math
import os

import numpy

from .. import ndarray as nd
from . import _fused
from ._fused import fused
from .optimizer import Optimizer, register

__all__ = ["Adam", "Adamax", "Nadam", "AdaGrad", "RMSProp", "AdaDelta", "Ftrl", "FTML",
           "LAMB"]


def _zeros(weight, n, dtype=True):
    """``n`` zero arrays like ``weight`` (float32 when ``dtype`` is False, as MXNet)."""
    kw = {"dtype": weight.dtype} if dtype else {}
    return tuple(nd.zeros(weight.shape, weight.context, **kw) for _ in range(n))


def _clip_kw(opt, key="clip_gradient"):
    return {key: opt.clip_gradient} if opt.clip_gradient else {}


def _grad_wd(opt, grad, weight, xp, wd):
    """``clip(grad * rescale_grad + wd * weight)`` as a fresh backend array."""
    g = grad._data * opt.rescale_grad + wd * weight._data
    if opt.clip_gradient is not None:
        g = xp.clip(g, -opt.clip_gradient, opt.clip_gradient)
    return g


def _step_setup(opt, index):
    opt._update_count(index)
    return opt._get_lr(index), opt._get_wd(index), opt._index_update_count[index]


@register
class Adam(Optimizer):
    """Adam (Kingma & Ba 2014); bias correction is folded into the rate."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return _zeros(weight, 2)

    def update(self, index, weight, grad, state):
        lr, wd, t = _step_setup(self, index)
        lr *= math.sqrt(1. - self.beta2 ** t) / (1. - self.beta1 ** t)
        mean, var = state
        fused("adam_update", weight, grad, mean, var, lr=lr, wd=wd, beta1=self.beta1,
              beta2=self.beta2, epsilon=self.epsilon, rescale_grad=self.rescale_grad,
              lazy_update=self.lazy_update, **_clip_kw(self))


@register
class Adamax(Optimizer):
    """AdaMax, Adam's infinity-norm variant."""

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2

    def create_state(self, index, weight):
        return _zeros(weight, 2)

    def update(self, index, weight, grad, state):
        lr, wd, t = _step_setup(self, index)
        lr /= 1. - self.beta1 ** t
        xp = weight.context.backend.xp
        g = _grad_wd(self, grad, weight, xp, wd)
        m, u = state[0]._data, state[1]._data
        m *= self.beta1
        m += (1. - self.beta1) * g
        u[...] = xp.maximum(self.beta2 * u, xp.abs(g))
        weight._data -= lr * m / u


@register
class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat 2016), with a momentum schedule."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.

    def create_state(self, index, weight):
        return _zeros(weight, 2)

    def update(self, index, weight, grad, state):
        lr, wd, t = _step_setup(self, index)
        xp = weight.context.backend.xp
        g = _grad_wd(self, grad, weight, xp, wd)
        mom_t = self.beta1 * (1. - 0.5 * pow(0.96, t * self.schedule_decay))
        mom_next = self.beta1 * (1. - 0.5 * pow(0.96, (t + 1) * self.schedule_decay))
        self.m_schedule = self.m_schedule * mom_t
        m_schedule_next = self.m_schedule * mom_next
        m, v = state[0]._data, state[1]._data
        m *= self.beta1
        m += (1. - self.beta1) * g
        v *= self.beta2
        v += (1. - self.beta2) * g * g
        g_prime = g / (1. - self.m_schedule)
        m_prime = m / (1. - m_schedule_next)
        v_prime = v / (1. - pow(self.beta2, t))
        m_bar = (1. - mom_t) * g_prime + mom_next * m_prime
        weight._data -= lr * m_bar / (xp.sqrt(v_prime) + self.epsilon)


@register
class AdaGrad(Optimizer):
    """AdaGrad: ``history += g**2``; ``weight -= lr * (g / sqrt(history + eps) + wd * w)``."""

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return nd.zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        lr, wd, _ = _step_setup(self, index)
        xp = weight.context.backend.xp
        g = grad._data * self.rescale_grad
        if self.clip_gradient is not None:
            g = xp.clip(g, -self.clip_gradient, self.clip_gradient)
        hist = state._data
        hist += g * g
        div = g / xp.sqrt(hist + self.float_stable_eps)
        weight._data += (div + weight._data * wd) * -lr


@register
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton), or Graves' centered variant with ``centered=True``."""

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        return _zeros(weight, 3 if self.centered else 1, dtype=False)

    def update(self, index, weight, grad, state):
        lr, wd, _ = _step_setup(self, index)
        kwargs = {"gamma1": self.gamma1, "epsilon": self.epsilon,
                  "rescale_grad": self.rescale_grad, **_clip_kw(self)}
        if self.clip_weights:
            kwargs["clip_weights"] = self.clip_weights
        if self.centered:
            fused("rmspropalex_update", weight, grad, *state, lr=lr, wd=wd,
                  gamma2=self.gamma2, **kwargs)
        else:
            fused("rmsprop_update", weight, grad, state[0], lr=lr, wd=wd, **kwargs)


@register
class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012); the learning rate is not used."""

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state(self, index, weight):
        return _zeros(weight, 2, dtype=False)

    def update(self, index, weight, grad, state):
        wd = self._get_wd(index)
        self._update_count(index)
        xp = weight.context.backend.xp
        # MXNet 1.9.1 compat: the caller's gradient is rescaled in place (``grad *=``).
        grad._data *= self.rescale_grad
        g = grad._data
        if self.clip_gradient is not None:
            g = xp.clip(g, -self.clip_gradient, self.clip_gradient)
        acc_g, acc_delta = state[0]._data, state[1]._data
        acc_g *= self.rho
        acc_g += (1. - self.rho) * g * g
        delta = xp.sqrt(acc_delta + self.epsilon) / xp.sqrt(acc_g + self.epsilon) * g
        acc_delta *= self.rho
        acc_delta += (1. - self.rho) * delta * delta
        weight._data -= delta + wd * weight._data


@register
class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al. 2013), with L1 strength ``lamda1``."""

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        self.lamda1 = lamda1
        self.beta = beta
        self.lr = learning_rate

    def create_state(self, index, weight):
        return _zeros(weight, 2, dtype=False)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        wd, lr = self._get_wd(index), self._get_lr(index)
        z, n = state
        fused("ftrl_update", weight, grad, z, n, lr=lr, wd=wd, lamda1=self.lamda1,
              beta=self.beta, rescale_grad=self.rescale_grad, **_clip_kw(self))


@register
class FTML(Optimizer):
    """Follow the Moving Leader (Zheng & Kwok 2017)."""

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def create_state(self, index, weight):
        return _zeros(weight, 3)        # d, v, z

    def update(self, index, weight, grad, state):
        lr, wd, t = _step_setup(self, index)
        d, v, z = state
        fused("ftml_update", weight, grad, d, v, z, lr=lr, wd=wd, t=t, beta1=self.beta1,
              beta2=self.beta2, epsilon=self.epsilon, rescale_grad=self.rescale_grad,
              **_clip_kw(self, "clip_grad"))


@register
class LAMB(Optimizer):
    """LAMB (You et al. 2019): Adam directions scaled per layer by ``|w| / |step|``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6,
                 lower_bound=None, upper_bound=None, bias_correction=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound
        self.bias_correction = bias_correction
        self.aggregate_num = max(1, min(45, int(os.getenv(
            "MXNET_OPTIMIZER_AGGREGATION_SIZE", "45"))))

    def create_state(self, index, weight):
        return _zeros(weight, 2)

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        if isinstance(index, (tuple, list)):
            for i, w, g, s in zip(index, weight, grad, state):
                self._update_one(i, w, g, s, multi_precision)
        else:
            self._update_one(index, weight, grad, state, multi_precision)

    def _update_one(self, index, weight, grad, state, multi_precision):
        lr, wd, t = _step_setup(self, index)
        target = state[0] if multi_precision else weight
        mean, var = state[1] if multi_precision else state
        xp = weight.context.backend.xp
        clip = self.clip_gradient if self.clip_gradient else -1.0
        g = _fused.lamb_update_phase1(
            xp, target._data, grad._data.astype(target._data.dtype), mean._data, var._data,
            t=t, beta1=self.beta1, beta2=self.beta2, epsilon=self.epsilon,
            bias_correction=self.bias_correction, wd=wd, rescale_grad=self.rescale_grad,
            clip_gradient=clip)
        r1 = float(xp.sqrt((target._data * target._data).sum()))
        r2 = float(xp.sqrt((g * g).sum()))
        _fused.lamb_update_phase2(xp, target._data, g, r1, r2, lr,
                                  self.lower_bound or -1.0, self.upper_bound or -1.0)
        if multi_precision:
            weight._data[...] = target._data

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        first = weight[0] if isinstance(index, (tuple, list)) else weight
        self._update_impl(index, weight, grad, state, multi_precision=self.multi_precision
                          and first.dtype == numpy.float16)
