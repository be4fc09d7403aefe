"""What plugin authors import: the hook marker, operator declarations, backends.

See ``docs/plugins/`` and ``examples/mx-plugin-example`` for a complete plugin.
"""
from .._backends import Backend, BackendRegistry
from .._ops.params import (REQUIRED, Any, Bool, DType, Enum, Float, FloatTuple, Int,
                           Optional, Param, Shape, Str)
from .._ops.registry import OpDef, OpRegistry
from ._lazy import lazy_exports
from ._manager import (NameRegistry, get_manager, get_registry, hookimpl,
                       loaded_plugins, register_plugin, reset, unregister_plugin)
from . import hookspecs

__all__ = ["hookimpl", "hookspecs", "OpDef", "OpRegistry", "Backend", "BackendRegistry",
           "NameRegistry", "Param", "Int", "Float", "Bool", "Str", "Shape", "FloatTuple",
           "DType", "Enum", "Optional", "Any", "REQUIRED", "get_manager", "get_registry",
           "register_plugin", "unregister_plugin", "loaded_plugins", "reset", "lazy_exports"]
