"""``mx.contrib``: experimental parts of MXNet; here ``mx.contrib.amp``.

Submodules load on first access, so ``import mxnet`` stays light.
"""
import importlib

__all__ = ["amp"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
