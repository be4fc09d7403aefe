"""The sparse NDArray classes and storage conversion (see :mod:`.sparse`).

A sparse array keeps its stored components (values, then ``indices`` / ``indptr``,
``indices``) on the host. Operators see it through ``_data``, a dense copy built on
first use, so every dense operator works on it (MXNet's storage fallback). When that
dense copy is changed in place, the components are re-derived from it the next time
they are read.
"""
import numpy as np

from .. import _dispatch
from ..base import MXNetError, integer_types, numeric_types
from ..context import Context
from . import _sparse_storage as _ss
from .ndarray import NDArray, array as _dense_array

__all__ = ["BaseSparseNDArray", "CSRNDArray", "RowSparseNDArray", "cast_storage"]

_DENSE = NDArray.__dict__["_data"]     # the base class's slot: the cached dense copy


def _refuse_invalid(arr):
    # MXNet 1.9.1 compat: arrays built from inconsistent components exist (check_format
    # reports them); here using one raises instead of reading out of bounds
    if arr._problem is not None:
        raise MXNetError(f"{arr.stype}: {arr._problem} (the array was created from "
                         f"inconsistent components; see check_format())")


def _get_dense(self):
    try:
        return _DENSE.__get__(self)
    except AttributeError:
        _refuse_invalid(self)
        host = _ss.densify(self.stype, self._shape, self._dtype, self._parts)
        dense = self._ctx.backend.asarray(host, self._dtype, self._ctx.device_id)
        _DENSE.__set__(self, dense)
        return dense


class BaseSparseNDArray(NDArray):
    """The base class of an NDArray stored in a sparse storage format."""

    __slots__ = ("_shape", "_dtype", "_parts", "_problem")
    _data = property(_get_dense, _DENSE.__set__)

    # -- components ------------------------------------------------------------------
    def _storage_parts(self):
        """Host parts ``(values, aux...)``, re-derived if the dense copy was changed."""
        _refuse_invalid(self)
        try:
            dense = _DENSE.__get__(self)
        except AttributeError:
            return self._parts
        host = np.asarray(self._ctx.backend.to_numpy(dense))
        mine = _ss.densify(self.stype, self._shape, self._dtype, self._parts)
        if mine.tobytes() != host.tobytes():
            self._parts = _ss.from_dense(self.stype, host)
        return self._parts

    def _set_parts(self, parts):
        self._parts = tuple(parts)
        try:
            _DENSE.__delete__(self)
        except AttributeError:
            pass

    def _component(self, i):
        part = self._storage_parts()[i]
        return _dense_array(part.copy(), ctx=self._ctx, dtype=part.dtype)

    def _aux_type(self, i):
        return self._storage_parts()[i + 1].dtype.type

    @property
    def _num_aux(self):
        return len(_ss.AUX_NAMES[self.stype])

    @property
    def _aux_types(self):
        return [self._aux_type(i) for i in range(self._num_aux)]

    def _aux_data(self, i):
        return self._component(i + 1)

    @property
    def data(self):
        """A copy of the stored values as an NDArray."""
        return self._component(0)

    @property
    def indices(self):
        """A copy of the indices array as an NDArray (int64)."""
        return self._component(len(self._parts) - 1)

    # -- attributes ------------------------------------------------------------------
    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype.type

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def size(self):
        # MXNet 1.9.1 compat: the size of a sparse array is ambiguous, hence disabled
        raise NotImplementedError("size is not defined for a sparse NDArray")

    def __len__(self):
        return self._shape[0]

    def __repr__(self):
        shape = "x".join(str(s) for s in self._shape)
        return f"\n<{type(self).__name__} {shape} @{self._ctx}>"

    def __reduce__(self):
        return (_rebuild, (self.stype, self._shape, self._dtype.name,
                           self._storage_parts(), str(self._ctx)))

    # -- conversion ------------------------------------------------------------------
    def asnumpy(self):
        """A dense NumPy copy of the array."""
        try:
            dense = _DENSE.__get__(self)
        except AttributeError:
            _refuse_invalid(self)
            return _ss.densify(self.stype, self._shape, self._dtype, self._parts)
        return np.array(self._ctx.backend.to_numpy(dense), copy=True)

    def astype(self, dtype, copy=True):
        """A copy with values cast to ``dtype``, in the same storage type."""
        if not copy and np.dtype(dtype) == self._dtype:
            return self
        parts = self._storage_parts()
        return _from_parts(self.stype, self._shape, np.dtype(dtype),
                           (parts[0].astype(dtype),) + parts[1:], self._ctx)

    def tostype(self, stype):
        """A copy of the array in storage type ``stype``."""
        return cast_storage(self, stype)

    def copy(self):
        return self.copyto(self._ctx)

    def copyto(self, other):
        """Copy into ``other`` (an array of this or default storage) or onto a Context."""
        if isinstance(other, Context):
            parts = tuple(p.copy() for p in self._storage_parts())
            return _from_parts(self.stype, self._shape, self._dtype, parts, other)
        if not isinstance(other, NDArray):
            raise TypeError(f"copyto does not support type {type(other).__name__}")
        if other is self:
            return other
        if other.shape != self._shape:
            raise MXNetError(f"copyto: shape mismatch, source {self._shape} vs "
                             f"destination {other.shape}")
        if other.stype == "default":
            other[:] = self.asnumpy()
        elif other.stype == self.stype:
            other._set_parts(p.astype(q.dtype) for p, q in
                             zip(self._storage_parts(), other._storage_parts()))
        else:
            raise TypeError(f"copyto does not support destination NDArray stype "
                            f"{other.stype}")
        return other

    def detach(self):
        """The same stored components, cut off from the recorded graph."""
        return _from_parts(self.stype, self._shape, self._dtype, self._storage_parts(),
                           self._ctx)

    def reshape(self, *shape, **kwargs):
        raise MXNetError(f"reshape is not supported for {type(self).__name__}")

    def check_format(self, full_check=True):
        """Raise MXNetError when the stored components are inconsistent; with
        ``full_check`` also when indices are not in ascending order."""
        problem = self._problem or _ss.validate(self.stype, self._shape,
                                                self._storage_parts())
        if not problem and full_check:
            problem = _ss.unsorted(self.stype, self._parts)
        if problem:
            raise MXNetError(f"check_format: {problem}")

    def _assign_all(self, key, value):
        """``self[:] = value``, the only assignment sparse arrays support."""
        if not (isinstance(key, slice) and key == slice(None)):
            raise TypeError(f"{type(self).__name__} only supports [:] for assignment")
        if isinstance(value, BaseSparseNDArray) and value.stype == self.stype:
            value.copyto(self)
            return
        if isinstance(value, NDArray):
            value = value.asnumpy()
        host = np.broadcast_to(np.asarray(value, dtype=self._dtype), self._shape)
        self._set_parts(_ss.from_dense(self.stype, np.ascontiguousarray(host)))

    __setitem__ = _assign_all


def _scalar_keeps_storage(name):
    """NDArray's ``name`` operator, but with a scalar operand the result keeps the
    sparse storage when the operation maps 0 to 0 (MXNet's sparse scalar kernels:
    ``x * 2``, ``x + 0``, ``x > 0.5`` stay sparse; ``x + 1``, ``x == 0`` become dense)."""
    dense_op = getattr(NDArray, name)

    def method(self, other):
        out = dense_op(self, other)
        if not isinstance(other, numeric_types) or out.stype != "default" or \
                out._node is not None:      # recorded: the dense result carries the tape
            return out
        zero = _dense_array(np.zeros(1, dtype=self._dtype), ctx=self._ctx, dtype=self._dtype)
        if dense_op(zero, other).asnumpy()[0] != 0:
            return out
        return cast_storage(out, self.stype)
    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__mul__", "__rmul__", "__truediv__",
              "__div__", "__eq__", "__ne__", "__gt__", "__ge__", "__lt__", "__le__"):
    setattr(BaseSparseNDArray, _name, _scalar_keeps_storage(_name))


def _negative(self):
    return self * -1.0


BaseSparseNDArray.__neg__ = _negative
BaseSparseNDArray.__hash__ = NDArray.__hash__    # __eq__ above would unset it


class CSRNDArray(BaseSparseNDArray):
    """A 2-D NDArray in Compressed Sparse Row format (``data``, ``indptr``, ``indices``)."""

    __slots__ = ()

    @property
    def stype(self):
        return "csr"

    @property
    def indptr(self):
        """A copy of the row pointer array as an NDArray (int64)."""
        return self._component(1)

    def __getitem__(self, key):
        if isinstance(key, integer_types):
            key = int(key) + self._shape[0] if key < 0 else int(key)
            key = slice(key, key + 1)
        if isinstance(key, slice) and key.step in (None, 1):
            return _from_dense("csr", self.asnumpy()[key], self._ctx)
        raise ValueError(f"CSRNDArray only supports row slices for __getitem__, got {key!r}")

    def asscipy(self):
        """A ``scipy.sparse.csr_matrix`` copy."""
        import scipy.sparse as spsp
        values, indptr, indices = self._storage_parts()
        return spsp.csr_matrix((values, indices, indptr), shape=self._shape,
                               dtype=self._dtype)


class RowSparseNDArray(BaseSparseNDArray):
    """An NDArray stored as the row slices ``data`` at row ``indices``; other rows are 0."""

    __slots__ = ()

    @property
    def stype(self):
        return "row_sparse"

    def __getitem__(self, key):
        if isinstance(key, slice) and key == slice(None):
            return self
        raise ValueError(f"RowSparseNDArray only supports [:] for __getitem__, got {key!r}")

    def retain(self, indices):
        """The rows of ``indices`` that are stored here (others dropped)."""
        keep = np.asarray(indices.asnumpy() if isinstance(indices, NDArray) else indices)
        values, rows = self._storage_parts()
        mask = np.isin(rows, keep)
        return _from_parts("row_sparse", self._shape, self._dtype,
                           (values[mask], rows[mask]), self._ctx)


_CLASSES = {"row_sparse": RowSparseNDArray, "csr": CSRNDArray}
for _cls in (BaseSparseNDArray, CSRNDArray, RowSparseNDArray):
    _cls.__module__ = "mxnet.ndarray.sparse"     # where MXNet (and users) name them


def _from_parts(stype, shape, dtype, parts, ctx):
    """A sparse array owning ``parts`` (host arrays, already validated)."""
    arr = object.__new__(_CLASSES[stype])
    arr._ctx = ctx
    arr._node = None
    arr._index = 0
    arr._shape = tuple(int(d) for d in shape)
    arr._dtype = np.dtype(dtype)
    arr._parts = tuple(parts)
    arr._problem = None
    return arr


def _from_dense(stype, host, ctx):
    return _from_parts(stype, host.shape, host.dtype, _ss.from_dense(stype, host), ctx)


def _rebuild(stype, shape, dtype, parts, ctx_str):
    return _from_parts(stype, shape, dtype, parts, _dispatch._as_context(ctx_str))


def _checked(stype, shape, dtype, parts, ctx):
    """A sparse array from user components; inconsistent ones are kept but marked, as
    MXNet creates them (``check_format`` reports the problem, using it raises)."""
    arr = _from_parts(stype, shape, dtype, parts, ctx)
    arr._problem = _ss.validate(stype, shape, parts)
    return arr


def cast_storage(data, stype):
    """A copy of ``data`` in storage type ``stype`` ('default', 'row_sparse', 'csr')."""
    if stype not in ("default", "row_sparse", "csr"):
        raise MXNetError(f"Invalid Input: {stype!r}, valid values are: {{'csr', "
                         f"'default', 'row_sparse'}}, in operator cast_storage")
    src = data.stype
    if stype == "default":
        return _dense_array(data.asnumpy(), ctx=data.context, dtype=data.dtype)
    if src == stype:
        return data.copy()
    if src != "default":
        raise ValueError(f"cast_storage from {src} to {stype} is not supported")
    if stype == "csr" and data.ndim != 2:
        raise ValueError(f"To convert to a CSR, the NDArray should be 2 Dimensional. "
                         f"Current shape is {data.shape}")
    if stype == "row_sparse" and data.ndim < 1:
        raise ValueError("To convert to row_sparse, the NDArray needs a dimension")
    return _from_dense(stype, data.asnumpy(), data.context)
