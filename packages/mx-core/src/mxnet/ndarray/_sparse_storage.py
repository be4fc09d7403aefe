"""Host-side (NumPy) arithmetic of sparse storage components.

A sparse array is described by its dense ``shape`` and its *parts*: the stored values
first, then the auxiliary arrays in MXNet's order (row_sparse: ``indices``; csr:
``indptr``, ``indices``). The file codec and :mod:`mxnet.ndarray.sparse` both use these
helpers, so an array loaded from a file and one built in Python are checked alike.
"""
import numpy as np

__all__ = ["AUX_NAMES", "densify", "from_dense", "validate", "empty_parts"]

# the auxiliary arrays of each storage type, in MXNet's (file) order
AUX_NAMES = {"row_sparse": ("indices",), "csr": ("indptr", "indices")}


def _prod(dims):
    out = 1
    for d in dims:
        out *= int(d)
    return out


def validate(stype, shape, parts):
    """Return a message saying why ``parts`` cannot describe a ``stype`` array of
    ``shape``, or None when they can (so densifying them is safe)."""
    shape = tuple(int(d) for d in shape)
    if stype == "row_sparse":
        values, indices = parts
        if len(shape) < 1:
            return "a row_sparse array needs at least one dimension"
        if indices.ndim != 1:
            return f"row_sparse indices must be 1-D, got shape {indices.shape}"
        if values.shape != (indices.shape[0],) + shape[1:]:
            return (f"row_sparse data of shape {values.shape} does not match "
                    f"{indices.shape[0]} indices and array shape {shape}")
        return _check_range(indices, shape[0], "row_sparse indices")
    if stype == "csr":
        values, indptr, indices = parts
        if len(shape) != 2:
            return f"a csr array must be 2-D, got shape {shape}"
        if values.ndim != 1 or indices.ndim != 1 or indptr.ndim != 1:
            return "csr data, indices and indptr must be 1-D"
        if values.shape != indices.shape:
            return (f"csr data has {values.shape[0]} entries but indices has "
                    f"{indices.shape[0]}")
        if indptr.shape[0] != shape[0] + 1:
            return f"csr indptr has {indptr.shape[0]} entries, expected {shape[0] + 1}"
        if int(indptr[0]) != 0 or int(indptr[-1]) != values.shape[0] or \
                bool(np.any(np.diff(indptr) < 0)):
            return (f"csr indptr must rise from 0 to the number of stored values "
                    f"({values.shape[0]})")
        return _check_range(indices, shape[1], "csr indices")
    return f"unknown storage type {stype!r}"


def unsorted(stype, parts):
    """A message when the (valid) indices are out of order, else None."""
    if stype == "row_sparse":
        indices = parts[1]
        if indices.size > 1 and bool(np.any(np.diff(indices) <= 0)):
            return "row_sparse indices must be in strictly ascending order"
        return None
    _, indptr, indices = parts
    steps = np.diff(indices)
    # a step down is allowed only where a new row starts
    row_starts = np.zeros(indices.shape[0], dtype=bool)
    row_starts[indptr[1:-1][indptr[1:-1] < indices.shape[0]]] = True
    if indices.size > 1 and bool(np.any((steps <= 0) & ~row_starts[1:])):
        return "csr indices must be in strictly ascending order within each row"
    return None


def _check_range(idx, bound, what):
    if not np.issubdtype(idx.dtype, np.integer):
        return f"{what} must be integers, got {idx.dtype.name}"
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= bound):
        return f"{what} must lie in [0, {bound}), got values in " \
               f"[{int(idx.min())}, {int(idx.max())}]"
    return None


def densify(stype, shape, dtype, parts):
    """The dense NumPy array the (validated) parts describe."""
    out = np.zeros(shape, dtype=dtype)
    if stype == "row_sparse":
        values, indices = parts
        out[indices] = values
    else:
        values, indptr, indices = parts
        rows = np.repeat(np.arange(shape[0]), np.diff(indptr))
        out[rows, indices] = values
    return out


def from_dense(stype, dense):
    """The canonical parts of ``dense``: every non-zero row (row_sparse) or entry (csr)."""
    if stype == "row_sparse":
        nrows = dense.shape[0]
        flat = dense.reshape(nrows, _prod(dense.shape[1:]))
        indices = np.flatnonzero((flat != 0).any(axis=1)).astype(np.int64)
        return (np.ascontiguousarray(dense[indices]), indices)
    rows, cols = np.nonzero(dense)
    counts = np.bincount(rows, minlength=dense.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return (np.ascontiguousarray(dense[rows, cols]), indptr, cols.astype(np.int64))


def empty_parts(stype, shape, dtype):
    """Parts of an all-zero array with nothing stored (what ``sparse.zeros`` makes)."""
    if stype == "row_sparse":
        return (np.zeros((0,) + tuple(shape[1:]), dtype=dtype), np.zeros((0,), np.int64))
    return (np.zeros((0,), dtype=dtype), np.zeros((shape[0] + 1,), np.int64),
            np.zeros((0,), np.int64))
