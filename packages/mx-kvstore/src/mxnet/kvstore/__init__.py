"""``mx.kv`` / ``mx.kvstore``: key-value stores for data-parallel training.

Single process: ``local`` and ``device`` sum the values pushed from several devices and
apply the optimizer (``set_optimizer``) or store the sum. Several processes: the
``dist_*`` types all-reduce over MPI (``pip install mx-kvstore[mpi]``; start with
``mpiexec -n N python train.py`` or ``python -m mxnet.kvstore.launch -n N train.py``).
"""
import importlib

__all__ = ["KVStoreBase", "KVStore", "create"]

# Resolved on first use: the plugin entry point (``_plugin``) is imported while mx-core
# itself is still importing, before the modules these names need exist.
_LAZY = {"KVStoreBase": "base", "create": "base", "KVStore": "kvstore"}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mxnet.kvstore' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
