"""Hook implementations; the entry point ``cuda`` in group ``mxnet`` names this module.

Both hooks run once, lazily: the backend when mxnet first looks a device up, the kernels
when it first builds its operator registry. Neither imports CuPy.
"""
from mxnet.plugins import hookimpl

from .backend import CudaBackend

_BACKEND = []


def get_backend():
    """The one backend object (its generators and device views outlive registries)."""
    if not _BACKEND:
        _BACKEND.append(CudaBackend())
    return _BACKEND[0]


@hookimpl
def mxnet_register_backends(registry):
    registry.add(get_backend())


@hookimpl(trylast=True)       # after mx-core's own operators exist
def mxnet_register_ops(registry):
    from .kernels import KERNELS
    for op_name, fn in KERNELS.items():
        if op_name in registry:         # an older mx-core may lack an operator
            registry.add_kernel(op_name, "gpu", fn)
