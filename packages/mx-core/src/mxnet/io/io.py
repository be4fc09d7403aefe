"""Data iterators: DataDesc, DataBatch, DataIter, NDArrayIter, ResizeIter, PrefetchingIter."""
import threading
from collections import namedtuple

import numpy as np

from ..base import mx_real_t

__all__ = ["DataDesc", "DataBatch", "DataIter", "MXDataIter", "ResizeIter", "PrefetchingIter",
           "NDArrayIter"]


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """Name, shape, dtype and layout of one input or label of a model.

    A ``(name, shape)`` namedtuple, so it still compares and unpacks as a pair.

    Examples
    --------
    >>> mx.io.DataDesc('data', (128, 100), layout='NT')
    DataDesc[data,(128, 100),<class 'numpy.float32'>,NT]
    """

    def __new__(cls, name, shape, dtype=mx_real_t, layout="NCHW"):
        ret = super().__new__(cls, name, shape)
        ret.dtype = dtype
        ret.layout = layout
        return ret

    def __repr__(self):
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    @staticmethod
    def get_batch_axis(layout):
        """The position of ``'N'`` in ``layout`` (0 when layout is None, -1 if absent)."""
        if layout is None:
            return 0
        return layout.find("N")

    @staticmethod
    def get_list(shapes, types):
        """DataDescs from ``[(name, shape)]`` and optional ``[(name, dtype)]``."""
        if types is not None:
            type_dict = dict(types)
            return [DataDesc(x[0], x[1], type_dict[x[0]]) for x in shapes]
        return [DataDesc(x[0], x[1]) for x in shapes]


class DataBatch:
    """One batch: lists of data and label NDArrays, the padding count and sample indices."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise TypeError("Data must be list of NDArrays")
        if label is not None and not isinstance(label, (list, tuple)):
            raise TypeError("Label must be list of NDArrays")
        self.data = data
        self.label = label
        self.pad = pad
        self.index = index
        self.bucket_key = bucket_key
        self.provide_data = provide_data
        self.provide_label = provide_label

    def __str__(self):
        data_shapes = [d.shape for d in self.data]
        label_shapes = [lab.shape for lab in self.label] if self.label else None
        return (f"{self.__class__.__name__}: data shapes: {data_shapes} "
                f"label shapes: {label_shapes}")


class DataIter:
    """Base class of the data iterators: ``next()`` returns DataBatches until StopIteration.

    Subclasses implement `iter_next`, `getdata`, `getlabel`, `getpad` (and `getindex`),
    or override `next` directly.
    """

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self):
        """Goes back to the start of the data."""

    def next(self):
        """The next DataBatch; raises StopIteration at the end."""
        if self.iter_next():
            return DataBatch(data=self.getdata(), label=self.getlabel(),
                             pad=self.getpad(), index=self.getindex())
        raise StopIteration

    def __next__(self):
        return self.next()

    def iter_next(self):
        """Moves to the next batch; returns whether there is one."""

    def getdata(self):
        """The data of the current batch (a list of NDArrays)."""

    def getlabel(self):
        """The label of the current batch (a list of NDArrays)."""

    def getindex(self):
        """The sample indices of the current batch, or None."""
        return None

    def getpad(self):
        """How many samples at the end of the current batch are padding."""


class CurrentBatchIter(DataIter):
    """A DataIter whose ``iter_next`` stores the batch it made in ``current_batch``;
    ``next`` and the getters read it."""

    current_batch = None

    def next(self):
        if self.iter_next():
            return self.current_batch
        raise StopIteration

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class MXDataIter(CurrentBatchIter):
    """The interface of MXNet's C++ iterators (CSVIter, LibSVMIter, MNISTIter,
    ImageRecordIter): ``getdata``/``getlabel`` return the batch's single array, not a
    list, and ``getindex`` a uint64 NumPy array."""

    def getdata(self):
        return self.current_batch.data[0]

    def getlabel(self):
        label = self.current_batch.label
        return label[0] if label else None

    def getindex(self):
        index = self.current_batch.index
        return None if index is None else np.asarray(index, dtype=np.uint64)


class ResizeIter(DataIter):
    """Makes an iterator yield exactly ``size`` batches per epoch, restarting it as needed.

    Parameters
    ----------
    data_iter : DataIter
        The iterator to resize.
    size : int
        Batches per epoch.
    reset_internal : bool
        Whether `reset` also resets ``data_iter``.
    """

    def __init__(self, data_iter, size, reset_internal=True):
        super().__init__()
        self.data_iter = data_iter
        self.size = size
        self.reset_internal = reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        self.batch_size = data_iter.batch_size
        if hasattr(data_iter, "default_bucket_key"):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self):
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self):
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class _Prefetcher:
    """The state shared with the prefetching threads (not the iterator itself, so an
    unused PrefetchingIter is collected and its threads stopped)."""

    def __init__(self, iters):
        n = len(iters)
        self.iters = iters
        self.data_ready = [threading.Event() for _ in range(n)]
        self.data_taken = [threading.Event() for _ in range(n)]
        for event in self.data_taken:
            event.set()
        self.started = True
        self._lock = threading.Lock()
        self.next_batch = [None] * n
        self.errors = [None] * n
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True)
                        for i in range(n)]
        for thread in self.threads:
            thread.start()

    def run(self, i):
        while True:
            self.data_taken[i].wait()
            if not self.started:
                break
            try:
                self.next_batch[i] = self.iters[i].next()
            except StopIteration:
                self.next_batch[i] = None
            except Exception as err:     # re-raised in the consumer thread
                self.next_batch[i] = None
                self.errors[i] = err
            # Under the lock, so that a stop() between the fetch and this clear is not lost
            # (MXNet's version can hang there).
            with self._lock:
                if self.started:
                    self.data_taken[i].clear()
            self.data_ready[i].set()

    def stop(self):
        with self._lock:
            if not self.started:
                return
            self.started = False
            for event in self.data_taken:
                event.set()
        for thread in self.threads:
            thread.join()


class PrefetchingIter(CurrentBatchIter):
    """Fetches the next batch of one or more iterators in background threads.

    The batches of several iterators are joined (their data and labels concatenated
    as lists). ``rename_data`` / ``rename_label`` are one ``{old: new}`` dict per iterator.
    """

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        if not isinstance(iters, list):
            iters = [iters]
        if not iters:
            raise ValueError("PrefetchingIter needs at least one iterator")
        self.n_iter = len(iters)
        self.iters = iters
        self.rename_data = rename_data
        self.rename_label = rename_label
        self.batch_size = self.provide_data[0][1][0]
        self.current_batch = None
        self._state = _Prefetcher(iters)
        # MXNet's attribute names, for code that inspects them
        self.data_ready, self.data_taken = self._state.data_ready, self._state.data_taken
        self.next_batch = self._state.next_batch
        self.prefetch_threads = self._state.threads

    def close(self):
        """Stops the prefetching threads."""
        state = getattr(self, "_state", None)
        if state is not None:
            state.stop()

    def __del__(self):
        self.close()

    def _renamed(self, attr, renames):
        if renames is None:
            return sum([getattr(i, attr) for i in self.iters], [])
        return sum([[DataDesc(r[x.name], x.shape, x.dtype)
                     if isinstance(x, DataDesc) else DataDesc(*x)
                     for x in getattr(i, attr)]
                    for r, i in zip(renames, self.iters)], [])

    @property
    def provide_data(self):
        return self._renamed("provide_data", self.rename_data)

    @property
    def provide_label(self):
        return self._renamed("provide_label", self.rename_label)

    def _raise_pending(self):
        errors = self._state.errors
        for i, err in enumerate(errors):
            if err is not None:
                errors[i] = None
                raise err

    def reset(self):
        for event in self.data_ready:
            event.wait()
        for it in self.iters:
            it.reset()
        for event in self.data_ready:
            event.clear()
        for event in self.data_taken:
            event.set()

    def iter_next(self):
        for event in self.data_ready:
            event.wait()
        self._raise_pending()
        if self.next_batch[0] is None:
            if any(b is not None for b in self.next_batch):
                raise ValueError("Number of entry mismatches between iterators")
            return False
        if any(b is None or b.pad != self.next_batch[0].pad for b in self.next_batch):
            raise ValueError("Number of entry mismatches between iterators")
        self.current_batch = DataBatch(
            sum([b.data for b in self.next_batch], []),
            sum([b.label for b in self.next_batch], []),
            self.next_batch[0].pad, self.next_batch[0].index,
            provide_data=self.provide_data, provide_label=self.provide_label)
        for event in self.data_ready:
            event.clear()
        for event in self.data_taken:
            event.set()
        return True



from ._ndarray_iter import NDArrayIter  # noqa: E402  (it subclasses DataIter)
