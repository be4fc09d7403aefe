"""mx-core's own registrations, made through the same hooks a third party uses."""
from .plugins._manager import hookimpl


@hookimpl
def mxnet_register_ops(registry):
    from ._ops import defs
    for op in defs.load_all():
        registry.add(op)


@hookimpl
def mxnet_register_backends(registry):
    from ._backends.cpu import CPUBackend
    registry.add(CPUBackend())


@hookimpl
def mxnet_register_optimizers(registry):
    # Every class given to mx.optimizer.register (mx-core's own at import, users' since).
    from .optimizer import optimizer
    from .optimizer import contrib  # noqa: F401  (registers GroupAdaGrad)
    for name, klass in optimizer._REGISTERED.items():
        registry.add(name, klass)


@hookimpl
def mxnet_register_initializers(registry):
    # Every class given to mx.init.register/alias (mx-core's own at import, users' since).
    from . import initializer
    for name, klass in initializer._REGISTERED.items():
        registry.add(name, klass)
