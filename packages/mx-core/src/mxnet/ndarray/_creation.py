"""``array``, ``empty`` and ``waitall`` (re-exported by ``mxnet.ndarray.ndarray``)."""
import numpy as np

from .. import _dispatch
from ..base import integer_types
from ..context import current_context
from .ndarray import NDArray, _wrap


def _rebuild(data, ctx_str):
    return array(data, ctx=_dispatch._as_context(ctx_str), dtype=data.dtype)


def array(source_array, ctx=None, dtype=None):
    """An NDArray from any array-like; float32 unless ``dtype`` or an NDArray source says."""
    ctx = _dispatch._as_context(ctx) or current_context()
    if isinstance(source_array, NDArray):
        dtype = source_array._data.dtype if dtype is None else dtype
        source = source_array.asnumpy()
    else:
        dtype = np.float32 if dtype is None else dtype
        source = source_array
        if hasattr(source, "__cuda_array_interface__") or hasattr(source, "get"):
            source = source.get() if hasattr(source, "get") else source
    np_dtype = np.dtype(dtype)
    data = np.array(source, dtype=np_dtype)      # always a copy, as MXNet
    return _wrap(ctx.backend.asarray(data, np_dtype, ctx.device_id), ctx)


def empty(shape, ctx=None, dtype=None, stype=None):
    """An uninitialised array (zeros here: reading garbage helps nobody)."""
    if isinstance(shape, integer_types):
        shape = (shape,)
    ctx = _dispatch._as_context(ctx) or current_context()
    np_dtype = np.dtype(np.float32 if dtype is None else dtype)
    return _wrap(ctx.backend.xp.zeros(tuple(shape), dtype=np_dtype), ctx)


def waitall():
    """Wait until every backend finished its queued work."""
    from ..plugins._manager import get_registry
    reg = get_registry("backends")
    for name in reg.names():
        reg.get(name).synchronize(None)
