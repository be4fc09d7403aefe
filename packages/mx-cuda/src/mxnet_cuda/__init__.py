"""mx-cuda: the ``gpu`` backend of the pure-Python MXNet stack, over CuPy.

Installed, it is found through the ``mxnet`` entry-point group; nothing needs importing:
``mx.gpu(0)``, ``mx.num_gpus()``, ``mx.context.gpu_memory_info(0)`` just work. This
module offers what a program may want to ask directly.
"""
# mxnet first: its start-up loads this plugin and its kernels, which must not meet a
# half-imported kernel module (``import mxnet_cuda.kernels.conv`` as a first import)
import mxnet  # noqa: E402,F401

__version__ = "0.1.0"

__all__ = ["get_backend", "is_available", "__version__"]


def get_backend():
    """The process's :class:`~mxnet_cuda.backend.CudaBackend` (one per process)."""
    from . import plugin
    return plugin.get_backend()


def is_available():
    """True when CuPy imports and at least one GPU is visible."""
    return get_backend().device_count() > 0
