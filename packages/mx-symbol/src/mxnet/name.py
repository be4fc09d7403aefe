"""Automatic naming of symbols: ``fullyconnected0``, ``relu1``... and ``Prefix``."""
import threading
import warnings

from .base import _MXClassPropertyMetaClass, classproperty

__all__ = ["NameManager", "Prefix"]


class NameManager(metaclass=_MXClassPropertyMetaClass):
    """Gives each unnamed symbol ``<hint><counter>``; a ``with`` scope replaces the current."""

    _current = threading.local()

    def __init__(self):
        self._counter = {}
        self._old_manager = None

    def get(self, name, hint):
        if name:
            return name
        hint = hint.lower()
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f"{hint}{count}"

    def __enter__(self):
        self._old_manager = NameManager._get()
        NameManager._current.value = self
        return self

    def __exit__(self, *exc):
        NameManager._current.value = self._old_manager

    @staticmethod
    def _get():
        """The current manager of this thread (what the symbol builders use)."""
        mgr = getattr(NameManager._current, "value", None)
        if mgr is None:
            mgr = NameManager._current.value = NameManager()
        return mgr

    @classproperty
    def current(cls):
        # MXNet 1.9.1 compat: a deprecated class property, readable and assignable
        warnings.warn("NameManager.current has been deprecated. It is advised to use the "
                      "`with` statement with NameManager.", DeprecationWarning, stacklevel=3)
        return NameManager._get()

    @current.setter
    def current(cls, value):
        NameManager._current.value = value


class Prefix(NameManager):
    """A name manager that prepends ``prefix`` to every name it gives."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)
