"""Package attributes resolved on first use, for plugin packages.

A plugin's entry point is imported while mx-core itself is still importing, so a
plugin package (``mxnet.kvstore``, ``mxnet.onnx``) must not import its modules from
its ``__init__``; it names them instead and lets them load on first access.
"""
import importlib
import sys

__all__ = ["lazy_exports"]


def lazy_exports(package, names):
    """``(__getattr__, __dir__)`` for ``package`` whose attributes ``names`` maps to
    the submodule defining each; a resolved attribute is then cached on the package.

    Examples
    --------
    >>> __getattr__, __dir__ = lazy_exports(__name__, {"create": "base"})
    """
    def __getattr__(name):
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(names))
    return __getattr__, __dir__
