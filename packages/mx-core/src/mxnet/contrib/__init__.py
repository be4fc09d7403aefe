"""``mx.contrib``: experimental parts of MXNet (``amp``, ``autograd``, ``text``, ...).

Submodules load on first access, so ``import mxnet`` stays light.
"""
import importlib

__all__ = ["amp", "autograd", "io", "nd", "ndarray", "onnx", "sym", "symbol", "text"]

# MXNet 1.9.1 compat: mx.contrib.nd / mx.contrib.sym are the contrib operator namespaces.
_ALIASES = {"nd": "mxnet.ndarray.contrib", "ndarray": "mxnet.ndarray.contrib",
            "sym": "mxnet.symbol.contrib", "symbol": "mxnet.symbol.contrib"}


def __getattr__(name):
    if name in _ALIASES:
        return importlib.import_module(_ALIASES[name])
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
