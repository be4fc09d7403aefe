"""The plugin manager: loads entry-point group ``mxnet`` once, lazily.

``MXNET_PLUGINS`` pins which entry points load: a comma-separated list of entry-point
names, or ``none`` for no third-party plugin at all (mx-core's built-ins always load).
"""
import functools
import os
import sys

import pluggy

from ..base import MXNetError
from . import hookspecs

__all__ = ["NameRegistry", "get_manager", "get_registry", "reset", "loaded_plugins"]

hookimpl = pluggy.HookimplMarker("mxnet")


class NameRegistry:
    """A name -> object table (optimizers, initializers, metrics, kvstores, formats)."""

    def __init__(self, kind):
        self.kind = kind
        self._items = {}

    def add(self, name, obj):
        key = name.lower()
        old = self._items.get(key)
        if old is not None and old is not obj:
            sys.stderr.write(f"mxnet: {self.kind} {name!r} is being overridden\n")
        self._items[key] = obj
        return obj

    def get(self, name, default=None):
        return self._items.get(name.lower(), default)

    def __contains__(self, name):
        return name.lower() in self._items

    def __iter__(self):
        return iter(self._items)

    def items(self):
        return self._items.items()


_FACTORIES = {}          # registry kind -> callable creating the empty registry
# Every hook has a registry from the start; the modules that own a kind (mx.optimizer,
# mx.init, ...) may replace its factory with define_registry before first use.
for _kind in ("optimizers", "initializers", "metrics", "kvstores", "exporters",
              "importers"):
    _FACTORIES[_kind] = functools.partial(NameRegistry, _kind)
del _kind
_REGISTRIES = {}         # registry kind -> filled registry
_STATE = {"pm": None, "entry_points": []}


def _make_manager():
    from .. import _builtin_plugin
    pm = pluggy.PluginManager("mxnet")
    pm.add_hookspecs(hookspecs)
    pm.register(_builtin_plugin, name="mx-core")
    pin = os.environ.get("MXNET_PLUGINS")
    wanted = None if pin is None else {p.strip() for p in pin.split(",") if p.strip()}
    loaded = []
    for ep in _entry_points():
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as err:
            raise MXNetError(f"Failed to load mxnet plugin {ep.name!r} ({ep.value}) from "
                             f"distribution {_dist_name(ep)}: {err}") from err
        pm.register(plugin, name=ep.name)
        loaded.append((ep.name, _dist_name(ep), ep.value))
    pm.check_pending()
    _STATE["entry_points"] = loaded
    return pm


def _entry_points():
    from importlib.metadata import entry_points
    return list(entry_points(group="mxnet"))


def _dist_name(ep):
    dist = getattr(ep, "dist", None)
    return dist.metadata["Name"] if dist is not None else "?"


def get_manager():
    pm = _STATE["pm"]
    if pm is None:
        pm = _STATE["pm"] = _make_manager()
    return pm


def define_registry(kind, factory):
    """Declare a registry kind; the hook ``mxnet_register_<kind>`` fills it."""
    _FACTORIES[kind] = factory


def get_registry(kind):
    """The registry of ``kind``, filled by every plugin on first use."""
    reg = _REGISTRIES.get(kind)
    if reg is None:
        reg = _REGISTRIES[kind] = _FACTORIES[kind]()
        hook = getattr(get_manager().hook, f"mxnet_register_{kind}")
        hook.call_historic(kwargs={"registry": reg})
    return reg


def register_plugin(plugin, name=None):
    """Register a plugin object at run time (tests, notebooks); replays every hook."""
    pm = get_manager()
    pm.register(plugin, name=name)
    pm.check_pending()
    return plugin


def unregister_plugin(plugin):
    get_manager().unregister(plugin)


def loaded_plugins():
    """``[(entry point name, distribution, target)]`` of the loaded third-party plugins."""
    get_manager()
    return list(_STATE["entry_points"])


def reset():
    """Forget the manager and every registry (a fresh start, for tests)."""
    _STATE["pm"] = None
    _REGISTRIES.clear()
    # the default context caches its backend: drop it, or it outlives the registry
    from ..context import Context
    default = getattr(Context._default, "value", None)
    if default is not None:
        default._backend = None
