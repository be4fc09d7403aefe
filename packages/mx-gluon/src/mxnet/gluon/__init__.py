"""Gluon: MXNet 1.x's imperative/hybrid neural network API (the mx-gluon package)."""
from . import nn, utils  # noqa: F401
from .block import Block, HybridBlock, SymbolBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict
from .trainer import Trainer

__all__ = ["Block", "HybridBlock", "SymbolBlock", "Parameter", "Constant", "ParameterDict",
           "DeferredInitializationError", "Trainer", "nn", "utils"]


def __getattr__(name):
    import importlib
    if name in ("loss", "rnn", "data", "model_zoo", "contrib"):
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mxnet.gluon' has no attribute {name!r}")
