"""Worker processes for the data iterators: an ordered, bounded queue of jobs over a
lazily started `ProcessPoolExecutor`.

Workers start with the ``spawn`` method: ``fork`` copies a process whose BLAS or OpenCV
threads may hold locks (Python 3.12 warns about it), and a spawned child that re-imports an
unguarded main script fails with multiprocessing's own error instead of forking forever.
A worker that dies (killed, out of memory, a crash in a C library) makes every pending job
fail with `MXNetError`; results come back in submission order.
"""
import collections
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..base import MXNetError

__all__ = []

_STATE = {}


def _init_worker(work):
    # One job-runner per worker process; OpenCV's own thread pool would only fight the
    # other workers for the same cores.
    try:
        import cv2
        cv2.setNumThreads(1)
    except ImportError:
        pass
    _STATE["work"] = work


def _run(*args):
    return _STATE["work"](*args)


class OrderedWorkerPool:
    """Runs ``work(*args)`` (a picklable callable) in ``num_workers`` processes.

    `submit` queues a job, `get` returns the oldest job's result, `clear` drops the
    queued ones, `close` stops the processes (the pool starts again on the next submit).
    """

    def __init__(self, work, num_workers, name):
        self._work, self.num_workers, self._name = work, int(num_workers), name
        self._executor = None
        self._jobs = collections.deque()

    def __len__(self):
        return len(self._jobs)

    def submit(self, *args):
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.num_workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self._work,))
        try:
            self._jobs.append(self._executor.submit(_run, *args))
        except BrokenProcessPool as err:
            self._broken(err)

    def get(self):
        try:
            return self._jobs.popleft().result()
        except BrokenProcessPool as err:
            self._broken(err)

    def clear(self):
        for job in self._jobs:
            job.cancel()
        self._jobs.clear()

    def close(self):
        self._jobs.clear()
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _broken(self, err):
        self.close()
        raise MXNetError(f"{self._name}: a worker process died ({err}); reset() "
                         "the iterator to start again. Workers are spawned: a script must "
                         "guard its top level with `if __name__ == '__main__':`") from err
