"""``AttrScope``: attributes attached to every symbol created inside the scope."""
import threading
import warnings

from .base import _MXClassPropertyMetaClass, classproperty, string_types

__all__ = ["AttrScope"]

# Attributes the graph passes read: MXNet stores them as ``__key__``.
SPECIAL_KEYS = frozenset({"ctx_group", "lr_mult", "wd_mult", "force_mirroring",
                          "mirror_stage", "storage_type", "profiler_scope"})


def _stored_key(key):
    return f"__{key}__" if key in SPECIAL_KEYS else key


class AttrScope(metaclass=_MXClassPropertyMetaClass):
    """``with AttrScope(ctx_group='dev1'):`` adds ``__ctx_group__`` to new symbols."""

    _current = threading.local()

    def __init__(self, **kwargs):
        self._old_scope = None
        for value in kwargs.values():
            if not isinstance(value, string_types):
                raise ValueError("Attributes need to be string")
        self._attr = kwargs

    def get(self, attr):
        """The scope's attributes updated by the given ones, as a symbol stores them."""
        ret = dict(self._attr)
        if attr:
            ret.update(attr)
        return {_stored_key(k): v for k, v in ret.items()}

    def __enter__(self):
        self._old_scope = AttrScope._get()
        attr = self._old_scope._attr.copy()
        attr.update(self._attr)
        self._attr = attr
        AttrScope._current.value = self
        return self

    def __exit__(self, *exc):
        AttrScope._current.value = self._old_scope

    @staticmethod
    def _get():
        """The current scope of this thread (what the symbol builders use)."""
        scope = getattr(AttrScope._current, "value", None)
        if scope is None:
            scope = AttrScope._current.value = AttrScope()
        return scope

    @classproperty
    def current(cls):
        # MXNet 1.9.1 compat: a deprecated class property, readable and assignable
        warnings.warn("AttrScope.current has been deprecated. It is advised to use the "
                      "`with` statement with AttrScope.", DeprecationWarning, stacklevel=3)
        return AttrScope._get()

    @current.setter
    def current(cls, value):
        warnings.warn("AttrScope.current has been deprecated. It is advised to use the "
                      "`with` statement with AttrScope.", DeprecationWarning, stacklevel=3)
        AttrScope._current.value = value
