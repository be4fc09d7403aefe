"""Worker processes for the data iterators: jobs run in order, round-robin, in processes
started lazily with the ``spawn`` method.

``spawn``, not ``fork``: forking a process whose BLAS or OpenCV threads may hold locks can
deadlock (Python 3.12 warns about it), and a spawned child that re-imports an unguarded
main script fails with multiprocessing's own error instead of forking forever.

The big result of a job (a batch of images) comes back through one of ``slots`` shared
memory blocks, the rest through the pipe: copying megabytes through a pipe takes dozens
of round trips between the two processes, each waiting for the scheduler on a busy machine.

Each worker has its own pipe, of which it holds the only write end: when a worker dies
(killed, out of memory, a crash in a C library), even half-way through sending a result,
reading from its pipe ends at once and every pending job fails with `MXNetError`. (A
`ProcessPoolExecutor` shares one result pipe among its workers, and can wait forever on a
result cut short by a dead worker.) Job ``k`` goes to worker ``k % num_workers``, so the
results come back in submission order.
"""
import collections
import multiprocessing
import traceback
from multiprocessing import shared_memory

import numpy as np

from ..base import MXNetError

__all__ = []


def _worker_main(conn, work, dtype):
    # OpenCV's own thread pool would only fight the other workers for the same cores.
    try:
        import cv2
        cv2.setNumThreads(1)
    except ImportError:
        pass
    blocks = {}
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        name, shape, args = job
        if name not in blocks:
            blocks[name] = shared_memory.SharedMemory(name)
        try:
            reply = ("ok", work(*args, out=np.ndarray(shape, dtype, blocks[name].buf)))
        except Exception as err:       # the job's error goes back to the iterator
            reply = ("error", err, traceback.format_exc())
        try:
            conn.send(reply)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception:               # an error that does not pickle: send its text
            conn.send(("error", None, traceback.format_exc()))


class OrderedWorkerPool:
    """Runs ``work(*args, out=array)`` (a picklable callable that fills ``out``, an array
    of at most ``out_shape`` and ``dtype``) in ``num_workers`` processes, at most ``slots``
    jobs at a time.

    `submit` queues a job, `get` hands the oldest job's ``out`` and return value to a
    function, `clear` drops the queued jobs, `close` stops the processes (they start
    again on the next submit).
    """

    def __init__(self, work, num_workers, name, out_shape, dtype, slots):
        self._work, self.num_workers, self._name = work, int(num_workers), name
        self._shape, self._dtype, self.slots = tuple(out_shape), np.dtype(dtype), int(slots)
        self._workers = []          # (process, connection)
        self._blocks = []
        self._free = []
        self._jobs = collections.deque()    # (worker index, block, shape) of pending jobs
        self._next = 0

    def __len__(self):
        return len(self._jobs)

    def _start(self):
        ctx = multiprocessing.get_context("spawn")
        nbytes = max(1, int(np.prod(self._shape)) * self._dtype.itemsize)
        self._blocks = [shared_memory.SharedMemory(create=True, size=nbytes)
                        for _ in range(self.slots)]
        self._free = list(range(self.slots))
        for i in range(self.num_workers):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(theirs, self._work, self._dtype),
                               daemon=True,
                               name=f"{self._name}-worker-{i}")
            proc.start()
            theirs.close()          # the worker now holds the only copy of its end
            self._workers.append((proc, mine))

    def submit(self, *args, rows):
        """Queues ``work(*args, out=...)`` with ``out`` of ``rows`` rows."""
        if not self._workers:
            self._start()
        index, block = self._next, self._free.pop()
        shape = (rows,) + self._shape[1:]
        self._jobs.append((index, block, shape))
        self._next = (index + 1) % self.num_workers
        try:
            self._workers[index][1].send((self._blocks[block].name, shape, args))
        except OSError as err:
            self._died(index, err)

    def get(self, use):
        """``use(out, returned)`` of the oldest job; ``out`` is valid only during the call."""
        index, block, shape = self._jobs.popleft()
        try:
            reply = self._workers[index][1].recv()
        except (EOFError, OSError) as err:
            self._died(index, err)
        try:
            if reply[0] == "error":
                raise (reply[1] or MXNetError(f"{self._name}: a worker failed")) from \
                    _RemoteError(reply[2])
            return use(np.ndarray(shape, self._dtype, self._blocks[block].buf), reply[1])
        finally:
            self._free.append(block)

    def clear(self):
        """Drops the pending jobs (their results are read and thrown away)."""
        while self._jobs:
            try:
                self.get(lambda out, returned: None)
            except Exception:           # a failed or dead worker: start afresh
                self.close()

    def close(self):
        workers, self._workers = self._workers, []
        blocks, self._blocks = self._blocks, []
        self._jobs.clear()
        self._next = 0
        for _, conn in workers:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()            # a worker blocked sending a result gets EPIPE
        for proc, _ in workers:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for block in blocks:
            block.close()
            block.unlink()

    def _died(self, index, err):
        proc = self._workers[index][0]
        proc.join(1)
        self.close()
        raise MXNetError(f"{self._name}: worker process {index} died (exit code "
                         f"{proc.exitcode}: {err!r}); reset() the iterator to start again. "
                         "Workers are spawned: a script must guard its top level with "
                         "`if __name__ == '__main__':`") from err


class _RemoteError(Exception):
    """The traceback of an error raised in a worker process."""
