"""Automatic naming of symbols: ``fullyconnected0``, ``relu1``... and ``Prefix``."""
import threading

__all__ = ["NameManager", "Prefix"]


class NameManager:
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
        self._old_manager = NameManager.current()
        NameManager._current.value = self
        return self

    def __exit__(self, *exc):
        NameManager._current.value = self._old_manager

    @staticmethod
    def current():
        mgr = getattr(NameManager._current, "value", None)
        if mgr is None:
            mgr = NameManager._current.value = NameManager()
        return mgr


class Prefix(NameManager):
    """A name manager that prepends ``prefix`` to every name it gives."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)
