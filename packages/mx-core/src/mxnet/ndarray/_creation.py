"""``array``, ``empty`` and ``waitall`` (re-exported by ``mxnet.ndarray.ndarray``)."""
import numpy as np

from .. import _dispatch
from .. import _pending_errors as _pending
from ..base import integer_types
from ..context import current_context
from .ndarray import NDArray, _wrap


def _rebuild(data, ctx_str):
    return array(data, ctx=_dispatch._as_context(ctx_str), dtype=data.dtype)


def array(source_array, ctx=None, dtype=None):
    """An NDArray from any array-like; float32 unless ``dtype`` or an NDArray source says."""
    ctx = _dispatch._as_context(ctx) or current_context()
    if type(source_array).__module__.startswith("scipy.sparse"):
        from . import sparse     # MXNet 1.9.1: a scipy sparse matrix gives a CSRNDArray
        return sparse.array(source_array, ctx=ctx, dtype=dtype)
    if isinstance(source_array, NDArray) and source_array.stype != "default":
        return source_array.astype(source_array.dtype if dtype is None else dtype,
                                   copy=True).copyto(ctx)
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
    """An uninitialised array (zeros here: reading garbage helps nobody); ``stype``
    'row_sparse' or 'csr' gives a sparse one."""
    if stype not in (None, "default"):
        from . import sparse
        return sparse.empty(stype, shape, ctx=ctx, dtype=dtype)
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
    _pending.raise_any()
