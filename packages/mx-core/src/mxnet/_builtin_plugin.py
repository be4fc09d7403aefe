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
