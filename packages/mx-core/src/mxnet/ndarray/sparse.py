"""``mx.nd.sparse``: ``RowSparseNDArray`` (``row_sparse``) and ``CSRNDArray`` (``csr``).

Creation (``row_sparse_array``, ``csr_matrix``, ``zeros``, ``array``) and storage
conversion (``cast_storage``, ``NDArray.tostype``), as far as saving, loading and
converting need: sparse operators are not implemented, dense ones see a dense copy.
``_sparse_*`` operators of the registry are installed into this module by
:mod:`mxnet.ndarray._gen`.
"""
import numpy as np

from .. import _dispatch
from ..base import MXNetError, integer_types, numeric_types
from ..context import current_context
from . import _sparse_storage as _ss
from ._sparse_ndarray import (_CLASSES, BaseSparseNDArray, CSRNDArray, RowSparseNDArray,
                              _checked, _from_dense, _from_parts, cast_storage)
from .ndarray import NDArray

__all__ = ["BaseSparseNDArray", "CSRNDArray", "RowSparseNDArray", "csr_matrix",
           "row_sparse_array", "zeros", "empty", "array", "cast_storage", "retain"]

_STORAGE_AUX_TYPES = {"row_sparse": [np.int64], "csr": [np.int64, np.int64]}


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """An all-zero array of storage type ``stype`` with nothing stored."""
    shape = (int(shape),) if isinstance(shape, integer_types) else tuple(shape)
    if stype == "default":
        from . import zeros as _zeros
        return _zeros(shape, ctx=ctx, dtype=dtype, **kwargs)
    if stype not in _CLASSES:
        raise ValueError(f"unknown storage type {stype}")
    if stype == "csr" and len(shape) != 2:
        raise ValueError(f"a csr array must be 2-D, got shape {shape}")
    if stype == "row_sparse" and not shape:
        raise ValueError("a row_sparse array needs at least one dimension")
    dtype = np.dtype(np.float32 if dtype is None else dtype)
    ctx = _dispatch._as_context(ctx) or current_context()
    return _from_parts(stype, shape, dtype, _ss.empty_parts(stype, shape, dtype), ctx)


def empty(stype, shape, ctx=None, dtype=None):
    """A new sparse array (all zero: nothing is stored yet)."""
    if stype not in _CLASSES:
        raise ValueError(f"unknown stype : {stype}")
    return zeros(stype, shape, ctx=ctx, dtype=dtype)


def _default_dtype(src, dtype):
    if dtype is not None:
        return np.dtype(dtype)
    if isinstance(src, (NDArray, np.ndarray)) or _is_scipy(src):
        return np.dtype(src.dtype)
    return np.dtype(np.float32)


def _host(x, dtype):
    # always a private copy: the parts must not alias the caller's arrays
    return np.array(x.asnumpy() if isinstance(x, NDArray) else x, dtype=dtype, order="C")


def _is_scipy(x):
    return type(x).__module__.startswith("scipy.sparse") and hasattr(x, "tocsr")


def _check_shape(s1, s2):
    if s1 and s2 and tuple(s1) != tuple(s2):
        raise ValueError(f"Shape mismatch detected. {tuple(s1)} v.s. {tuple(s2)}")


def _dense_source(arg, shape, ctx, dtype):
    host = _host(arg, _default_dtype(arg, dtype))
    _check_shape(host.shape, shape)
    ctx = _dispatch._as_context(ctx) or (arg.context if isinstance(arg, NDArray)
                                         else current_context())
    return host, ctx


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A CSRNDArray from ``(data, indices, indptr)``, ``(data, (row, col))``, a shape
    ``(M, N)``, a CSRNDArray, a scipy sparse matrix or a dense 2-D array."""
    if isinstance(arg1, tuple):
        if len(arg1) == 3:
            return _csr_from_definition(*arg1, shape=shape, ctx=ctx, dtype=dtype)
        if len(arg1) != 2:
            raise ValueError(f"Unexpected length of input tuple: {len(arg1)}")
        if isinstance(arg1[1], tuple) and len(arg1[1]) == 2:
            import scipy.sparse as spsp
            values, (row, col) = (_host(a, None) for a in (arg1[0], arg1[1]))
            coo = spsp.coo_matrix((values, (row, col)), shape=shape)
            return array(coo.tocsr(), ctx=ctx, dtype=dtype)
        _check_shape(arg1, shape)
        return zeros("csr", arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, CSRNDArray) or _is_scipy(arg1):
        _check_shape(arg1.shape, shape)
        return array(arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, RowSparseNDArray):
        raise ValueError("Unexpected input type: RowSparseNDArray")
    host, ctx = _dense_source(arg1, shape, ctx, dtype)
    if host.ndim != 2:
        raise ValueError(f"To convert to a CSR, the NDArray should be 2 Dimensional. "
                         f"Current shape is {host.shape}")
    return _from_dense("csr", host, ctx)


def _csr_from_definition(values, indices, indptr, shape=None, ctx=None, dtype=None):
    dtype = _default_dtype(values, dtype)
    values = _host(values, dtype)
    indptr, indices = _host(indptr, np.int64), _host(indices, np.int64)
    if shape is None:
        if indices.shape[0] == 0:
            raise ValueError("invalid shape")
        shape = (indptr.shape[0] - 1, int(indices.max()) + 1)
    if values.ndim != 1 or indptr.ndim != 1 or indices.ndim != 1 or \
            indptr.shape[0] == 0 or len(shape) != 2:
        raise ValueError("invalid shape")
    ctx = _dispatch._as_context(ctx) or current_context()
    return _checked("csr", shape, dtype, (values, indptr, indices), ctx)


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A RowSparseNDArray from ``(data, indices)``, a shape, a RowSparseNDArray or a
    dense array."""
    if isinstance(arg1, tuple):
        if len(arg1) < 2:
            raise ValueError(f"Unexpected length of input tuple: {len(arg1)}")
        if len(arg1) > 2 or all(isinstance(a, integer_types) for a in arg1):
            _check_shape(arg1, shape)
            return zeros("row_sparse", arg1, ctx=ctx, dtype=dtype)
        return _rsp_from_definition(arg1[0], arg1[1], shape=shape, ctx=ctx, dtype=dtype)
    if isinstance(arg1, RowSparseNDArray):
        _check_shape(arg1.shape, shape)
        return array(arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, CSRNDArray):
        raise ValueError("Unexpected input type: CSRNDArray")
    host, ctx = _dense_source(arg1, shape, ctx, dtype)
    if host.ndim < 1:
        raise ValueError("invalid shape")
    return _from_dense("row_sparse", host, ctx)


def _rsp_from_definition(values, indices, shape=None, ctx=None, dtype=None):
    dtype = _default_dtype(values, dtype)
    values, indices = _host(values, dtype), _host(indices, np.int64)
    if shape is None:
        if indices.shape[0] == 0:
            raise ValueError("invalid shape")
        shape = (int(indices[-1]) + 1,) + values.shape[1:]
    shape = tuple(shape)
    if values.ndim != len(shape) or indices.ndim != 1 or int(np.prod(shape[1:])) == 0:
        raise ValueError("invalid shape")
    ctx = _dispatch._as_context(ctx) or current_context()
    return _checked("row_sparse", shape, dtype, (values, indices), ctx)


def array(source_array, ctx=None, dtype=None):
    """A sparse copy of a RowSparseNDArray, CSRNDArray or scipy sparse matrix."""
    if isinstance(source_array, NDArray):
        if source_array.stype == "default":
            raise ValueError("Please use `tostype` to create RowSparseNDArray or "
                             "CSRNDArray from an NDArray")
        out = source_array.astype(_default_dtype(source_array, dtype), copy=True)
        ctx = _dispatch._as_context(ctx) or current_context()
        return out if out.context == ctx else out.copyto(ctx)
    if _is_scipy(source_array):
        csr = source_array.tocsr().sorted_indices()
        csr.sum_duplicates()
        return csr_matrix((csr.data, csr.indices, csr.indptr), shape=csr.shape,
                          ctx=ctx, dtype=_default_dtype(source_array, dtype))
    if isinstance(source_array, (np.ndarray, np.generic) + numeric_types):
        raise ValueError("Please use mx.nd.array to create an NDArray with source_array "
                         f"of type {type(source_array)}")
    raise ValueError(f"Unexpected source_array type: {type(source_array)}")


def retain(data=None, indices=None, **kwargs):
    """The rows of the RowSparseNDArray ``data`` listed in ``indices`` (others dropped)."""
    if kwargs:
        raise MXNetError(f"Operator _sparse_retain: unexpected arguments {sorted(kwargs)}; "
                         f"its arguments are data, indices")
    if not isinstance(data, RowSparseNDArray):
        raise MXNetError(f"Operator _sparse_retain: data must be a RowSparseNDArray, got "
                         f"storage type {getattr(data, 'stype', type(data).__name__)}")
    return data.retain(indices)


# MXNet 1.9.1 compat: the operators that have sparse kernels are also named here; the
# dense operator runs (on a dense copy of sparse inputs), with the same results
_SPARSE_CAPABLE = frozenset((
    "ElementWiseSum", "Embedding", "FullyConnected", "LinearRegressionOutput",
    "LogisticRegressionOutput", "MAERegressionOutput", "abs", "adam_update", "add", "add_n",
    "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "broadcast_add",
    "broadcast_div", "broadcast_minus", "broadcast_mul", "broadcast_plus", "broadcast_sub",
    "cbrt", "ceil", "clip", "concat", "cos", "cosh", "degrees", "divide", "dot",
    "elemwise_add", "elemwise_div", "elemwise_mul", "elemwise_sub", "exp", "expm1", "fix",
    "floor", "ftrl_update", "gamma", "gammaln", "log", "log10", "log1p", "log2", "make_loss",
    "mean", "multiply", "negative", "norm", "radians", "relu", "rint", "round", "rsqrt",
    "sgd_mom_update", "sgd_update", "sigmoid", "sign", "sin", "sinh", "slice", "sqrt",
    "square", "stop_gradient", "subtract", "sum", "tan", "tanh", "trunc", "where",
    "zeros_like"))


def __getattr__(name):
    if name in _SPARSE_CAPABLE:
        from .. import ndarray
        return getattr(ndarray, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
