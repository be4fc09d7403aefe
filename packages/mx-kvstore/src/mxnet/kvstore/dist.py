"""``dist_sync`` / ``dist_device_sync`` / ``dist_async`` over MPI (mpi4py).

There are no parameter servers: every worker keeps the whole store. ``init`` takes rank
0's value; a synchronous ``push`` all-reduces the per-worker sums, then every worker
applies the same update, which is what a server applying it once and every worker
pulling it would give (``dist_sync`` with batch ``b`` on ``n`` workers trains like
``local`` with batch ``n * b``). ``dist_async`` gathers the workers' sums and applies
them one after the other in rank order, one of the orders an asynchronous server could
have taken.
"""
from mxnet import ndarray as nd
from mxnet.base import MXNetError

from .kvstore import KVStore

__all__ = ["DistKVStore"]


def _comm():
    try:
        from mpi4py import MPI
    except ImportError as err:
        raise MXNetError("the dist kvstore types talk over MPI: pip install "
                         "'mx-kvstore[mpi]' (mpi4py and MPICH), then start the workers "
                         "with `python -m mxnet.kvstore.launch -n N python train.py`"
                         ) from err
    return MPI.COMM_WORLD


class DistKVStore(KVStore):
    """The store of one of ``num_workers`` MPI processes."""

    def __init__(self, name="dist_sync"):
        super().__init__(name)
        self._comm = _comm()
        self._async = "async" in name

    @property
    def rank(self):
        return self._comm.Get_rank()

    @property
    def num_workers(self):
        return self._comm.Get_size()

    def _initial(self, key, value):
        host = self._comm.bcast(value.asnumpy() if self.rank == 0 else None, root=0)
        if host.shape != value.shape:
            raise MXNetError(f"KVStore.init: key {key!r} has shape {value.shape} on "
                             f"rank {self.rank} but {host.shape} on rank 0")
        return nd.array(host, ctx=value.context, dtype=host.dtype)

    def _reduce(self, key, total):
        if self._async:
            return total
        host = total.asnumpy()
        self._comm.Allreduce(self._in_place(), host)
        return nd.array(host, ctx=total.context, dtype=host.dtype)

    def _apply(self, key, total, stored):
        if not self._async:
            return super()._apply(key, total, stored)
        for host in self._comm.allgather(total.asnumpy()):
            super()._apply(key, nd.array(host, ctx=total.context, dtype=host.dtype),
                           stored)

    @staticmethod
    def _in_place():
        from mpi4py import MPI
        return MPI.IN_PLACE

    def _barrier(self):
        self._comm.Barrier()
