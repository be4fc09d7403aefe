"""MNISTIter: batches of the MNIST idx files, as MXNet 1.9.1's C++ iterator."""
import os
import struct

import numpy as np

from ..base import MXNetError
from ..ndarray import array
from .io import DataBatch, DataDesc, MXDataIter

__all__ = ["MNISTIter"]


def _mt19937(seed):
    """32-bit outputs of std::mt19937(seed) (NumPy's legacy seeding is the same)."""
    state = np.random.RandomState(seed & 0xFFFFFFFF)
    while True:
        yield from (int(v) for v in state.randint(0, 2 ** 32, size=1024, dtype=np.uint32))


def _uniform_int(gen, high):
    """libstdc++'s uniform_int_distribution(0, high) over a 32-bit engine."""
    scaling = 0xFFFFFFFF // (high + 1)
    past = (high + 1) * scaling
    while True:
        r = next(gen)
        if r < past:
            return r // scaling


def _cxx_shuffle_order(n, seed):
    """The order std::shuffle(mt19937(seed)) gives ``range(n)`` in MXNet 1.9.1's build."""
    order = list(range(n))
    gen = _mt19937(seed)
    for i in range(1, n):
        j = _uniform_int(gen, i)
        order[i], order[j] = order[j], order[i]
    return order


def _read_idx(path, magic, what):
    try:
        with open(path, "rb") as fin:
            raw = fin.read()
    except OSError as err:
        raise MXNetError(f"MNISTIter: cannot read {what} file {path!r}: {err.strerror}") from err
    ndim = 3 if magic == 2051 else 1
    head = 4 * (ndim + 1)
    if len(raw) < head:
        raise MXNetError(f"MNISTIter: {path!r} is too short for an MNIST {what} file")
    fields = struct.unpack(f">{ndim + 1}I", raw[:head])
    if fields[0] != magic:
        raise MXNetError(f"MNISTIter: {path!r} has magic {fields[0]}, expected {magic} "
                         f"(an uncompressed MNIST {what} file)")
    shape = fields[1:]
    if len(raw) - head < int(np.prod(shape)):
        raise MXNetError(f"MNISTIter: {path!r} is truncated: {len(raw) - head} bytes for "
                         f"shape {shape}")
    return np.frombuffer(raw, np.uint8, int(np.prod(shape)), head).reshape(shape)


class MNISTIter(MXDataIter):
    """Iterates over the MNIST dataset (uncompressed idx files).

    Pixels are scaled by 1/256; the last incomplete batch is dropped; ``shuffle`` orders
    the images once, as MXNet's C++ iterator does for the same ``seed``.

    Parameters
    ----------
    image, label : str
        Paths of the idx3 image and idx1 label files.
    batch_size : int
        Batch size.
    shuffle : bool
        Shuffle the data (once, at creation).
    flat : bool
        Give images as vectors (batch, rows*cols) instead of (batch, 1, rows, cols).
    seed : int
        Seed of the shuffle.
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts``.
    """

    def __init__(self, image="./train-images-idx3-ubyte", label="./train-labels-idx1-ubyte",
                 batch_size=128, shuffle=True, flat=False, seed=0, silent=False, num_parts=1,
                 part_index=0, prefetch_buffer=4, ctx="gpu", dtype=None, data_name="data",
                 label_name="softmax_label"):
        super().__init__(int(batch_size))
        if self.batch_size < 1:
            raise MXNetError(f"MNISTIter: batch_size must be >= 1, got {batch_size}")
        if not 0 <= part_index < num_parts:
            raise MXNetError(f"MNISTIter: part_index {part_index} not in [0, {num_parts})")
        images = _read_idx(os.fspath(image), 2051, "image")
        labels = _read_idx(os.fspath(label), 2049, "label")
        images, labels = _part(images, num_parts, part_index), _part(labels, num_parts,
                                                                     part_index)
        if len(labels) < len(images):
            raise MXNetError(f"MNISTIter: {len(images)} images but {len(labels)} labels")
        order = _cxx_shuffle_order(len(images), seed) if shuffle else range(len(images))
        order = np.asarray(order, dtype=np.int64)
        self.dtype = np.dtype(dtype or "float32")
        self._images = (images[order].astype(np.float32) * np.float32(1.0 / 256.0))
        self._images = self._images.astype(self.dtype, copy=False)
        self._labels = labels[order].astype(self.dtype)
        self._order = order.astype(np.uint64)
        rows, cols = images.shape[1:]
        self._shape = (rows * cols,) if flat else (1, rows, cols)
        self.provide_data = [DataDesc(data_name, (self.batch_size,) + self._shape,
                                      self.dtype.type)]
        self.provide_label = [DataDesc(label_name, (self.batch_size,), self.dtype.type)]
        self._loc = 0
        self.current_batch = None

    def reset(self):
        self._loc = 0

    def iter_next(self):
        start, bs = self._loc, self.batch_size
        if start + bs > len(self._images):
            return False
        self._loc += bs
        data = self._images[start:start + bs].reshape((bs,) + self._shape)
        self.current_batch = DataBatch([array(data, dtype=self.dtype)],
                                  [array(self._labels[start:start + bs], dtype=self.dtype)],
                                  pad=0, index=self._order[start:start + bs].copy())
        return True

    def getpad(self):
        return 0


def _part(values, num_parts, part_index):
    count = len(values)
    start = int(count / num_parts * part_index)
    end = int(count / num_parts * (part_index + 1))
    return values[start:end]
