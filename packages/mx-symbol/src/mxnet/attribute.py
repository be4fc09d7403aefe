"""``AttrScope``: attributes attached to every symbol created inside the scope."""
import threading

from .base import string_types

__all__ = ["AttrScope"]


class AttrScope:
    """``with AttrScope(ctx_group='dev1'):`` adds ``__ctx_group__`` to new symbols."""

    _current = threading.local()

    def __init__(self, **kwargs):
        self._old_scope = None
        for value in kwargs.values():
            if not isinstance(value, string_types):
                raise ValueError("Attributes need to be string")
        self._attr = kwargs

    def get(self, attr):
        """Merge the scope's attributes (as ``__key__``) under the given ones."""
        if not self._attr:
            return dict(attr) if attr else {}
        ret = {f"__{k}__": v for k, v in self._attr.items()}
        if attr:
            ret.update(attr)
        return ret

    def __enter__(self):
        self._old_scope = AttrScope.current()
        attr = AttrScope.current()._attr.copy()
        attr.update(self._attr)
        self._attr = attr
        AttrScope._current.value = self
        return self

    def __exit__(self, *exc):
        AttrScope._current.value = self._old_scope

    @staticmethod
    def current():
        scope = getattr(AttrScope._current, "value", None)
        if scope is None:
            scope = AttrScope._current.value = AttrScope()
        return scope
