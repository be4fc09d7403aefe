"""Weight initializers (``mx.init`` / ``mx.initializer``), with MXNet 1.9.1's names.

An initializer is called as ``init(InitDesc(name, attrs), arr)`` and fills ``arr`` in
place, choosing by the parameter's name (``*weight`` gets the initializer's own rule,
``*bias``/``*beta``/``*min`` zeros, ``*gamma``/``*max`` ones) unless the attributes
carry an ``__init__`` JSON string such as ``'["xavier", {"magnitude": 2}]'``.

``register``/``create`` use the plugin registry ``get_registry("initializers")``, so
an initializer a plugin adds through ``mxnet_register_initializers`` is found by name
and by the JSON strings symbols store.
"""
import json
import logging
import re
import warnings
from math import sqrt

import numpy as np

from . import random
from .base import MXNetError, string_types
from .ndarray import NDArray
from .plugins import _manager

__all__ = ["InitDesc", "Initializer", "register", "alias", "create", "Load", "Mixed", "Zero",
           "One", "Constant", "Uniform", "Normal", "Orthogonal", "Xavier", "MSRAPrelu",
           "Bilinear", "LSTMBias", "FusedRNN"]

_REGISTERED = {}     # name -> class given to register/alias; replayed into fresh registries


class InitDesc(str):
    """A parameter's name (the string itself) with its attributes and the global initializer.

    Parameters
    ----------
    name : str
        The parameter's name.
    attrs : dict of str to str
        Its attributes (``__init__`` holds an initializer as JSON).
    global_init : Initializer
        The initializer of the whole model, for initializers that delegate.
    """

    def __new__(cls, name, attrs=None, global_init=None):
        ret = super().__new__(cls, name)
        ret.attrs = attrs or {}
        ret.global_init = global_init
        return ret


class Initializer:
    """The base class: name-pattern dispatch, ``dumps`` and verbosity."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Log a statistic of each initialized array (default: ``norm(x) / sqrt(size)``)."""
        self._verbose = verbose
        if print_func is None:
            def print_func(x):
                data = x.asnumpy().astype(np.float64)
                return str(np.linalg.norm(data) / sqrt(x.size))
        self._print_func = print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info("Initialized %s as %s: %s", desc, init, self._print_func(arr))

    def dumps(self):
        """The JSON ``[name, kwargs]`` that ``create`` (and symbol attributes) read back."""
        return json.dumps([type(self).__name__.lower(), self._kwargs])

    def __call__(self, desc, arr):
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get("__init__", "")
        if init:
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in _DISPATCH:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr):
        """``init(str, arr)``: MXNet's older, wider name table (moving stats, upsampling)."""
        warnings.warn("Calling initializer with init(str, NDArray) has been deprecated."
                      "please use init(mx.init.InitDesc(...), NDArray) instead.",
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, string_types):
            raise TypeError("name must be string")
        if not isinstance(arr, NDArray):
            raise TypeError("arr must be NDArray")
        if name.startswith("upsampling"):
            return self._init_bilinear(name, arr)
        if name.startswith("stn_loc") and name.endswith("weight"):
            return self._init_zero(name, arr)
        if name.startswith("stn_loc") and name.endswith("bias"):
            return self._init_loc_bias(name, arr)
        for suffix, method in _LEGACY_DISPATCH:
            if name.endswith(suffix):
                return getattr(self, method)(name, arr)
        return self._init_default(name, arr)

    def _init_bilinear(self, _, arr):
        arr[:] = _bilinear(arr.shape)

    def _init_loc_bias(self, name, arr):
        if arr.shape[0] != 6:
            raise MXNetError(f"Initializer: {name} (a spatial-transformer location bias) "
                             f"needs 6 elements, got shape {arr.shape}")
        arr[:] = np.array([1.0, 0, 0, 0, 1.0, 0])

    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_quantized_bias(self, _, arr):
        arr[:] = 0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_weight(self, name, arr):
        raise NotImplementedError("Must override it")

    def _init_quantized_weight(self, _, arr):
        # MXNet 1.9.1 compat: one random int8 value fills the whole array.
        arr[:] = int(random.randint(-127, 127, shape=(1,), dtype="int32").asnumpy()[0])

    def _init_default(self, name, _):
        raise ValueError(
            f"Unknown initialization pattern for {name}. Default initialization is now "
            'limited to "weight", "bias", "gamma" (1.0), and "beta" (0.0).Please use '
            "mx.sym.Variable(init=mx.init.*) to set initialization pattern")

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = object.__hash__

    def __repr__(self):
        return f"{type(self).__name__}({self._kwargs})"


_DISPATCH = (("weight", "_init_weight"), ("bias", "_init_bias"), ("gamma", "_init_gamma"),
             ("beta", "_init_beta"), ("min", "_init_zero"), ("max", "_init_one"),
             ("weight_quantize", "_init_quantized_weight"),
             ("bias_quantize", "_init_quantized_bias"))
_LEGACY_DISPATCH = (("bias", "_init_bias"), ("gamma", "_init_gamma"),
                    ("beta", "_init_beta"), ("weight", "_init_weight"),
                    ("moving_mean", "_init_zero"), ("moving_var", "_init_one"),
                    ("moving_inv_var", "_init_zero"), ("moving_avg", "_init_zero"),
                    ("min", "_init_zero"), ("max", "_init_one"))


# -- registry --------------------------------------------------------------------------
def _registry():
    return _manager.get_registry("initializers")


def _add(name, klass):
    old = _REGISTERED.get(name)
    if old is not None and old is not klass:
        warnings.warn(f"WARNING: New initializer {klass.__module__}.{klass.__name__} is "
                      f"overriding existing initializer {old.__module__}.{old.__name__}")
    _REGISTERED[name] = klass
    live = _manager._REGISTRIES.get("initializers")     # None before first use
    if live is not None:
        live.add(name, klass)


def register(klass):
    """Register an Initializer subclass under its lower-case class name (a decorator)."""
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise MXNetError(f"mx.init.register: can only register subclasses of Initializer, "
                         f"got {klass!r}")
    _add(klass.__name__.lower(), klass)
    return klass


def alias(*aliases):
    """Register a class under extra names too (``@alias("zeros")``)."""
    def reg(klass):
        for name in aliases:
            _add(name.lower(), klass)
        return klass
    return reg


def create(*args, **kwargs):
    """An initializer from an instance, a name (+ kwargs), ``'["name", {...}]'`` or a dict."""
    if args:
        name, args = args[0], args[1:]
    else:
        name = kwargs.pop("initializer")
    if isinstance(name, Initializer):
        if args or kwargs:
            raise MXNetError("mx.init.create: extra arguments given with an instance")
        return name
    if isinstance(name, dict):
        return create(**name)
    if not isinstance(name, string_types):
        raise MXNetError(f"mx.init.create: expected a name, JSON string or Initializer, "
                         f"got {type(name).__name__}")
    if name.startswith("["):
        if args or kwargs:
            raise MXNetError("mx.init.create: extra arguments given with a JSON string")
        name, kwargs = json.loads(name)
        return create(name, **kwargs)
    if name.startswith("{"):
        if args or kwargs:
            raise MXNetError("mx.init.create: extra arguments given with a JSON string")
        return create(**json.loads(name))
    klass = _registry().get(name)
    if klass is None:
        raise MXNetError(f"{name.lower()} is not registered. Please register with "
                         "initializer.register first")
    return klass(*args, **kwargs)


# -- composite initializers ------------------------------------------------------------
class Load:
    """Initialize by name from loaded arrays (a dict or a ``.params`` file) or default_init."""

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            from .ndarray import load
            param = load(param)
        if not isinstance(param, dict):
            raise MXNetError(f"mx.init.Load: expected a dict of arrays, got "
                             f"{type(param).__name__}")
        self.param = {}
        for name, arr in param.items():
            key = name[4:] if name.startswith(("arg:", "aux:")) else name
            self.param[key] = arr
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            if arr.shape != self.param[name].shape:
                raise MXNetError(f"Parameter {name} cannot be initialized from loading. "
                                 f"Shape mismatch, target {arr.shape} vs loaded "
                                 f"{self.param[name].shape}")
            arr[:] = self.param[name]
            if self.verbose:
                logging.info("Initialized %s by loading", name)
            return
        if self.default_init is None:
            raise MXNetError(f"Cannot Initialize {name}. Not found in loaded param and no "
                             "default Initializer is provided.")
        self.default_init(name, arr)
        if self.verbose:
            logging.info("Initialized %s by default", name)


class Mixed:
    """The first initializer whose regular expression matches the name (``re.match``)."""

    def __init__(self, patterns, initializers):
        if len(patterns) != len(initializers):
            raise MXNetError(f"mx.init.Mixed: {len(patterns)} patterns for "
                             f"{len(initializers)} initializers")
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for prog, init in self.map:
            if prog.match(name):
                init(name, arr)
                return
        raise ValueError(f"Parameter name {name} did not match any pattern. Consider "
                         'add a ".*" pattern at the and with default Initializer.')


from ._initializers import (Bilinear, Constant, FusedRNN, LSTMBias, MSRAPrelu,  # noqa: E402
                            Normal, One, Orthogonal, Uniform, Xavier, Zero, _bilinear)
