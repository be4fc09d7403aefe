"""CSVIter: batches read from CSV files, with the batch loader of MXNet 1.9.1's C++ iterator."""
import os

import numpy as np

from ..base import MXNetError
from ..ndarray import array
from ._loader import _BatchLoader
from .io import DataBatch, DataDesc, MXDataIter

__all__ = ["CSVIter"]

_DTYPES = (None, "float32", "float64", "float16", "int32", "int64", "int8", "uint8")


def _parse_shape(shape):
    if isinstance(shape, str):
        shape = shape.strip("()[] ").replace(" ", "")
        shape = [int(s) for s in shape.split(",") if s]
    if isinstance(shape, int):
        shape = [shape]
    return tuple(int(s) for s in shape)


def _csv_files(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path)
                      if os.path.isfile(os.path.join(path, f)))
    return [path]


def _load_csv(path, shape, what):
    size = int(np.prod(shape))
    rows = []
    for name in _csv_files(path):
        try:
            values = np.loadtxt(name, delimiter=",", dtype=np.float64, ndmin=2)
        except OSError as err:
            raise MXNetError(f"CSVIter: cannot read {what} {name!r}: {err}") from err
        except ValueError as err:
            raise MXNetError(f"CSVIter: {what} {name!r} is not a CSV of numbers: {err}") from err
        if values.size and values.shape[1] != size:
            raise MXNetError(f"CSVIter: {what} {name!r} has {values.shape[1]} values per row, "
                             f"but the shape {shape} needs {size}")
        rows.append(values.reshape((-1,) + shape))
    return np.concatenate(rows) if rows else np.zeros((0,) + shape)


class CSVIter(MXDataIter):
    """Iterates over a CSV file (or a folder of them) in batches.

    Each row is one example, reshaped to ``data_shape``. Without ``label_csv`` all
    labels are 0. With ``round_batch`` (the default) an incomplete last batch is
    filled from the start of the data (``pad`` says how many), and the next epoch goes
    on after those samples; without it the rest of the last batch is left over from
    the batch before.

    Parameters
    ----------
    data_csv : str
        The input CSV file or a directory path.
    data_shape : tuple
        The shape of one example.
    label_csv : str, optional
        The label CSV file or a directory path.
    label_shape : tuple
        The shape of one label (``(1,)`` gives labels of shape ``(batch_size,)``).
    batch_size : int
        Batch size.
    round_batch : bool
        Whether to use round robin to handle overflow batch.
    dtype : str, optional
        Output data type (float32 by default).
    prefetch_buffer, ctx
        Accepted for compatibility; loading is synchronous.
    """

    def __init__(self, data_csv, data_shape, batch_size, label_csv=None, label_shape=(1,),
                 round_batch=True, prefetch_buffer=4, ctx="gpu", dtype=None,
                 data_name="data", label_name="softmax_label", **kwargs):
        super().__init__(int(batch_size))
        if kwargs:
            raise MXNetError(f"CSVIter: unknown arguments {sorted(kwargs)}")
        if dtype not in _DTYPES:
            raise MXNetError(f"CSVIter: dtype must be one of {_DTYPES[1:]}, got {dtype!r}")
        if self.batch_size <= 0:
            raise MXNetError(f"CSVIter: batch_size must be positive, got {batch_size}")
        self.dtype = np.dtype(dtype or "float32")
        self.round_batch = str(round_batch).lower() not in ("false", "0")
        data_shape, label_shape = _parse_shape(data_shape), _parse_shape(label_shape)
        self._data = _load_csv(data_csv, data_shape, "data_csv").astype(self.dtype)
        if label_csv in (None, "NULL"):
            self._label = np.zeros((len(self._data),) + label_shape, self.dtype)
        else:
            self._label = _load_csv(label_csv, label_shape, "label_csv").astype(self.dtype)
            if len(self._label) != len(self._data):
                raise MXNetError(f"CSVIter: {len(self._data)} data rows but "
                                 f"{len(self._label)} label rows")
        if len(self._data) == 0:
            raise MXNetError(f"CSVIter: {data_csv!r} holds no rows")
        # MXNet 1.9.1 compat: a (1,) label shape gives batch labels of shape (batch_size,).
        self._label_batch_shape = () if label_shape == (1,) else label_shape
        self._buf = None
        self._pos = 0
        self._loader = _BatchLoader(self.batch_size, self.round_batch)
        self.current_batch = None
        self.provide_data = [DataDesc(data_name, (self.batch_size,) + data_shape, self.dtype.type)]
        self.provide_label = [DataDesc(label_name, (self.batch_size,) + self._label_batch_shape,
                                       self.dtype.type)]

    # the sequential source of the batch loader: row indices
    def next_sample(self):
        if self._pos >= len(self._data):
            return None
        self._pos += 1
        return self._pos - 1

    def rewind(self):
        self._pos = 0

    def reset(self):
        self._loader.reset(self)

    def iter_next(self):
        batch = self._loader.next_batch(self)
        if batch is None:
            return False
        rows, pad = batch
        bs = self.batch_size
        if self._buf is None:
            self._buf = (np.zeros((bs,) + self._data.shape[1:], self.dtype),
                         np.zeros((bs,) + self._label_batch_shape, self.dtype),
                         np.zeros(bs, np.uint64))
        data, label, index = self._buf
        # MXNet 1.9.1 compat: without round_batch the rows after a short last batch keep
        # the previous batch's values.
        n = len(rows)
        data[:n] = self._data[rows]
        label[:n] = self._label[rows].reshape((n,) + self._label_batch_shape)
        index[:n] = rows
        self.current_batch = DataBatch([array(data, dtype=self.dtype)],
                                  [array(label, dtype=self.dtype)], pad=pad,
                                  index=index.copy())
        return True
