"""ParameterDict: Parameters by full name under a prefix (re-exported by ``parameter``)."""
import re
from collections import OrderedDict

import numpy as np

from .. import initializer, ndarray as nd
from .parameter import Constant, Parameter


class ParameterDict:
    """Parameters by full name, sharing ``prefix``; may fall back to a shared dict."""

    def __init__(self, prefix="", shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        body = "\n".join(f"  {p}" for p in self.values())
        return f"{self._prefix} (\n{body}\n)"

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The Parameter ``prefix + name``, created with ``kwargs`` if new."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            param = self._params[name] = Parameter(name, **kwargs)
            return param
        for key, value in kwargs.items():
            if key == "shape" and value is not None:
                param.shape = _merge_shape(param, value)
                continue
            existing = getattr(param, key, None)
            if key == "init" and existing is None:
                param.init = value
            elif existing is not None and value is not None and key == "dtype":
                if np.dtype(existing) != np.dtype(value):
                    raise AssertionError(f"Cannot retrieve Parameter '{name}' because "
                                         f"desired attribute does not match with stored "
                                         f"for attribute 'dtype': desired '{value}' vs "
                                         f"stored '{existing}'.")
        return param

    def get_constant(self, name, value=None):
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError(f"No constant named '{name}'. Please specify value if you "
                               "want to create a new constant.")
            param = self._params[name] = Constant(name, value)
        return param

    def update(self, other):
        for key, value in other.items():
            if key in self._params and self._params[key] is not value:
                raise AssertionError(f"Cannot update self with other because they have "
                                     f"different Parameters with the same name '{key}'")
        for key, value in other.items():
            self._params[key] = value

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        if verbose:
            init.set_verbosity(verbose=verbose)
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        for param in self.values():
            param.zero_grad()

    def reset_ctx(self, ctx):
        for param in self.values():
            param.reset_ctx(ctx)

    def list_ctx(self):
        out = []
        for param in self.values():
            for c in param.list_ctx():
                if c not in out:
                    out.append(c)
        return out

    def setattr(self, name, value):
        for param in self.values():
            setattr(param, name, value)

    def save(self, filename, strip_prefix=""):
        arg_dict = {}
        for param in self.values():
            weight = param._reduce()
            if not param.name.startswith(strip_prefix):
                raise ValueError(f"Prefix '{strip_prefix}' is to be striped before saving, "
                                 f"but Parameter's name '{param.name}' does not start with "
                                 f"'{strip_prefix}'.")
            arg_dict[param.name[len(strip_prefix):]] = weight
        nd.save(filename, arg_dict)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix="", cast_dtype=False, dtype_source="current"):
        """Load Parameters saved by ``save`` (or ``export``'s ``arg:``/``aux:`` file)."""
        if restore_prefix:
            for name in self.keys():
                if not name.startswith(restore_prefix):
                    raise ValueError(f"restore_prefix is '{restore_prefix}' but Parameters "
                                     f"name '{name}' does not start with it")
        self.load_dict(nd.load(filename), ctx, allow_missing, ignore_extra, restore_prefix,
                       filename, cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix="", filename=None, cast_dtype=False,
                  dtype_source="current"):
        """Load Parameters from ``{name: NDArray}`` (``arg:``/``aux:`` prefixes allowed)."""
        source = f"file '{filename}'" if filename else "param_dict"
        items = param_dict.items() if isinstance(param_dict, dict) else param_dict
        loaded = {}
        for key, value in items:
            key = key[4:] if key.startswith(("arg:", "aux:")) else key
            loaded[restore_prefix + key] = value
        if not allow_missing:
            for name in self.keys():
                if name not in loaded:
                    raise AssertionError(
                        f"Parameter '{name[len(restore_prefix):]}' is missing in {source}, "
                        f"which contains parameters: {_brief(loaded.keys())}. Please make "
                        "sure source and target networks have the same prefix.")
        for name, value in loaded.items():
            if name not in self._params:
                if not ignore_extra:
                    raise ValueError(
                        f"Parameter '{name[len(restore_prefix):]}' loaded from {source} is "
                        f"not present in ParameterDict, choices are: {_brief(self.keys())}. "
                        "Set ignore_extra to True to ignore. Please make sure source and "
                        "target networks have the same prefix.")
                continue
            self._params[name]._load_init(value, ctx, cast_dtype=cast_dtype,
                                          dtype_source=dtype_source)

    def select(self, select):
        pattern = re.compile(select)
        out = ParameterDict(self._prefix)
        out._params.update((k, v) for k, v in self.items() if pattern.match(k))
        return out


def _merge_shape(param, value):
    value = tuple(value) if not isinstance(value, int) else (value,)
    if param.shape is None:
        return value
    if len(param.shape) == len(value):
        return tuple(b if a == 0 else a for a, b in zip(param.shape, value))
    return value


def _brief(names):
    names = list(names)
    return ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
