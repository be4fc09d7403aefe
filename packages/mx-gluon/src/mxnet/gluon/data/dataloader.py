"""DataLoader: batches from a Dataset, in this process or in worker processes.

Workers run in a ``concurrent.futures`` process pool (``forkserver`` where available,
so forking never copies a process with BLAS threads). A worker that dies raises a
clear MXNetError instead of hanging, and a batch slower than ``timeout`` seconds
raises one too.
"""
import concurrent.futures as futures
import multiprocessing
import pickle
# MXNet 1.9.1 compat: libraries (GluonNLP) import ForkingPickler from this module
from multiprocessing.reduction import ForkingPickler  # noqa: F401

import numpy as np

from ... import context
from ... import ndarray as nd
from ...base import MXNetError
from . import sampler as _sampler

__all__ = ["DataLoader", "default_batchify_fn", "default_mp_batchify_fn"]


def default_batchify_fn(data):
    """Stack a list of samples into a batch (recursively for tuples)."""
    if isinstance(data[0], nd.NDArray):
        return nd.stack(*data)
    if isinstance(data[0], tuple):
        return [default_batchify_fn(list(i)) for i in zip(*data)]
    data = np.asarray(data)
    return nd.array(data, dtype=data.dtype)


default_mp_batchify_fn = default_batchify_fn


def _as_in_context(data, ctx):
    if isinstance(data, nd.NDArray):
        return data.as_in_context(ctx)
    if isinstance(data, (list, tuple)):
        return [_as_in_context(d, ctx) for d in data]
    return data


_WORKER = {}


def _worker_initializer(dataset, batchify_fn):
    _WORKER["dataset"] = pickle.loads(dataset)
    _WORKER["batchify_fn"] = pickle.loads(batchify_fn)


def _worker_fn(samples):
    dataset, batchify_fn = _WORKER["dataset"], _WORKER["batchify_fn"]
    return batchify_fn([dataset[i] for i in samples])


def _thread_worker_fn(samples, batchify_fn, dataset):
    return batchify_fn([dataset[i] for i in samples])


_PRELOADED = []


def _worker_context():
    """The multiprocessing context of worker processes (forkserver where available)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    if not _PRELOADED:
        # the fork server imports mxnet once, so each worker starts without importing it
        ctx.set_forkserver_preload(["mxnet"])
        _PRELOADED.append(True)
    return ctx


class _MultiWorkerIter:
    """Iterates batches computed by a pool, keeping ``prefetch`` batches in flight."""

    def __init__(self, worker_pool, batchify_fn, batch_sampler, pin_memory=False,
                 pin_device_id=0, worker_fn=_worker_fn, prefetch=0, dataset=None,
                 data_loader=None, timeout=120):
        self._pool = worker_pool
        self._batchify_fn = batchify_fn
        self._batch_sampler = batch_sampler
        self._iter = iter(batch_sampler)
        self._worker_fn = worker_fn
        self._dataset = dataset
        self._data_loader = data_loader       # keeps the pool alive while iterating
        self._timeout = timeout
        self._ctx = context.cpu_pinned(pin_device_id) if pin_memory else context.cpu()
        self._pending = []
        for _ in range(prefetch):
            self._push_next()

    def __len__(self):
        return len(self._batch_sampler)

    def _push_next(self):
        batch = next(self._iter, None)
        if batch is None:
            return
        if self._worker_fn is _thread_worker_fn:
            fut = self._pool.submit(_thread_worker_fn, batch, self._batchify_fn,
                                    self._dataset)
        else:
            fut = self._pool.submit(self._worker_fn, batch)
        self._pending.append(fut)

    def __next__(self):
        if not self._pending:
            self._push_next()
            if not self._pending:
                raise StopIteration
        fut = self._pending.pop(0)
        self._push_next()
        try:
            batch = fut.result(timeout=self._timeout)
        except futures.TimeoutError:
            raise MXNetError(f"DataLoader: a worker took longer than timeout="
                             f"{self._timeout}s for one batch") from None
        except futures.process.BrokenProcessPool as err:
            raise MXNetError("DataLoader: a worker process died unexpectedly (killed, or "
                             "out of memory); the DataLoader cannot continue") from err
        return _as_in_context(batch, self._ctx)

    next = __next__

    def __iter__(self):
        return self


class DataLoader:
    """Loads batches from ``dataset`` (MXNet 1.9.1's arguments and defaults)."""

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None,
                 last_batch=None, batch_sampler=None, batchify_fn=None, num_workers=0,
                 pin_memory=False, pin_device_id=0, prefetch=None, thread_pool=False,
                 timeout=120, try_nopython=None):
        self._dataset = dataset
        self._pin_memory = pin_memory          # batches land on cpu_pinned(pin_device_id)
        self._pin_device_id = pin_device_id
        self._thread_pool = thread_pool
        self._timeout = timeout
        if batch_sampler is None:
            if batch_size is None:
                raise ValueError("batch_size must be specified unless batch_sampler is "
                                 "specified")
            if sampler is None:
                sampler = _sampler.RandomSampler(len(dataset)) if shuffle else \
                    _sampler.SequentialSampler(len(dataset))
            elif shuffle:
                raise ValueError("shuffle must not be specified if sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size,
                                                  last_batch if last_batch else "keep")
        elif batch_size is not None or shuffle or sampler is not None or \
                last_batch is not None:
            raise ValueError("batch_size, shuffle, sampler and last_batch must not be "
                             "specified if batch_sampler is specified.")
        self._batch_sampler = batch_sampler
        self._num_workers = max(int(num_workers), 0)
        self._prefetch = max(0, int(prefetch) if prefetch is not None
                             else 2 * self._num_workers)
        self._batchify_fn = batchify_fn or default_batchify_fn
        self._worker_pool = None
        if self._num_workers > 0:
            self._worker_pool = self._make_pool()

    def _make_pool(self):
        if self._thread_pool:
            return futures.ThreadPoolExecutor(max_workers=self._num_workers)
        ctx = _worker_context()
        try:
            init_args = (pickle.dumps(self._dataset), pickle.dumps(self._batchify_fn))
        except (pickle.PicklingError, TypeError, AttributeError):
            # MXNet 1.9.1 compat: MXNet forks its workers, so datasets that do not pickle
            # (lambdas, local classes) still load. Forking this multi-threaded process
            # can deadlock a worker, so such datasets are loaded by worker threads.
            self._thread_pool = True
            return futures.ThreadPoolExecutor(max_workers=self._num_workers)
        return futures.ProcessPoolExecutor(max_workers=self._num_workers, mp_context=ctx,
                                           initializer=_worker_initializer,
                                           initargs=init_args)

    def __iter__(self):
        if self._num_workers == 0:
            return self._same_process_iter()
        worker_fn = _thread_worker_fn if self._thread_pool else _worker_fn
        return _MultiWorkerIter(self._worker_pool, self._batchify_fn, self._batch_sampler,
                                pin_memory=self._pin_memory,
                                pin_device_id=self._pin_device_id, worker_fn=worker_fn,
                                prefetch=self._prefetch, dataset=self._dataset,
                                data_loader=self, timeout=self._timeout)

    def _same_process_iter(self):
        for batch in self._batch_sampler:
            ret = self._batchify_fn([self._dataset[idx] for idx in batch])
            if self._pin_memory:
                ret = _as_in_context(ret, context.cpu_pinned(self._pin_device_id))
            yield ret

    def __len__(self):
        return len(self._batch_sampler)

    def __del__(self):
        pool = getattr(self, "_worker_pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            self._worker_pool = None
