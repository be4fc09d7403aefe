"""``mx.util``: numpy-shape semantics switches and small helpers clients import."""
import functools
import threading

from .ndarray import ndarray as _nd

__all__ = ["is_np_shape", "set_np_shape", "np_shape", "use_np_shape", "is_np_array",
           "np_array", "use_np_array", "set_np", "reset_np", "use_np", "getenv", "setenv",
           "makedirs"]


def is_np_shape():
    """Whether numpy shape semantics (0-d and zero-size shapes) are on."""
    return _nd._NP_SHAPE[0]


def set_np_shape(active):
    """Turn numpy shape semantics on or off; returns the previous state.

    ``active=2`` is MXNet's global level, under which files saved without numpy
    shape semantics still load."""
    prev = _nd._NP_SHAPE[0]
    _nd._NP_SHAPE[0] = 2 if active == 2 and not isinstance(active, bool) else bool(active)
    return bool(prev)


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


class _NumpyArrayScope:
    """The numpy-array flag of the current thread: a scope, and (here) a decorator.

    ``np_array(active)`` returns one; ``_NumpyArrayScope._current.value`` is the
    scope in force (per thread, as in MXNet).
    """

    _current = threading.local()

    def __init__(self, is_np_array):  # noqa: F811 (MXNet's argument name)
        self._old_scope = None
        self._is_np_array = is_np_array

    def __enter__(self):
        if not hasattr(_NumpyArrayScope._current, "value"):
            _NumpyArrayScope._current.value = _NumpyArrayScope(False)
        self._old_scope = _NumpyArrayScope._current.value
        _NumpyArrayScope._current.value = self
        return self

    def __exit__(self, *exc):
        _NumpyArrayScope._current.value = self._old_scope

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with _NumpyArrayScope(self._is_np_array):
                return fn(*args, **kwargs)
        return wrapped


def is_np_array():
    """Whether the numpy-array flag is on in this thread."""
    scope = getattr(_NumpyArrayScope._current, "value", None)
    return bool(getattr(scope, "_is_np_array", False))


def np_array(active=True):
    """A scope (or decorator) with the numpy-array flag set to ``active``."""
    return _NumpyArrayScope(active)


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
    _NumpyArrayScope._current.value = _NumpyArrayScope(bool(array))


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
