"""SGD and its relatives: SGD, ccSGD, NAG, Signum, LARS, LBSGD, DCASGD, SGLD, Test."""
import logging
import math
import os

import numpy

from .. import ndarray as nd
from ._fused import fused, inplace
from .optimizer import Optimizer, _warn_fp16, register

__all__ = ["SGD", "ccSGD", "NAG", "Signum", "LARS", "LBSGD", "DCASGD", "SGLD", "Test"]


def _listify(indices, weights, grads, states):
    if isinstance(indices, (tuple, list)):
        return list(indices), list(weights), list(grads), list(states)
    return [indices], [weights], [grads], [states]


def _zeros_like(weight, dtype=None):
    return nd.zeros(weight.shape, weight.context, dtype=dtype or weight.dtype)


def _sgd_kwargs(opt, momentum=None):
    kwargs = {"rescale_grad": opt.rescale_grad}
    momentum = opt.momentum if momentum is None else momentum
    if opt.momentum > 0:
        kwargs["momentum"] = momentum
    if opt.clip_gradient:
        kwargs["clip_gradient"] = opt.clip_gradient
    return kwargs


def _sgd_step(weight, grad, state, lr, wd, multi_precision, kwargs, mom_op="sgd_mom_update",
              lazy=None):
    """One (momentum) SGD step; ``state`` is ``mom`` or ``(mom, weight32)``.

    ``lazy`` (SGD's and LARS's ``lazy_update``) goes to the single-precision operators
    only, as MXNet passes it; with a row_sparse gradient it limits the step to its rows.
    """
    # NAG's quirk comes from MXNet running its operator in place (out=weight): keep the
    # in-place kernel that reproduces it.
    run = inplace if mom_op == "nag_mom_update" else fused
    if not multi_precision:
        extra = {} if lazy is None else {"lazy_update": lazy}
        if state is not None:
            run(mom_op, weight, grad, state, lr=lr, wd=wd, **kwargs, **extra)
        else:
            fused("sgd_update", weight, grad, lr=lr, wd=wd, **kwargs, **extra)
    elif state[0] is not None:
        run("mp_" + mom_op, weight, grad, state[0], state[1], lr=lr, wd=wd, **kwargs)
    else:
        fused("mp_sgd_update", weight, grad, state[1], lr=lr, wd=wd, **kwargs)


class _MasterLast(Optimizer):
    """Optimizers whose multi-precision state is ``(state, weight32)`` (SGD, NAG, LARS)."""

    def create_state_multi_precision(self, index, weight):
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (self.create_state(index, master), master)
        _warn_fp16(self, weight, type(self).__name__ + " ")
        return self.create_state(index, weight)

    def create_state(self, index, weight):
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        first = weight[0] if isinstance(index, (tuple, list)) else weight
        self._update_impl(index, weight, grad, state, multi_precision=self.multi_precision
                          and first.dtype == numpy.float16)


@register
class SGD(_MasterLast):
    """Stochastic gradient descent with momentum and weight decay.

    ``state = momentum * state - lr * (clip(rescale_grad * grad) + wd * weight)``;
    ``weight += state`` (plain ``weight -= lr * (...)`` when momentum is 0).
    """

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update
        self.aggregate_num = int(os.getenv("MXNET_OPTIMIZER_AGGREGATION_SIZE", "4"))

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        indices, weights, grads, states = _listify(indices, weights, grads, states)
        self._update_count(indices)
        kwargs = _sgd_kwargs(self)
        for w, g, s, lr, wd in zip(weights, grads, states, self._get_lrs(indices),
                                   self._get_wds(indices)):
            _sgd_step(w, g, s, lr, wd, multi_precision, kwargs, lazy=self.lazy_update)


@register
class ccSGD(SGD):  # noqa: N801 - MXNet's name
    """Deprecated alias of SGD."""


@register
class NAG(_MasterLast):
    """Nesterov accelerated gradient.

    ``g = clip(rescale_grad * grad) + wd * weight``; ``state = momentum * state + g``;
    ``weight -= lr * (g + momentum * state)``.
    """

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        _sgd_step(weight, grad, state, lr, wd, multi_precision, _sgd_kwargs(self),
                  mom_op="nag_mom_update")

    def update_multi_precision(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=self.multi_precision
                          and weight.dtype == numpy.float16 and isinstance(state, (tuple, list)))


@register
class Signum(Optimizer):
    """signSGD (momentum 0) and Signum: step by the sign of the (momentum) gradient."""

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        kwargs = _sgd_kwargs(self)
        if self.wd_lh:
            kwargs["wd_lh"] = self.wd_lh
        if state is not None:
            fused("signum_update", weight, grad, state, lr=lr, wd=wd, **kwargs)
        else:
            kwargs.pop("wd_lh", None)
            fused("signsgd_update", weight, grad, lr=lr, wd=wd, **kwargs)


def _is_lars_exempt(name):
    return name.endswith("gamma") or name.endswith("beta") or name.endswith("bias")


def _norm(arr, scale=1.0):
    data = arr._data.astype(numpy.float32)
    return float(arr.context.backend.xp.sqrt((data * data).sum())) * scale


@register
class LARS(_MasterLast):
    """SGD with layer-wise adaptive rate scaling (LARS), for large-batch training.

    Each weight's rate is ``lr * eta * |w| / (|g| + wd * |w| + eps)`` (names ending in
    gamma, beta or bias keep ``lr``).
    """

    def __init__(self, momentum=0.0, lazy_update=True, eta=0.001, eps=0,
                 momentum_correction=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.momentum_correction = momentum_correction
        self.lazy_update = lazy_update
        self.aggregate_num = int(os.getenv("MXNET_OPTIMIZER_AGGREGATION_SIZE", "4"))
        self.eta = eta
        self.eps = eps
        self.skip = 0
        self.last_lr = None
        self.cur_lr = None

    def _get_lrs(self, indices):
        if self.cur_lr is not None:
            self.last_lr = self.cur_lr
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        if self.cur_lr is None:
            self.last_lr = lr
        self.cur_lr = lr
        return [lr * self._mult(index, "lr_mult") for index in indices]

    def set_wd_mult(self, args_wd_mult):
        # Unlike the base class, every name not ending in _weight (gammas too) gets 0.
        self.wd_mult = {n: 0.0 for n in self.idx2name.values() if not n.endswith("_weight")}
        for name, attrs in self._sym_attrs():
            if "__wd_mult__" in attrs:
                self.wd_mult[name] = float(attrs["__wd_mult__"])
        self.wd_mult.update(args_wd_mult)

    def _get_lars(self, i, weight, grad, lr, wd):
        if _is_lars_exempt(self.idx2name.get(i, str(i))):
            return lr
        w_norm = _norm(weight)
        g_norm = _norm(grad, self.rescale_grad)
        if w_norm > 0.0 and g_norm > 0.0:
            return lr * self.eta * w_norm / (g_norm + wd * w_norm + self.eps)
        return lr

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        indices, weights, grads, states = _listify(indices, weights, grads, states)
        self._update_count(indices)
        lrs, wds = self._get_lrs(indices), self._get_wds(indices)
        momentum = self.momentum
        if self.momentum_correction and self.last_lr != 0:
            momentum = self.momentum * (self.cur_lr / self.last_lr)
        kwargs = _sgd_kwargs(self, momentum)
        for i, w, g, s, lr, wd in zip(indices, weights, grads, states, lrs, wds):
            # MXNet 1.9.1 compat: the multi-tensor kernel takes the rates as float32.
            lr = float(numpy.float32(self._get_lars(i, w, g, lr, wd)))
            _sgd_step(w, g, s, lr, wd, multi_precision, kwargs, lazy=self.lazy_update)


@register
class LBSGD(Optimizer):
    """Large-batch SGD: gradients accumulated over ``batch_scale`` calls, warm-up of the rate."""

    def __init__(self, momentum=0.0, multi_precision=False, warmup_strategy="linear",
                 warmup_epochs=5, batch_scale=1, updates_per_epoch=32, begin_epoch=0,
                 num_epochs=60, **kwargs):
        super().__init__(**kwargs)
        logging.info("Running Large-Batch SGD Algorithm")
        logging.info("(Batch_scale=%f, warmup_epochs=%d, warmup_strategy=%s, "
                     "updates_per_epoch=%d)", batch_scale, warmup_epochs, warmup_strategy,
                     updates_per_epoch)
        self.momentum = momentum
        self.multi_precision = multi_precision
        self.warmup_strategy = warmup_strategy
        self.warmup_epochs = warmup_epochs
        self.batch_scale = batch_scale
        self.updates_per_epoch = updates_per_epoch
        self.init_updates = begin_epoch * updates_per_epoch
        self.num_epochs = num_epochs
        self.lbmult = 1
        self.cumgrads = {}
        self.adaptive = False
        self.admult = 1

    def create_state(self, index, weight):
        mom = _zeros_like(weight) if self.momentum != 0.0 else None
        if self.multi_precision and weight.dtype == numpy.float16:
            mom = _zeros_like(weight, numpy.float32) if self.momentum != 0.0 else None
            return (mom, weight.astype(numpy.float32))
        _warn_fp16(self, weight, "SGD ")
        return mom

    def _get_lbmult(self, nup):
        nwup = self.warmup_epochs * self.updates_per_epoch
        maxmult = float(self.batch_scale)
        if nup >= nwup:
            return maxmult
        if nwup <= 1:
            return 1.0
        frac = {"linear": nup / nwup, "power2": (nup * nup) / (nwup * nwup),
                "sqrt": math.sqrt(float(nup) / nwup)}.get(self.warmup_strategy)
        return 1.0 if frac is None else 1.0 + (maxmult - 1) * frac

    def _get_lars(self, weight, g, wd):
        w2, g2 = _sumsq(weight), _sumsq(g)
        lars = math.sqrt(w2 / (g2 + wd * w2 + 1e-18))
        return min(max(lars, 0.01), 100)

    def _cumulate_gradient(self, grad, index):
        prev = self.cumgrads.get(index)
        if prev and prev["num_cums"] > 0:
            cgrad = {"cum_grad": prev["cum_grad"] + grad, "num_cums": prev["num_cums"] + 1}
        else:
            cgrad = {"cum_grad": grad, "num_cums": self.init_updates + 1}
        self.cumgrads[index] = cgrad
        return cgrad

    def update(self, index, weight, grad, state):
        lr, wd = self._get_lr(index), self._get_wd(index)
        self._update_count(index)
        cgrad = self._cumulate_gradient(grad, index)
        if cgrad["num_cums"] % self.batch_scale != 0:
            return          # MXNet runs an lr=0 SGD step here: a no-op
        grad = cgrad["cum_grad"] / self.batch_scale
        if self.warmup_strategy == "lars":
            lr *= self._get_lars(weight, grad, wd)
        else:
            lr *= self._get_lbmult(cgrad["num_cums"])
        _sgd_step(weight, grad, state, lr, wd, isinstance(state, (list, tuple)),
                  _sgd_kwargs(self))
        self.cumgrads[index]["cum_grad"] = 0


def _sumsq(arr):
    return float((arr._data * arr._data).sum())


def _prepared_grad(opt, grad, xp):
    g = grad._data * opt.rescale_grad
    if opt.clip_gradient is not None:
        g = xp.clip(g, -opt.clip_gradient, opt.clip_gradient)
    return g


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD (Zheng et al. 2016)."""

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight):
        mom = _zeros_like(weight) if self.momentum != 0.0 else None
        return (mom, weight.copy())

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        xp = weight.context.backend.xp
        g = _prepared_grad(self, grad, xp)
        mom, previous = state
        w, prev = weight._data, previous._data
        step = -lr * (g + wd * w + self.lamda * g * g * (w - prev))
        # NOTE: MXNet 1.9.1 fails here with momentum (``if mom:`` on an NDArray); the
        # momentum form below is the one its docstring describes.
        if mom is not None:
            mom._data *= self.momentum
            mom._data += step
            step = mom._data
        prev[...] = w
        w += step


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: an SGD half-step plus N(0, lr) noise."""

    def create_state(self, index, weight):
        return None

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        xp = weight.context.backend.xp
        g = _prepared_grad(self, grad, xp)
        w = weight._data
        w += -lr / 2 * (g + wd * w)
        # Draw through mx.random.normal in the weight's dtype, as MXNet does, so that a
        # seeded run reproduces MXNet's noise.
        noise = nd.random.normal(0, math.sqrt(lr), shape=weight.shape, dtype=weight.dtype,
                                 ctx=weight.context)
        w += noise._data


@register
class Test(Optimizer):
    """The optimizer MXNet's own tests use: ``weight += grad * rescale_grad``."""

    def create_state(self, index, weight):
        return nd.zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        weight._data += grad._data * self.rescale_grad
        state._data[...] = weight._data
