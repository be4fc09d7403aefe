"""``mx.util``: numpy-shape semantics switches and small helpers clients import."""
import functools

from .ndarray import ndarray as _nd

__all__ = ["is_np_shape", "set_np_shape", "np_shape", "use_np_shape", "is_np_array",
           "np_array", "use_np_array", "set_np", "reset_np", "use_np", "getenv", "setenv",
           "makedirs"]

_NP_ARRAY = [False]


def is_np_shape():
    """Whether numpy shape semantics (0-d and zero-size shapes) are on."""
    return _nd._NP_SHAPE[0]


def set_np_shape(active):
    """Turn numpy shape semantics on or off; returns the previous state."""
    prev = _nd._NP_SHAPE[0]
    _nd._NP_SHAPE[0] = bool(active)
    return prev


class np_shape:
    """Scope (and decorator) with numpy shape semantics set to ``active``."""

    def __init__(self, active=True):
        self._active = active
        self._prev = None

    def __enter__(self):
        self._prev = set_np_shape(self._active)
        return self

    def __exit__(self, *exc):
        set_np_shape(self._prev)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with np_shape(self._active):
                return fn(*args, **kwargs)
        return wrapped


def use_np_shape(func):
    """Decorator: run ``func`` (or every method of a class) with numpy shape semantics."""
    if isinstance(func, type):
        for name, attr in list(vars(func).items()):
            if callable(attr):
                setattr(func, name, use_np_shape(attr))
        return func
    return np_shape(True)(func)


def is_np_array():
    return _NP_ARRAY[0]


class np_array:
    """Scope (and decorator) with the numpy-array flag set to ``active``."""

    def __init__(self, active=True):
        self._active = active
        self._prev = None

    def __enter__(self):
        self._prev = _NP_ARRAY[0]
        _NP_ARRAY[0] = bool(self._active)
        return self

    def __exit__(self, *exc):
        _NP_ARRAY[0] = self._prev

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with np_array(self._active):
                return fn(*args, **kwargs)
        return wrapped


def use_np_array(func):
    """Decorator: run ``func`` (or every method of a class) with the numpy-array flag on."""
    if isinstance(func, type):
        for name, attr in list(vars(func).items()):
            if callable(attr):
                setattr(func, name, use_np_array(attr))
        return func
    return np_array(True)(func)


def set_np(shape=True, array=True, dtype=False):
    """Numpy semantics on (as ``mx.npx.set_np``): shapes, and the array flag."""
    set_np_shape(shape)
    _NP_ARRAY[0] = bool(array)


def reset_np():
    set_np(False, False)


use_np = use_np_shape


def getenv(name):
    import os
    return os.environ.get(name)


def setenv(name, value):
    import os
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = str(value)


def makedirs(d):
    import os
    os.makedirs(d, exist_ok=True)
