"""NDArrayIter: batches over in-memory arrays, with MXNet 1.9.1's last-batch handling."""
import numpy as np

from ..ndarray import array
from .io import DataBatch, DataDesc, DataIter
from .utils import _getdata_by_idx, _has_instance, _init_data, _slice_along_batch_axis

__all__ = ["NDArrayIter"]

_HANDLES = ("pad", "discard", "roll_over")


class NDArrayIter(DataIter):
    """Iterates over NDArrays or NumPy arrays in mini-batches.

    Parameters
    ----------
    data : array, list of arrays, or dict of str to array
        The input data. Inputs are sorted by name; list entries are named
        ``_<i>_<data_name>``.
    label : array, list of arrays, or dict of str to array, optional
        The labels, named like the data with ``label_name``.
    batch_size : int
        Batch size.
    shuffle : bool
        Whether to shuffle the samples at every reset (with ``numpy.random``).
    last_batch_handle : str
        ``'pad'`` fills the last batch from the start of the data; ``'discard'`` drops
        it; ``'roll_over'`` carries it over to the start of the next epoch.
    data_name, label_name : str
        Names of a single data / label array.
    layout : str
        Where the batch axis ``'N'`` is.

    Examples
    --------
    >>> data = np.arange(40).reshape((10, 2, 2))
    >>> it = mx.io.NDArrayIter(data, np.arange(10), batch_size=3, last_batch_handle='pad')
    >>> [batch.pad for batch in it]
    [0, 0, 0, 2]
    """

    def __init__(self, data, label=None, batch_size=1, shuffle=False,
                 last_batch_handle="pad", data_name="data", label_name="softmax_label",
                 layout="NCHW"):
        super().__init__(batch_size)
        if last_batch_handle not in _HANDLES:
            raise ValueError(f"NDArrayIter: last_batch_handle must be one of {_HANDLES}, "
                             f"got {last_batch_handle!r}")
        if int(batch_size) <= 0:
            raise ValueError(f"NDArrayIter: batch_size must be positive, got {batch_size}")
        self.data = _init_data(data, allow_empty=False, default_name=data_name)
        self.label = _init_data(label, allow_empty=True, default_name=label_name)
        csr = _has_instance(self.data, _csr_type()) or _has_instance(self.label, _csr_type())
        if csr and last_batch_handle != "discard":
            raise NotImplementedError("`NDArrayIter` only supports ``CSRNDArray`` with "
                                      "`last_batch_handle` set to `discard`.")
        self.layout = layout
        self.idx = np.arange(self.data[0][1].shape[0])
        # MXNet 1.9.1 compat: a source longer than the data is allowed (batches
        # slice it by the data's indices); a shorter one could never be batched
        for name, arr in self.data + self.label:
            if arr.shape[0] < self.idx.shape[0]:
                raise ValueError(f"NDArrayIter: {name!r} has {arr.shape[0]} samples, "
                                 f"{self.data[0][0]!r} has {self.idx.shape[0]}")
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.batch_size = batch_size
        self.cursor = -self.batch_size
        self.num_data = self.idx.shape[0]
        self._cache_data = None
        self._cache_label = None
        self.reset()
        self.data_list = [x[1] for x in self.data] + [x[1] for x in self.label]
        self.num_source = len(self.data_list)

    @property
    def _batch_axis(self):
        return self.layout.find("N")

    def _descs(self, source):
        axis = self._batch_axis
        return [DataDesc(k, tuple(v.shape[:axis]) + (self.batch_size,) + tuple(v.shape[axis + 1:]),
                         v.dtype, layout=self.layout) for k, v in source]

    @property
    def provide_data(self):
        """DataDescs of the data inputs (shape with the batch size)."""
        return self._descs(self.data)

    @property
    def provide_label(self):
        """DataDescs of the labels."""
        return self._descs(self.label)

    def hard_reset(self):
        """Back to the very start, dropping any rolled-over samples."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self):
        """Back to the start; with ``'roll_over'`` the leftover samples open the next epoch."""
        if self.shuffle:
            self._shuffle_data()
        # MXNet 1.9.1 compat: the cursor goes negative by the number of samples left over,
        # so the first batch of the next epoch is (cached leftovers + first samples).
        if (self.last_batch_handle == "roll_over"
                and self.num_data - self.batch_size < self.cursor < self.num_data):
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self):
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self):
        if not self.iter_next():
            raise StopIteration
        data = self.getdata()
        label = self.getlabel()
        # An incomplete batch ends the epoch; 'roll_over' serves it with the next one.
        if data[0].shape[self._batch_axis] != self.batch_size:
            self._cache_data = data
            self._cache_label = label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _getdata(self, data_source, start=None, end=None):
        start = 0 if start is None else start
        if end is None:
            end = data_source[0][1].shape[0] if data_source else 0
        s = slice(start, end)
        return [_slice_along_batch_axis(x[1], s, self._batch_axis) for x in data_source]

    def _concat(self, first_data, second_data):
        if not first_data or not second_data:
            return first_data if first_data else second_data
        if len(first_data) != len(second_data):
            raise ValueError("data source should contain the same size")
        axis = self._batch_axis
        return [_np_to_nd(np.concatenate([a.asnumpy(), b.asnumpy()], axis=axis), a)
                for a, b in zip(first_data, second_data)]

    def _tile(self, data, repeats):
        # MXNet 1.9.1 compat: tiles along axis 0 whatever the layout.
        return [_np_to_nd(np.tile(d.asnumpy(), [repeats] + [1] * (d.ndim - 1)), d)
                for d in data]

    def _batchify(self, data_source):
        if self.cursor >= self.num_data:
            raise ValueError("DataIter needs reset.")
        if self.last_batch_handle == "roll_over" and -self.batch_size < self.cursor < 0:
            if self._cache_data is None and self._cache_label is None:
                raise ValueError("next epoch should have cached data")
            # getdata takes the cached data first, then getlabel the cached label.
            if self._cache_data is not None:
                cache, self._cache_data = self._cache_data, None
            else:
                cache, self._cache_label = self._cache_label, None
            second = self._getdata(data_source, end=self.cursor + self.batch_size)
            return self._concat(cache, second)
        if self.last_batch_handle == "pad" and self.cursor + self.batch_size > self.num_data:
            pad = self.batch_size - self.num_data + self.cursor
            first = self._getdata(data_source, start=self.cursor)
            if pad > self.num_data:
                second = self._tile(self._getdata(data_source, end=self.num_data),
                                    pad // self.num_data)
                if pad % self.num_data:
                    second = self._concat(
                        second, self._getdata(data_source, end=pad % self.num_data))
            else:
                second = self._getdata(data_source, end=pad)
            return self._concat(first, second)
        end = min(self.cursor + self.batch_size, self.num_data)
        return self._getdata(data_source, self.cursor, end)

    def getdata(self):
        return self._batchify(self.data)

    def getlabel(self):
        return self._batchify(self.label)

    def getpad(self):
        if self.last_batch_handle == "pad" and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == "roll_over" and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self):
        np.random.shuffle(self.idx)
        self.data = _getdata_by_idx(self.data, self.idx)
        self.label = _getdata_by_idx(self.label, self.idx)


def _np_to_nd(values, like):
    return array(values, like.context, dtype=like.dtype)


def _csr_type():
    from ..ndarray.sparse import CSRNDArray
    return CSRNDArray
