"""``KVStoreBase`` (the interface every store implements) and ``create``.

``create(name)`` looks the name up first among classes registered with
``KVStoreBase.register`` (MXNet 1.9.1's way for Python stores), then in mx-core's
``kvstores`` registry, which the ``mxnet_register_kvstores`` hook fills: this package
adds ``local``, ``device`` and the ``dist_*`` types there like any third party would.
"""
import warnings

from mxnet.base import MXNetError
from mxnet.plugins import get_registry

__all__ = ["KVStoreBase", "create"]


class KVStoreBase:
    """An abstract key-value store for data-parallel training."""

    OPTIMIZER = "optimizer"
    kv_registry = {}

    def broadcast(self, key, value, out, priority=0):
        """Broadcast ``value`` of rank 0 to every rank, storing it in ``out``."""
        raise NotImplementedError()

    def pushpull(self, key, value, out=None, priority=0):
        """Push ``value`` for summation and pull the result into ``out`` (or ``value``)."""
        raise NotImplementedError()

    def set_optimizer(self, optimizer):
        """Register ``optimizer``: pushes then update the stored weights with it."""
        raise NotImplementedError()

    def is_capable(self, capability):
        """Whether the store supports ``capability`` (``KVStoreBase.OPTIMIZER``)."""
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        raise NotImplementedError()

    @property
    def type(self):
        raise NotImplementedError()

    @property
    def rank(self):
        raise NotImplementedError()

    @property
    def num_workers(self):
        raise NotImplementedError()

    @staticmethod
    def register(klass):
        """Register a store class under its lower-case class name (``mx.kv.create``).

        Examples
        --------
        >>> @mx.kvstore.KVStoreBase.register
        ... class MyKVStore(mx.kvstore.KVStoreBase):
        ...     pass
        >>> type(mx.kv.create('MyKVStore')).__name__
        'MyKVStore'
        """
        if not isinstance(klass, type):
            raise TypeError(f"KVStoreBase.register takes a class, got {klass!r}")
        name = klass.__name__.lower()
        old = KVStoreBase.kv_registry.get(name)
        if old is not None and old is not klass:
            warnings.warn(f"WARNING: New kvstore {klass.__module__}.{klass.__name__} is "
                          f"overriding existing kvstore {old.__module__}.{old.__name__}",
                          stacklevel=2)
        KVStoreBase.kv_registry[name] = klass
        return klass


def create(name="local"):
    """Create a key-value store.

    Parameters
    ----------
    name : str
        ``local`` (aggregate and update on the CPU), ``device`` (aggregate on the
        first value's device), ``dist_sync`` / ``dist_device_sync`` (synchronous
        all-reduce across the MPI processes: like ``local`` with the batch of every
        worker concatenated), ``dist_async`` (each worker's push updates the weights on
        its own, applied in rank order), or the name of a registered store.
    """
    if not isinstance(name, str):
        raise TypeError("name must be a string")
    name = name.lower()
    klass = KVStoreBase.kv_registry.get(name)
    if klass is not None:
        return klass()
    registry = get_registry("kvstores")
    factory = registry.get(name)
    if factory is None:
        known = sorted(set(KVStoreBase.kv_registry) | {k for k, _ in registry.items()})
        raise MXNetError(f"Unknown KVStore type {name!r}; known types: "
                         f"{', '.join(known)}")
    return factory(name)
