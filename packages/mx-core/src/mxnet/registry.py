"""``mx.registry``: name -> class tables for user-defined families (GluonNLP's datasets,
embeddings...), with MXNet 1.9.1's ``register``/``alias``/``create`` factories.

MXNet's own optimizers, initializers and metrics use the plugin registries
(``mxnet.plugins.get_registry``) instead; this module serves code that builds its own.
"""
import json
import warnings

from .base import MXNetError

__all__ = ["get_registry", "get_register_func", "get_alias_func", "get_create_func"]

_REGISTRY = {}      # base class -> {lower-case name: class}


def _table(base_class):
    return _REGISTRY.setdefault(base_class, {})


def get_registry(base_class):
    """A copy of the ``{name: class}`` table of ``base_class``."""
    return _table(base_class).copy()


def get_register_func(base_class, nickname):
    """``register(klass, name=None)``: add a subclass of ``base_class`` under its
    lower-case name (``name`` or the class name)."""
    registry = _table(base_class)

    def register(klass, name=None):
        if not (isinstance(klass, type) and issubclass(klass, base_class)):
            raise MXNetError(f"Can only register subclass of {base_class.__name__}, "
                             f"got {klass!r}")
        name = (klass.__name__ if name is None else name).lower()
        old = registry.get(name)
        if old is not None and old is not klass:
            warnings.warn(f"New {nickname} {klass.__module__}.{klass.__name__} registered "
                          f"with name {name} is overriding existing {nickname} "
                          f"{old.__module__}.{old.__name__}", UserWarning, stacklevel=2)
        registry[name] = klass
        return klass

    register.__doc__ = f"Register {nickname} to the {nickname} factory"
    return register


def get_alias_func(base_class, nickname):
    """``alias(*names)``: a class decorator registering the class under every name."""
    register = get_register_func(base_class, nickname)

    def alias(*aliases):
        def reg(klass):
            for name in aliases:
                register(klass, name)
            return klass
        return reg
    return alias


def get_create_func(base_class, nickname):
    """``create(name_or_instance, *args, **kwargs)``: an instance from a registered name,
    a ``[name, kwargs]`` / ``{nickname: name, ...}`` JSON string or dict, or the
    instance itself."""
    registry = _table(base_class)

    def create(*args, **kwargs):
        if args:
            name, args = args[0], args[1:]
        else:
            name = kwargs.pop(nickname)
        if isinstance(name, base_class):
            if args or kwargs:
                raise MXNetError(f"{nickname} is already an instance. Additional "
                                 "arguments are invalid")
            return name
        if isinstance(name, dict):
            return create(**name)
        if not isinstance(name, str):
            raise MXNetError(f"{nickname} must be of string type, got "
                             f"{type(name).__name__}")
        if name.startswith(("[", "{")):
            if args or kwargs:
                raise MXNetError(f"{nickname}: a JSON config takes no other arguments")
            config = json.loads(name)
            return create(config[0], **config[1]) if name.startswith("[") \
                else create(**config)
        klass = registry.get(name.lower())
        if klass is None:
            raise MXNetError(f"{name.lower()} is not registered. Please register with "
                             f"{nickname}.register first")
        return klass(*args, **kwargs)

    create.__doc__ = (f"Create a {nickname} instance from its registered name, a JSON "
                      f"config, or return a {base_class.__name__} instance as it is.")
    return create
