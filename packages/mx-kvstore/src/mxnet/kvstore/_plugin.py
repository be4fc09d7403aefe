"""The entry point: this package's kvstore types, added through mx-core's hook."""
from mxnet.plugins import hookimpl

LOCAL = ("local", "local_update_cpu", "local_allreduce_cpu")
DEVICE = ("device", "local_allreduce_device", "nccl")
DIST = ("dist_sync", "dist_device_sync", "dist_sync_device", "dist_async",
        "dist_device_async", "dist")


def _local(name):
    from .kvstore import KVStore
    return KVStore(name)


def _dist(name):
    from .dist import DistKVStore
    return DistKVStore(name)


@hookimpl
def mxnet_register_kvstores(registry):
    for name in LOCAL + DEVICE:
        registry.add(name, _local)
    for name in DIST:
        registry.add(name, _dist)
