"""The Optimizer base class, the optimizer registry, ``create`` and ``register``.

The registry is the plugin registry ``get_registry("optimizers")``: a plugin's
``mxnet_register_optimizers`` hook and ``mx.optimizer.register`` write to the same
table, so ``mx.optimizer.create("name")`` finds both.
"""
import warnings
from collections.abc import MutableMapping

import numpy

from ..base import MXNetError
from ..plugins import _manager
from ..util import is_np_array

__all__ = ["Optimizer", "register", "create", "Updater", "get_updater"]

# Every class given to ``register``: replayed into a fresh registry by mx-core's hookimpl
# (so ``mxnet.plugins.reset()`` keeps them, as MXNet's global table would).
_REGISTERED = {}


def _registry():
    return _manager.get_registry("optimizers")


class _RegistryView(MutableMapping):
    """``Optimizer.opt_registry``: MXNet's name -> class dict, backed by the registry."""

    def __getitem__(self, name):
        klass = _registry().get(name)
        if klass is None:
            raise KeyError(name)
        return klass

    def __setitem__(self, name, klass):
        _REGISTERED[name.lower()] = klass
        _registry().add(name, klass)

    def __delitem__(self, name):
        raise MXNetError("Optimizer.opt_registry: optimizers cannot be unregistered")

    def __iter__(self):
        return iter(list(_registry()))

    def __len__(self):
        return sum(1 for _ in _registry())

    def __contains__(self, name):
        return isinstance(name, str) and name in _registry()


class Optimizer:
    """The base class of every optimizer.

    Parameters
    ----------
    rescale_grad : float
        Every gradient is multiplied by this first (``1 / batch_size`` typically).
    param_idx2name : dict of int to str
        Parameter names by index; a name that ends with neither ``_weight`` nor
        ``_gamma`` gets no weight decay (``wd_mult`` 0).
    wd : float
        L2 weight decay.
    clip_gradient : float, optional
        Clip the rescaled gradient to ``[-clip_gradient, clip_gradient]``.
    learning_rate : float, optional
        The learning rate (0.01 unless given, or taken from ``lr_scheduler``).
    lr_scheduler : LRScheduler, optional
        Gives the learning rate as a function of the update count.
    sym : Symbol, optional
        Its ``__lr_mult__``/``__wd_mult__`` attributes set ``lr_mult``/``wd_mult``.
    begin_num_update : int
        The update count to start from.
    multi_precision : bool
        Keep a float32 master copy of float16 weights and update that.
    param_dict : dict of int to Parameter, optional
        Gluon Parameters by index; their ``lr_mult``/``wd_mult`` win.
    """

    opt_registry = _RegistryView()

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0.,
                 clip_gradient=None, learning_rate=None,
                 lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None \
                and lr_scheduler.base_lr != learning_rate:
            # MXNet 1.9.1 compat: printed, not warned.
            print(UserWarning("learning rate from ``lr_scheduler`` has been "
                              "overwritten by ``learning_rate`` in optimizer."))
            lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise MXNetError("Optimizer: param_idx2name should be a dict of param indexes "
                             f"to names, got {type(param_idx2name).__name__}")
        self.idx2name = param_idx2name.copy()
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        self.allow_np_array = is_np_array()
        self.set_lr_mult({})
        self.set_wd_mult({})

    # -- registry --------------------------------------------------------------------
    @staticmethod
    def register(klass):
        """Register an Optimizer subclass under its lower-case class name (a decorator)."""
        if not isinstance(klass, type):
            raise MXNetError(f"Optimizer.register: expected a class, got {klass!r}")
        name = klass.__name__.lower()
        old = _REGISTERED.get(name)
        if old is not None and old is not klass:
            warnings.warn(f"WARNING: New optimizer {klass.__module__}.{klass.__name__} is "
                          f"overriding existing optimizer {old.__module__}.{old.__name__}")
        _REGISTERED[name] = klass
        # Before first use the registry does not exist yet; mx-core's hookimpl replays
        # _REGISTERED into it then.
        live = _manager._REGISTRIES.get("optimizers")
        if live is not None:
            live.add(name, klass)
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """An instance of the optimizer registered as ``name`` (case-insensitive)."""
        klass = _registry().get(name) if isinstance(name, str) else None
        if klass is None:
            raise ValueError(f"Cannot find optimizer {name}")
        return klass(**kwargs)

    # -- learning rate ---------------------------------------------------------------
    @property
    def learning_rate(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr):
        """Set the learning rate (refused when an lr_scheduler is in charge)."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been "
                              "defined. Note that set_learning_rate can mutate "
                              "the value of the learning rate of the optimizer "
                              "only when the LRScheduler of the optimizer is "
                              "undefined.")
        self.lr = lr

    def set_lr_scale(self, args_lrscale):
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult):
        """Per-parameter learning-rate multipliers (by index or name)."""
        self.lr_mult = {}
        for name, attrs in self._sym_attrs():
            if "__lr_mult__" in attrs:
                self.lr_mult[name] = float(attrs["__lr_mult__"])
        self.lr_mult.update(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Per-parameter weight-decay multipliers; biases and betas default to 0."""
        self.wd_mult = {}
        for n in self.idx2name.values():
            if not (n.endswith("_weight") or n.endswith("_gamma")):
                self.wd_mult[n] = 0.0
        for name, attrs in self._sym_attrs():
            if "__wd_mult__" in attrs:
                self.wd_mult[name] = float(attrs["__wd_mult__"])
        self.wd_mult.update(args_wd_mult)

    def _sym_attrs(self):
        if not self.sym_info:
            return []
        attr, arg_names = self.sym_info
        return [(name, attr[name]) for name in arg_names if name in attr]

    # -- update counting -------------------------------------------------------------
    def _set_current_context(self, device_id):
        """Keep separate update counts per device (each device has its own updater)."""
        counts = self._all_index_update_counts.setdefault(device_id, {})
        self._index_update_count = counts

    def _update_count(self, index):
        indices = index if isinstance(index, (list, tuple)) else [index]
        counts = self._index_update_count
        for idx in indices:
            counts[idx] = counts.get(idx, self.begin_num_update) + 1
            self.num_update = max(counts[idx], self.num_update)

    def _get_lrs(self, indices):
        base = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None \
            else self.lr
        return [base * self._mult(index, "lr_mult") for index in indices]

    def _get_lr(self, index):
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        return [self.wd * self._mult(index, "wd_mult") for index in indices]

    def _get_wd(self, index):
        return self._get_wds([index])[0]

    def _mult(self, index, kind):
        """The lr/wd multiplier of one index: Parameter first, then index, then name."""
        if index in self.param_dict:
            return getattr(self.param_dict[index], kind)
        table = getattr(self, kind)
        if index in table:
            return table[index]
        if index in self.idx2name:
            return table.get(self.idx2name[index], 1.0)
        return 1.0

    # -- states and updates ----------------------------------------------------------
    def create_state(self, index, weight):
        """The auxiliary state of one weight (None, an NDArray or a tuple of them)."""

    def create_state_multi_precision(self, index, weight):
        """``create_state``; for float16 weights with multi_precision, ``(master, state)``."""
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (master,) + (self.create_state(index, master),)
        _warn_fp16(self, weight)
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Update ``weight`` in place from ``grad`` and ``state``."""
        raise NotImplementedError()

    def update_multi_precision(self, index, weight, grad, state):
        """``update``, on the float32 master copy for float16 weights with multi_precision."""
        if self.multi_precision and weight.dtype == numpy.float16:
            master, inner = state
            self.update(index, master, grad.astype(numpy.float32), inner)
            master.copyto(weight)
        else:
            self.update(index, weight, grad, state)

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["param_dict"]          # Parameters are re-attached by the Trainer
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


def _warn_fp16(opt, weight, name=""):
    if weight.dtype == numpy.float16 and not opt.multi_precision:
        warnings.warn("Accumulating with float16 in optimizer can lead to "
                      "poor accuracy or slow convergence. "
                      f"Consider using multi_precision=True option of the {name}optimizer")


register = Optimizer.register
create = Optimizer.create_optimizer

# The concrete optimizers, re-exported here where MXNet 1.9.1 defines them (pickled
# optimizers in .states files name ``mxnet.optimizer.optimizer.<Class>``).
from .sgd import (SGD, NAG, DCASGD, LARS, LBSGD, SGLD, Signum, Test,  # noqa: E402
                  ccSGD)
from .adaptive import (FTML, LAMB, AdaDelta, AdaGrad, Adam, Adamax, Ftrl,  # noqa: E402
                       Nadam, RMSProp)
from .updater import Updater, get_updater  # noqa: E402

# MXNet 1.9.1 compat: pickled optimizers (``Trainer.save_states`` dumps the optimizer)
# name ``mxnet.optimizer.optimizer.<Class>``; give ours the same path so real MXNet and
# this package read each other's files.
for _cls in (SGD, NAG, DCASGD, LARS, LBSGD, SGLD, Signum, Test, ccSGD, FTML, LAMB,
             AdaDelta, AdaGrad, Adam, Adamax, Ftrl, Nadam, RMSProp):
    _cls.__module__ = __name__
del _cls

__all__ += ["SGD", "NAG", "DCASGD", "LARS", "LBSGD", "SGLD", "Signum", "Test", "ccSGD",
            "FTML", "LAMB", "AdaDelta", "AdaGrad", "Adam", "Adamax", "Ftrl", "Nadam",
            "RMSProp"]
