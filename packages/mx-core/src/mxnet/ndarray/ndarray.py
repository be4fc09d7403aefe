"""NDArray: a thin wrapper around a backend array and its Context.

Arithmetic, indexing and the operator methods go through the operator registry, so
they run on every backend and are recorded by autograd.
"""
import numpy as np

from .. import _dispatch
from .. import _pending_errors as _pending
from .._pending_errors import PENDING as _PENDING
from ..autograd import STATE, Leaf, Node
from ..base import MXNetError, integer_types, numeric_types
from ..context import Context, current_context
from . import _views

__all__ = ["NDArray", "array", "empty", "waitall"]

_OPS = {}          # OpDef by name: the registry's table, set by mxnet.ndarray
_FUNCS = {}        # generated front-end function by operator name
_EMPTY = {}
_NP_SHAPE = [False]  # mxnet.util keeps numpy-shape semantics here

# MXNet 1.9.1 compat: the C API's type codes, imported by name by tests and user code
_STORAGE_TYPE_UNDEFINED, _STORAGE_TYPE_DEFAULT = -1, 0
_STORAGE_TYPE_ROW_SPARSE, _STORAGE_TYPE_CSR = 1, 2
_STORAGE_TYPE_ID_TO_STR = {-1: "undefined", 0: "default", 1: "row_sparse", 2: "csr"}
_STORAGE_TYPE_STR_TO_ID = {v: k for k, v in _STORAGE_TYPE_ID_TO_STR.items()}
_DTYPE_NP_TO_MX = {None: -1, np.float32: 0, np.float64: 1, np.float16: 2, np.uint8: 3,
                   np.int32: 4, np.int8: 5, np.int64: 6, np.bool_: 7}
_DTYPE_MX_TO_NP = {v: k for k, v in _DTYPE_NP_TO_MX.items()}
_GRAD_REQ_MAP = {"null": 0, "write": 1, "add": 3}


def _wrap(data, ctx, node=None, index=0, _new=object.__new__):
    arr = _new(NDArray)
    arr._data = data
    arr._ctx = ctx
    arr._node = node
    arr._index = index
    return arr


_dispatch._wrap = _wrap


def _op(name):
    return _FUNCS[name]


class NDArray:
    """An n-dimensional array on a device, with MXNet 1.x semantics."""

    __slots__ = ("_data", "_ctx", "_node", "_index", "__weakref__")
    __array_priority__ = 1000.0

    def __init__(self, data, ctx=None):
        ctx = ctx or current_context()
        self._data = data
        self._ctx = ctx
        self._node = None
        self._index = 0

    # -- attributes ------------------------------------------------------------------
    @property
    def shape(self):
        return self._data.shape

    @property
    def dtype(self):
        """The element type as a NumPy type (``numpy.float32``), as MXNet returns it."""
        return self._data.dtype.type

    @property
    def context(self):
        return self._ctx

    ctx = context

    @property
    def size(self):
        return int(self._data.size)

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def stype(self):
        return "default"

    @property
    def handle(self):
        return None

    @property
    def writable(self):
        return True

    @property
    def T(self):
        """A transposed copy (the array itself when it has fewer than 2 dimensions)."""
        if self.ndim < 2:
            return self
        return self.transpose()

    # -- conversion ------------------------------------------------------------------
    def asnumpy(self):
        """A NumPy copy of the data (blocks until it is computed)."""
        if _PENDING:
            _pending.raise_for(self._data)
        return np.array(self._ctx.backend.to_numpy(self._data), copy=True)

    def __array__(self, dtype=None, copy=None):
        out = self.asnumpy()
        return out if dtype is None else out.astype(dtype)

    def asscalar(self):
        if self.size != 1:
            raise ValueError("The current array is not a scalar")
        return self.asnumpy().reshape(())[()]

    def __bool__(self):
        if self.size == 0:
            return False
        if self.size == 1:
            return bool(self.asscalar())
        raise ValueError("The truth value of an NDArray with multiple elements is "
                         "ambiguous.")

    __nonzero__ = __bool__

    def __float__(self):
        return float(self.asscalar())

    def __int__(self):
        return int(self.asscalar())

    def __index__(self):
        if self.size == 1 and np.issubdtype(self._data.dtype, np.integer):
            return int(self.asscalar())
        raise TypeError("only integer scalar arrays can be converted to a scalar index")

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d NDArray")
        return self.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __hash__(self):
        return id(self)

    def __repr__(self):
        shape = "x".join(str(s) for s in self.shape)
        return f"\n{self.asnumpy()!s}\n<{type(self).__name__} {shape} @{self._ctx}>"

    def __reduce__(self):
        return (_rebuild, (self.asnumpy(), str(self._ctx)))

    __getstate__ = _views.getstate
    __setstate__ = _views.setstate

    def astype(self, dtype, copy=True):
        """A copy with elements cast to ``dtype`` (self when already so and not copy)."""
        if not copy and np.dtype(dtype) == self._data.dtype:
            return self
        return _op("Cast")(self, dtype=np.dtype(dtype).name)

    def copy(self):
        return self.copyto(self._ctx)

    def copyto(self, other):
        """Copy into the NDArray ``other``, or into a new array on Context ``other``."""
        if isinstance(other, NDArray):
            if other is self:
                return other
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} vs "
                                 f"destination {other.shape}")
            other._data[...] = _move(self._data, self._ctx, other._ctx, other._data.dtype)
            if _PENDING:
                _pending.copy_error(self._data, other._data)
            return other
        if isinstance(other, Context):
            data = _move(self._data, self._ctx, other, self._data.dtype)
            if data is self._data:
                data = data.copy()
            out = _wrap(data, other)
            if _PENDING:
                _pending.copy_error(self._data, data)
            if STATE.recording and self._node is not None:
                _record_copy(self, out)
            return out
        raise TypeError(f"copyto does not support type {type(other).__name__}")

    def as_in_context(self, context):
        if self._ctx == context:
            return self
        return self.copyto(context)

    as_in_ctx = as_in_context

    def as_nd_ndarray(self):
        return self

    def as_np_ndarray(self):
        from .. import numpy as _mxnp   # provided by the numpy front-end where present
        return _mxnp.array(self)

    def tostype(self, stype):
        from . import sparse
        return sparse.cast_storage(self, stype)

    def wait_to_read(self):
        """Block until the data is computed; raises a failed kernel's error."""
        self._ctx.backend.synchronize(self._ctx.device_id)
        if _PENDING:
            _pending.raise_for(self._data)

    def wait_to_write(self):
        self.wait_to_read()

    # -- autograd --------------------------------------------------------------------
    def attach_grad(self, grad_req="write", stype=None):
        """Allocate a gradient buffer and mark this array as an autograd variable."""
        if grad_req not in ("write", "add", "null"):
            raise MXNetError(f"attach_grad: grad_req must be write, add or null, got "
                             f"{grad_req!r}")
        stype = self.stype if stype is None else stype
        if stype != "default":
            from . import sparse
            grad = sparse.zeros(stype, self.shape, ctx=self._ctx, dtype=self.dtype)
        else:
            xp = self._ctx.backend.xp
            grad = _wrap(xp.zeros(self.shape, dtype=self._data.dtype), self._ctx)
        self._node = Leaf(grad, grad_req)
        self._index = 0

    @property
    def grad(self):
        node = self._node
        return node.grad if type(node) is Leaf else None

    @property
    def _fresh_grad(self):
        node = self._node
        return node.fresh if type(node) is Leaf else False

    @_fresh_grad.setter
    def _fresh_grad(self, value):
        if type(self._node) is Leaf:
            self._node.fresh = bool(value)

    def detach(self):
        """The same data, cut off from the recorded graph."""
        return _wrap(self._data, self._ctx)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        from .. import autograd
        autograd.backward([self], None if out_grad is None else [out_grad],
                          retain_graph=retain_graph, train_mode=train_mode)

    # -- shape -----------------------------------------------------------------------
    def reshape(self, *shape, **kwargs):
        """Reshape with MXNet's special codes (0, -1, -2, -3, -4) and ``reverse``."""
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = shape[0]
        if not shape:
            shape = kwargs.pop("shape", ())
        reverse = kwargs.pop("reverse", False)
        if kwargs:
            raise TypeError(f"reshape got unexpected arguments {sorted(kwargs)}")
        try:
            out = _op("Reshape")(self, shape=tuple(shape), reverse=reverse)
        except MXNetError as err:
            if "cannot reshape array" not in str(err):
                raise
            # MXNet 1.9.1 compat: the method (not the operator) raises ValueError
            raise ValueError(f"Cannot reshape array of size {self.size} into shape "
                             f"{tuple(shape)}") from None
        if out._data.base is None:      # the method returns a view, as MXNet's does
            out._data = self._data.reshape(out.shape)
        return out

    flatten = _views.flatten
    squeeze = _views.squeeze
    expand_dims = _views.expand_dims
    _basic_indexing_slice_is_contiguous = staticmethod(_views.basic_slice_is_contiguous)

    # -- indexing --------------------------------------------------------------------
    def __getitem__(self, key):
        key = _index_key(key)
        if STATE.recording and self._node is not None:
            return _op("_index")(self, key=key, np_shape=bool(_NP_SHAPE[0]))
        data = self._data[key]
        if data.ndim == 0 and not _NP_SHAPE[0]:
            data = data.reshape((1,))
        elif not data.flags.c_contiguous:
            # MXNet 1.9.1 compat: only a contiguous region is returned as a view
            data = data.copy()
            if _PENDING:
                _pending.copy_error(self._data, data)
        return _wrap(data, self._ctx)

    def __setitem__(self, key, value):
        if STATE.recording:
            # MXNet 1.9.1 compat: x[:] = y copies (recorded), other writes of a recorded
            # value are in-place operators and fail
            recorded = (isinstance(value, NDArray) and value._node is not None
                        and not (isinstance(key, slice) and key == slice(None)
                                 and value.shape == self.shape))
            _dispatch.check_inplace_write(self, recorded)
        key = _index_key(key)
        if isinstance(value, NDArray):
            value = _move(value._data, value._ctx, self._ctx, self._data.dtype)
        elif not isinstance(value, numeric_types):
            value = self._ctx.backend.asarray(np.asarray(value), self._data.dtype,
                                              self._ctx.device_id)
        try:
            try:
                self._data[key] = value
            except ValueError:
                # a value of the region's size but another shape ([x] into a scalar slot)
                region = self._data[key]
                if getattr(value, "size", None) != getattr(region, "size", -1):
                    raise
                self._data[key] = value.reshape(region.shape)
        except ValueError as err:
            raise MXNetError(f"NDArray __setitem__: cannot assign a value of shape "
                             f"{getattr(value, 'shape', ())} to the region {key!r} of an "
                             f"array of shape {self.shape}: {err}") from None

    # -- arithmetic ------------------------------------------------------------------
    def __add__(self, other):
        return _binary(self, other, "broadcast_add", "_plus_scalar")

    def __radd__(self, other):
        return _binary(self, other, "broadcast_add", "_plus_scalar")

    def __sub__(self, other):
        return _binary(self, other, "broadcast_sub", "_minus_scalar")

    def __rsub__(self, other):
        return _binary(self, other, None, "_rminus_scalar")

    def __mul__(self, other):
        return _binary(self, other, "broadcast_mul", "_mul_scalar")

    def __rmul__(self, other):
        return _binary(self, other, "broadcast_mul", "_mul_scalar")

    def __truediv__(self, other):
        return _binary(self, other, "broadcast_div", "_div_scalar")

    def __rtruediv__(self, other):
        return _binary(self, other, None, "_rdiv_scalar")

    __div__, __rdiv__ = __truediv__, __rtruediv__

    def __mod__(self, other):
        return _binary(self, other, "broadcast_mod", "_mod_scalar")

    def __rmod__(self, other):
        return _binary(self, other, None, "_rmod_scalar")

    def __pow__(self, other):
        return _binary(self, other, "broadcast_power", "_power_scalar")

    def __rpow__(self, other):
        return _binary(self, other, None, "_rpower_scalar")

    def __neg__(self):
        return _binary(self, -1.0, None, "_mul_scalar")

    def __abs__(self):
        return _op("abs")(self)

    def __iadd__(self, other):
        return _inplace(self, self + other)

    def __isub__(self, other):
        return _inplace(self, self - other)

    def __imul__(self, other):
        return _inplace(self, self * other)

    def __itruediv__(self, other):
        return _inplace(self, self / other)

    __idiv__ = __itruediv__

    def __imod__(self, other):
        return _inplace(self, self % other)

    def __eq__(self, other):
        return _binary(self, other, "broadcast_equal", "_equal_scalar")

    def __ne__(self, other):
        return _binary(self, other, "broadcast_not_equal", "_not_equal_scalar")

    def __gt__(self, other):
        return _binary(self, other, "broadcast_greater", "_greater_scalar")

    def __ge__(self, other):
        return _binary(self, other, "broadcast_greater_equal", "_greater_equal_scalar")

    def __lt__(self, other):
        return _binary(self, other, "broadcast_lesser", "_lesser_scalar")

    def __le__(self, other):
        return _binary(self, other, "broadcast_lesser_equal", "_lesser_equal_scalar")


_dispatch._NDArray = NDArray


def _binary(lhs, rhs, array_op, scalar_op, _new=object.__new__):
    """``lhs <op> rhs``: broadcast op for two arrays, scalar op for a number.

    This is the hottest path of imperative code (every ``a + b``): it inlines
    ``_dispatch.invoke`` for single-output operators.
    """
    if isinstance(rhs, NDArray):
        if array_op is None:
            raise TypeError(f"unsupported operand order for {scalar_op}")
        op = _OPS[array_op]
        if _PENDING:        # a failed kernel's error travels on: the general path
            return _dispatch.invoke(op, (lhs, rhs), _EMPTY)
        ld, rd = lhs._data, rhs._data
        if ld.dtype is not rd.dtype and ld.dtype != rd.dtype:
            raise MXNetError(f"Operator {op.name}: input dtypes differ: lhs is "
                             f"{ld.dtype.name}, rhs is {rd.dtype.name}")
        ctx = lhs._ctx
        if rhs._ctx is not ctx and rhs._ctx != ctx and not _dispatch._both_host(rhs._ctx, ctx):
            raise MXNetError(f"Operator {op.name}: all inputs must be on one device, "
                             f"got {ctx} and {rhs._ctx}")
        backend = ctx._backend or ctx.backend
        try:
            res = op.kernels.get(backend.name, op.forward)(backend.xp, ld, rd)
        except ValueError as err:
            raise MXNetError(f"Operator {op.name}: {err}") from err
        out = _new(NDArray)
        out._data = res
        out._ctx = ctx
        out._index = 0
        if STATE.recording and (lhs._node is not None or rhs._node is not None):
            out._node = Node(op, _EMPTY, (lhs, rhs), (res,), ctx, op.grad_fn)
        else:
            out._node = None
        return out
    if isinstance(rhs, numeric_types):
        return _dispatch.invoke(_OPS[scalar_op], (lhs,),
                                {"scalar": float(rhs), "is_int": True})
    raise TypeError(f"type {type(rhs).__name__} not supported")


def _inplace(target, result):
    """Write ``result`` into ``target``'s buffer (MXNet's in-place arithmetic)."""
    if STATE.recording:
        _dispatch.check_inplace_write(target, result._node is not None)
    target._data[...] = result._data
    if _PENDING:
        _pending.copy_error(result._data, target._data)
    if result._node is not None:
        target._node, target._index = result._node, result._index
    return target


def _index_key(key):
    """NDArray indices become backend integer arrays (advanced indexing)."""
    if isinstance(key, NDArray):
        return key._data.astype(np.int64)
    if isinstance(key, tuple):
        return tuple(k._data.astype(np.int64) if isinstance(k, NDArray) else k for k in key)
    if isinstance(key, list):
        return np.asarray(key, dtype=np.int64) if all(
            isinstance(k, integer_types) for k in key) else key
    return key


def _move(data, src_ctx, dst_ctx, dtype):
    """Data of ``src_ctx`` as a native array of ``dst_ctx`` with ``dtype``."""
    src, dst = src_ctx.backend, dst_ctx.backend
    if src is dst and src_ctx.device_id == dst_ctx.device_id:
        return data if data.dtype == dtype else data.astype(dtype)
    return dst.asarray(src.to_numpy(data), dtype, dst_ctx.device_id)


def _record_copy(src, out):
    from ..autograd import Node

    def grad_fn(F, inputs, outputs, ograds):
        return (ograds[0].as_in_context(inputs[0].context),)
    out._node = Node(None, {}, (src,), (out._data,), out._ctx, grad_fn)


# creation functions live beside the class; MXNet's path mxnet.ndarray.ndarray has them
from ._creation import _rebuild, array, empty, waitall  # noqa: E402,F401
