"""Which NDArray results share memory with their source, as in MXNet 1.9.1.

MXNet's basic indexing returns a view only when the selected region is one contiguous
block of memory, and a copy otherwise; ``reshape`` and the ``inplace=True`` forms of
``flatten``/``squeeze``/``expand_dims`` return views; operators return new arrays.
"""
import numpy as np

from ..base import MXNetError


def slice_len(slc, n):
    """Number of elements ``slc`` selects from an axis of length ``n``."""
    return len(range(*slc.indices(n)))


def basic_slice_is_contiguous(slc_key, shape):
    """Whether slicing with ``slc_key`` (one slice per axis) selects contiguous memory.

    From the last axis to the first: once an axis is cut to a proper subset, every
    axis before it may keep at most one element.
    """
    assert len(slc_key) == len(shape)
    total = 1
    for slc, n in zip(slc_key, shape):
        total *= slice_len(slc, n)
    if total in (0, 1):
        return True
    is_subset = False
    for slc, n in zip(reversed(slc_key), reversed(shape)):
        step = slc.indices(n)[2]
        count = slice_len(slc, n)
        if count == 0:
            return True
        if count > 1 and (step > 1 or step < 0):
            return False
        if is_subset:
            if count > 1:
                return False
        elif count < n:
            is_subset = True
    return True


def _owned(out, source):
    """``out`` with its own memory (operators never return views of their inputs)."""
    base = out._data.base
    if base is not None and (base is source._data or base is source._data.base):
        out._data = out._data.copy()
    return out


def _op(name):
    from .ndarray import _FUNCS
    return _FUNCS[name]


# -- NDArray methods (MXNet's ``inplace`` forms return views) ---------------------------
def flatten(self, inplace=False):
    """Collapse all axes but the first; ``inplace=True`` returns a view."""
    if inplace:
        return self.reshape((0, -1))
    return _owned(_op("Flatten")(self), self)


def squeeze(self, axis=None, inplace=False):
    """Remove axes of length 1; ``inplace=True`` returns a view."""
    if inplace:
        return self.reshape(squeeze_shape(self.shape, axis))
    return _owned(_op("squeeze")(self, axis=axis), self)


def expand_dims(self, axis, inplace=False):
    """Insert an axis of length 1 at ``axis``; ``inplace=True`` returns a view."""
    if inplace:
        return self.reshape(expand_dims_shape(self.shape, axis))
    return _owned(_op("expand_dims")(self, axis=axis), self)


def getstate(self):
    """MXNet 1.9.1's pickled form of an NDArray: the array as one raw record."""
    return {"handle": state_bytes(self)}


def setstate(self, state):
    """Restore from ``getstate``'s dict (also one written by MXNet itself).

    The data lands on the CPU: a record saved from a GPU loads without one."""
    from ..context import Context, current_context
    handle = state.get("handle")
    ctx = current_context() if handle is not None else None
    if handle is not None:
        data = from_state_bytes(handle)
        if ctx.device_type != "cpu":
            ctx = Context("cpu", 0)
        self._data = ctx.backend.asarray(data, data.dtype, ctx.device_id)
    self._ctx = ctx
    self._node = None
    self._index = 0


def squeeze_shape(shape, axis):
    """The shape ``squeeze(axis)`` gives, checked as MXNet's ``inplace`` form checks it."""
    new_shape = list(shape)
    if axis is not None:
        axes = [axis] if isinstance(axis, int) else list(axis)
        resolved = []
        for a in axes:
            if not -len(shape) <= a < len(shape):
                raise MXNetError(f"squeeze: axis {a} is out of range for a "
                                 f"{len(shape)}-d array")
            a = a % len(shape)
            if shape[a] != 1:
                raise MXNetError(f"squeeze: target axis {a} must be size 1, got {shape[a]}")
            resolved.append(a)
        for a in sorted(set(resolved), reverse=True):
            del new_shape[a]
    else:
        new_shape = [s for s in shape if s != 1]
    return tuple(new_shape) or (1,)


def expand_dims_shape(shape, axis):
    if not -len(shape) - 1 <= axis <= len(shape):
        raise MXNetError(f"expand_dims: axis {axis} is out of range for a "
                         f"{len(shape)}-d array")
    axis = axis % (len(shape) + 1)
    return tuple(shape[:axis]) + (1,) + tuple(shape[axis:])


def state_bytes(arr):
    """One array in MXNet's raw record layout (what ``__getstate__`` holds)."""
    from . import _params_format as fmt
    host = arr.asnumpy()
    ctx = arr.context
    rec = fmt.Record("default", host.shape, host.dtype, (host,),
                     (ctx.device_typeid, ctx.device_id))
    np_shape = host.ndim == 0
    return bytearray(b"".join(bytes(c) for c in fmt._encode_record(rec, np_shape, "array")))


def from_state_bytes(buf):
    """The NumPy data of a raw record written by MXNet (any device: loaded to the host)."""
    from . import _params_format as fmt
    reader = fmt._Reader(memoryview(bytes(buf)).cast("B"), "NDArray state")
    rec = fmt._read_record(reader, fmt._NP_SHAPE_GLOBAL)     # either shape layout
    if rec.stype != "default":
        raise MXNetError("NDArray state: only default storage can be restored here")
    return np.asarray(rec.parts[0], dtype=rec.dtype).reshape(rec.shape)


class _SharedBuffer:
    """Exposes a NumPy array's memory as writable while keeping the array alive."""

    def __init__(self, arr):
        self._arr = arr
        self.__array_interface__ = dict(arr.__array_interface__,
                                        data=(arr.ctypes.data, False))


def writable_alias(arr):
    """A writable array over ``arr``'s memory, even when ``arr`` is read-only."""
    return np.asarray(_SharedBuffer(arr))


class Capsule:
    """A bare DLPack capsule (MXNet's and torch's exchange object) as the object
    ``numpy.from_dlpack`` reads: the capsule describes host memory."""

    def __init__(self, capsule):
        self._capsule = capsule

    def __dlpack__(self, stream=None, **kwargs):
        return self._capsule

    def __dlpack_device__(self):
        return (1, 0)       # kDLCPU
