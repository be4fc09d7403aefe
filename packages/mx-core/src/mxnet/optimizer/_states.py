"""Optimizer-state files: MXNet 1.9.1's pickle format, read without running foreign code.

MXNet's ``Updater.get_states`` pickles ``states`` (a dict index -> None, NDArray or a
tuple of them), or ``(states, optimizer)``; an NDArray pickles as
``mxnet.ndarray.ndarray.NDArray`` with the state ``{'handle': <raw bytes>}``, the raw
bytes being one dense array in NDArray's binary record (magic 0xF993FAC9). ``dumps``
writes exactly that, so real MXNet reads our ``.states`` files, and ``loads`` reads
theirs.

# MXNet 1.9.1 compat: the format is a pickle. ``loads`` therefore uses an Unpickler that
resolves only a fixed allow-list of globals (containers, NumPy scalars and arrays, our
optimizer and lr-scheduler classes, the NDArray record), so a crafted file cannot
import or call anything else.
"""
import io
import math
import pickle
import struct

import numpy as np

from ..base import MXNetError
from ..context import cpu

__all__ = ["dumps", "loads", "encode_ndarray", "decode_ndarray"]

_MAGICS = (0xF993FAC9, 0xF993FACA)     # V2 (legacy shapes), V3 (numpy shapes)
_FLAGS = {0: "float32", 1: "float64", 2: "float16", 3: "uint8", 4: "int32", 5: "int8",
          6: "int64", 7: "bool"}
_FLAG_OF = {np.dtype(v): k for k, v in _FLAGS.items()}
_DEV_TYPE = {"cpu": 1, "gpu": 2, "cpu_pinned": 3}


def encode_ndarray(arr):
    """One dense NDArray as MXNet's raw record (``MXNDArraySaveRawBytes``)."""
    data = np.ascontiguousarray(arr.asnumpy())
    flag = _FLAG_OF.get(data.dtype)
    if flag is None:
        raise MXNetError(f"optimizer states: cannot save dtype {data.dtype}")
    ctx = arr.context
    head = struct.pack("<IiI", _MAGICS[0], 0, data.ndim)
    head += struct.pack(f"<{data.ndim}q", *data.shape)
    head += struct.pack("<iii", _DEV_TYPE.get(ctx.device_type, 1), ctx.device_id, flag)
    return head + data.astype(data.dtype.newbyteorder("<"), copy=False).tobytes()


def decode_ndarray(raw):
    """The NDArray (on cpu) of one raw record; every length is checked first."""
    from ..ndarray import array
    raw = bytes(raw)

    def take(fmt, pos):
        size = struct.calcsize(fmt)
        if pos + size > len(raw):
            raise MXNetError(f"optimizer states: NDArray record truncated at byte {pos} "
                             f"({len(raw)} bytes)")
        return struct.unpack_from(fmt, raw, pos), pos + size

    (magic, stype, ndim), pos = take("<IiI", 0)
    if magic not in _MAGICS:
        raise MXNetError(f"optimizer states: bad NDArray magic {magic:#x}")
    if stype != 0:
        raise MXNetError(f"optimizer states: sparse state arrays (stype {stype}) are not "
                         "supported")
    if ndim > 32:
        raise MXNetError(f"optimizer states: NDArray with {ndim} dimensions")
    shape, pos = take(f"<{ndim}q", pos)
    (_dev_type, _dev_id, flag), pos = take("<iii", pos)
    if flag not in _FLAGS or any(s < 0 for s in shape):
        raise MXNetError(f"optimizer states: bad NDArray record (dtype flag {flag}, "
                         f"shape {shape})")
    dtype = np.dtype(_FLAGS[flag]).newbyteorder("<")
    nbytes = math.prod(shape) * dtype.itemsize      # Python ints: no overflow
    if pos + nbytes != len(raw):
        raise MXNetError(f"optimizer states: NDArray record of shape {shape} needs "
                         f"{nbytes} data bytes, has {len(raw) - pos}")
    data = np.frombuffer(raw, dtype=dtype, offset=pos, count=nbytes // dtype.itemsize)
    return array(data.reshape(shape).astype(dtype.newbyteorder("=")), ctx=cpu(),
                 dtype=_FLAGS[flag])


class _NDArrayRecord:
    """Stands for ``mxnet.ndarray.ndarray.NDArray`` while unpickling; replaced afterwards."""

    def __init__(self, *_):
        self.value = None

    def __setstate__(self, state):
        if not isinstance(state, dict) or "handle" not in state:
            raise MXNetError("optimizer states: an NDArray without its 'handle' bytes")
        self.value = decode_ndarray(state["handle"])


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        from ..ndarray import NDArray
        if isinstance(obj, NDArray):
            return (NDArray, (None,), {"handle": bytearray(encode_ndarray(obj))})
        return NotImplemented


def dumps(obj):
    buf = io.BytesIO()
    _Pickler(buf, protocol=4).dump(obj)
    return buf.getvalue()


_BUILTINS = {"tuple", "list", "dict", "set", "frozenset", "bytearray", "bytes", "complex",
             "float", "int", "str", "bool", "slice"}
_NUMPY = {("numpy", "dtype"), ("numpy", "ndarray"), ("numpy.core.multiarray", "scalar"),
          ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "_reconstruct"),
          ("numpy._core.multiarray", "_reconstruct")}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "builtins" and name in _BUILTINS:
            return super().find_class(module, name)
        if (module, name) in _NUMPY or module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        if module == "mxnet.ndarray.ndarray" and name == "NDArray":
            return _NDArrayRecord
        if module == "mxnet.ndarray.ndarray" and name == "_rebuild":
            return super().find_class(module, name)
        klass = _mxnet_class(module, name)
        if klass is not None:
            return klass
        raise pickle.UnpicklingError(f"optimizer states: refusing to load global "
                                     f"{module}.{name} (not an optimizer state type)")


def _mxnet_class(module, name):
    """Our Optimizer / LRScheduler subclass for a pickled ``module.name``, else None."""
    from .. import lr_scheduler
    from .optimizer import Optimizer
    if module == "mxnet.lr_scheduler":
        klass = getattr(lr_scheduler, name, None)
        base = lr_scheduler.LRScheduler
    elif module.startswith("mxnet.optimizer"):
        klass = Optimizer.opt_registry.get(name.lower())
        base = Optimizer
    else:
        return None
    return klass if isinstance(klass, type) and issubclass(klass, base) else None


def loads(data):
    """Unpickle a states blob (ours or real MXNet's) with the allow-list above."""
    try:
        obj = _Unpickler(io.BytesIO(bytes(data))).load()
    except MXNetError:
        raise
    except Exception as err:        # any malformed pickle: one clear error type
        raise MXNetError(f"optimizer states: cannot read the states data: {err}") from err
    return _resolve(obj)


def _resolve(obj, seen=None):
    """Swap every NDArray record for its NDArray, in place (shared dicts stay shared)."""
    from .optimizer import Optimizer
    seen = set() if seen is None else seen
    if isinstance(obj, _NDArrayRecord):
        return obj.value
    if isinstance(obj, tuple):
        return type(obj)(_resolve(v, seen) for v in obj)
    if id(obj) in seen:
        return obj
    if isinstance(obj, (dict, list)):
        seen.add(id(obj))
        keys = obj.keys() if isinstance(obj, dict) else range(len(obj))
        for key in list(keys):
            obj[key] = _resolve(obj[key], seen)
    elif isinstance(obj, Optimizer):
        seen.add(id(obj))
        _resolve(vars(obj), seen)
    return obj
