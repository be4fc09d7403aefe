"""``mx.kv`` / ``mx.kvstore``: key-value stores for data-parallel training.

Single process: ``local`` and ``device`` sum the values pushed from several devices and
apply the optimizer (``set_optimizer``) or store the sum. Several processes: the
``dist_*`` types all-reduce over MPI (``pip install mx-kvstore[mpi]``; start with
``mpiexec -n N python train.py`` or ``python -m mxnet.kvstore.launch -n N train.py``).
"""
from mxnet.plugins import lazy_exports

__all__ = ["KVStoreBase", "KVStore", "create"]

# Resolved on first use: the plugin entry point (``_plugin``) is imported while mx-core
# itself is still importing, before the modules these names need exist.
__getattr__, __dir__ = lazy_exports(__name__, {"KVStoreBase": "base", "create": "base",
                                               "KVStore": "kvstore"})
