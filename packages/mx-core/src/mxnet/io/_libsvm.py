"""LibSVMIter: CSR batches of a LibSVM file, as MXNet 1.9.1's C++ iterator."""
import numpy as np

from ..base import MXNetError
from ..ndarray import array
from ..ndarray import sparse
from ._csv import _csv_files, _parse_shape
from ._loader import _BatchLoader
from .io import DataBatch, DataDesc, MXDataIter

__all__ = ["LibSVMIter"]


def _load_libsvm(path, dim, what):
    """``(labels, rows)``: the first token of each line and its ``index:value`` pairs."""
    labels, rows = [], []
    for name in _csv_files(path):
        try:
            with open(name) as fin:
                lines = fin.readlines()
        except OSError as err:
            raise MXNetError(f"LibSVMIter: cannot read {what} {name!r}: {err.strerror}") \
                from err
        for lineno, line in enumerate(lines, 1):
            tokens = line.split()
            if not tokens:
                continue
            try:
                labels.append(float(tokens[0]))
                pairs = [t.split(":") for t in tokens[1:]]
                idx = np.array([int(p[0]) for p in pairs], np.int64)
                val = np.array([float(p[1]) for p in pairs], np.float32)
            except (ValueError, IndexError) as err:
                raise MXNetError(f"LibSVMIter: {what} {name!r} line {lineno} is not "
                                 f"'label index:value ...'") from err
            if idx.size and (idx.min() < 0 or idx.max() >= dim):
                raise MXNetError(f"LibSVMIter: {what} {name!r} line {lineno}: feature index "
                                 f"{int(idx.max())} is outside the shape ({dim},)")
            rows.append((idx, val))
    return np.array(labels, np.float32), rows


def _csr(rows, dim):
    indptr = np.zeros(len(rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(r[0]) for r in rows])
    indices = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, np.int64)
    data = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), dim), dtype="float32")


class LibSVMIter(MXDataIter):
    """Iterates over a LibSVM file (zero-based feature indices) in CSR batches.

    Each line is ``label index:value index:value ...``. Without ``label_libsvm`` the
    labels are the lines' first tokens; with it, each label is the sparse vector of the
    label file's line (of ``label_shape``), also as CSR. Batches follow MXNet's round
    robin: an incomplete last batch is completed from the start (``pad`` says how many).

    Parameters
    ----------
    data_libsvm : str
        The data file, or a folder of them.
    data_shape : tuple
        ``(number of features,)``.
    label_libsvm : str, optional
        The label file, or a folder of them.
    label_shape : tuple
        The shape of one label.
    batch_size : int
        Batch size.
    round_batch : bool
        Must be True (as in MXNet 1.9.1).
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts``.
    """

    def __init__(self, data_libsvm, data_shape, batch_size, label_libsvm=None,
                 label_shape=(1,), round_batch=True, num_parts=1, part_index=0,
                 prefetch_buffer=4, ctx="gpu", dtype=None, data_name="data",
                 label_name="softmax_label"):
        super().__init__(int(batch_size))
        if str(round_batch).lower() in ("false", "0"):
            raise MXNetError("sparse batch loader doesn't support round_batch == false yet")
        if dtype not in (None, "float32"):
            raise MXNetError(f"LibSVMIter: only float32 data is supported, got dtype={dtype}")
        (dim,), label_shape = _parse_shape(data_shape), _parse_shape(label_shape)
        labels, self._rows = _load_libsvm(data_libsvm, dim, "data_libsvm")
        self._dim = dim
        self._labels, self._label_rows = labels, None
        if label_libsvm not in (None, "NULL"):
            _, self._label_rows = _load_libsvm(label_libsvm, label_shape[0], "label_libsvm")
            if len(self._label_rows) != len(self._rows):
                raise MXNetError(f"LibSVMIter: {len(self._rows)} data rows but "
                                 f"{len(self._label_rows)} label rows")
        if not 0 <= part_index < num_parts:
            raise MXNetError(f"LibSVMIter: part_index {part_index} not in [0, {num_parts})")
        count = len(self._rows)
        self._start = count * part_index // num_parts
        self._end = count * (part_index + 1) // num_parts
        if self._end <= self._start:
            raise MXNetError(f"LibSVMIter: {data_libsvm!r} holds no rows for this part")
        self._label_dim = label_shape[0]
        self._pos = self._start
        self._loader = _BatchLoader(self.batch_size, True)
        label_batch = (self.batch_size,) if self._label_rows is None and label_shape == (1,) \
            else (self.batch_size,) + label_shape
        self.provide_data = [DataDesc(data_name, (self.batch_size, dim), np.float32)]
        self.provide_label = [DataDesc(label_name, label_batch, np.float32)]
        self.current_batch = None

    def next_sample(self):
        if self._pos >= self._end:
            return None
        self._pos += 1
        return self._pos - 1

    def rewind(self):
        self._pos = self._start

    def reset(self):
        self._loader.reset(self)

    def iter_next(self):
        batch = self._loader.next_batch(self)
        if batch is None:
            return False
        rows, pad = batch
        data = _csr([self._rows[r] for r in rows], self._dim)
        if self._label_rows is None:
            label = array(self._labels[rows].reshape(self.provide_label[0].shape))
        else:
            label = _csr([self._label_rows[r] for r in rows], self._label_dim)
        self.current_batch = DataBatch([data], [label], pad=pad,
                                  index=np.array(rows, np.uint64) - np.uint64(self._start))
        return True
