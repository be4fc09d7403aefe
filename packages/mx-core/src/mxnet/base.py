"""Basic types and helpers shared by every part of the stack.

Client code imports a handful of names from here (``MXNetError``,
``string_types``, ``numeric_types``, ``integer_types``, ``_as_list``...);
they keep MXNet 1.9.1's meanings.
"""
import numbers

import numpy as np

__all__ = ["MXNetError", "NotImplementedForSymbol", "string_types", "numeric_types",
           "integer_types", "mx_real_t", "mx_uint", "py_str", "c_str", "data_dir",
           "check_call", "_as_list"]


class MXNetError(RuntimeError):
    """Error raised by MXNet operations, file readers and argument checks."""


class KernelError(MXNetError):
    """An operator failure MXNet only finds when the kernel runs (a sampler's invalid
    parameter, for instance).

    As in MXNet's asynchronous engine, the call itself returns; the error is raised
    when a result (or anything computed from it) is read or waited for, or by
    ``mx.nd.waitall()``.
    """


class NotImplementedForSymbol(MXNetError):
    """Raised when a function that only exists for NDArray is called on a Symbol."""

    def __init__(self, function, alias, *args):
        super().__init__()
        self.function = getattr(function, "__name__", str(function))
        self.alias = alias
        self.args = [str(type(a)) for a in args]

    def __str__(self):
        msg = f"Function {self.function}"
        if self.alias:
            msg += f" (namely operator \"{self.alias}\")"
        if self.args:
            msg += " with arguments (" + ", ".join(self.args) + ")"
        return msg + " is not implemented for Symbol and only available in NDArray."


string_types = (str,)
numeric_types = (float, int, np.generic)
integer_types = (int, np.integer)
mx_real_t = np.float32
mx_uint = np.uint32
mx_int = np.int32
_Null = None


def py_str(x):
    return x.decode("utf-8") if isinstance(x, bytes) else x


def c_str(string):
    return string.encode("utf-8")


def check_call(ret):
    """MXNet checked C return codes; there is no C library here, so it is a no-op."""
    return ret


def data_dir():
    """Where MXNet keeps downloaded data (``$MXNET_HOME`` or ``~/.mxnet``)."""
    import os
    return os.getenv("MXNET_HOME", os.path.join(os.path.expanduser("~"), ".mxnet"))


def _as_list(obj):
    """A list from a list/tuple, else a one-element list."""
    if isinstance(obj, (list, tuple)):
        return list(obj)
    return [obj]


def is_number(x):
    return isinstance(x, numbers.Number) or isinstance(x, np.generic)


# -- class properties (``Context.default_ctx``, ``NameManager.current``...) ----------------
class _MXClassPropertyDescriptor:
    """A property of the class itself: read on the class, and assignable on it when
    the class uses :class:`_MXClassPropertyMetaClass`."""

    def __init__(self, fget, fset=None):
        self.fget = fget
        self.fset = fset

    def __get__(self, obj, cls=None):
        return self.fget.__get__(obj, type(obj) if cls is None else cls)()

    def __set__(self, obj, value):
        if self.fset is None:
            raise AttributeError("can't set attribute")
        cls = obj if isinstance(obj, type) else type(obj)
        return self.fset.__get__(obj, cls)(value)

    def setter(self, func):
        self.fset = func if isinstance(func, (classmethod, staticmethod)) \
            else classmethod(func)
        return self


class _MXClassPropertyMetaClass(type):
    """Routes ``Cls.name = value`` to the setter of a class property ``name``."""

    def __setattr__(cls, key, value):
        prop = cls.__dict__.get(key)
        if isinstance(prop, _MXClassPropertyDescriptor):
            prop.__set__(cls, value)
            return
        super().__setattr__(key, value)


def classproperty(func):
    """Decorator: a read-only (until ``.setter``) property of the class."""
    if not isinstance(func, (classmethod, staticmethod)):
        func = classmethod(func)
    return _MXClassPropertyDescriptor(func)


def with_metaclass(meta, *bases):
    """A base class with metaclass ``meta`` (six's helper, which MXNet's code uses)."""
    return meta("_with_metaclass_base", bases or (object,), {})
