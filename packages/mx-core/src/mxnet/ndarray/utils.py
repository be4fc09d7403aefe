"""``mx.nd.save``/``load``/``load_frombuffer`` (MXNet's NDArray list files).

The byte layout lives in :mod:`._params_format`; this module turns NDArrays into
records and back, and does the file handling (atomic writes, clear errors).
"""
import os
import secrets
import stat

import numpy as np

from ..base import MXNetError
from ..context import cpu
from . import _params_format as _fmt
from .ndarray import _NP_SHAPE, NDArray, array

__all__ = ["save", "load", "load_frombuffer"]

_O_BINARY = getattr(os, "O_BINARY", 0)     # Windows


def _record_of(arr):
    """A :class:`_params_format.Record` for ``arr`` (data copied to the host)."""
    ctx = arr.context
    device = (ctx.device_typeid, ctx.device_id)
    if arr.stype == "default":
        host = arr.asnumpy()
        return _fmt.Record("default", host.shape, host.dtype, (host,), device)
    parts = arr._storage_parts()
    return _fmt.Record(arr.stype, arr.shape, np.dtype(arr.dtype), parts, device)


def _as_records(data):
    """``(record makers, names)`` from an NDArray, a list of them or a str->NDArray dict."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        names = list(data.keys())
        arrays = list(data.values())
        if any(not isinstance(k, str) for k in names) or \
                any(not isinstance(v, NDArray) for v in arrays):
            raise TypeError("save only accept dict str->NDArray or list of NDArray")
    elif isinstance(data, list):
        names, arrays = [], data
        if any(not isinstance(v, NDArray) for v in arrays):
            raise TypeError("save only accept dict str->NDArray or list of NDArray")
    else:
        raise ValueError("data needs to either be a NDArray, dict of str, NDArray pairs "
                         "or a list of NDarrays.")
    # each array is fetched from its device only when it is written
    return [lambda a=a: _record_of(a) for a in arrays], names


def _fspath(fname):
    try:
        path = os.fspath(fname)
    except TypeError:
        raise TypeError("fname required to be a string or os.PathLike, got "
                        f"{type(fname).__name__}") from None
    return os.fsdecode(path)


def save(fname, data):
    """Save an NDArray, a list of NDArrays or a dict of str -> NDArray to ``fname``.

    The file is MXNet 1.9.1's binary format, byte for byte; it is written to a
    temporary file in the same folder and renamed into place, so a failure never leaves
    a half-written file. With numpy shape semantics on (``mx.util.np_shape(True)``)
    the records are written in MXNet's numpy-shape (V3) form.

    Parameters
    ----------
    fname : str or os.PathLike
        The file to write.
    data : NDArray, list of NDArray or dict of str to NDArray
        The arrays to save.
    """
    path = _fspath(fname)
    records, names = _as_records(data)
    np_shape = _NP_SHAPE[0]
    try:
        _write_atomic(path, _fmt.iter_encode(records, names, np_shape))
    except OSError as err:
        raise MXNetError(f"save: cannot write {path!r}: {err.strerror or err}") from err


def _write_atomic(path, chunks):
    """Write ``chunks`` to a temporary file beside ``path``, then rename it into place."""
    path = os.path.realpath(path)          # through a symlink, as a plain open() writes
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)     # an overwritten file keeps its mode
    except OSError:
        mode = None
    folder, base = os.path.split(path)
    while True:
        tmp = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 filtered by the umask, as for any new file
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fout:
            for chunk in chunks:
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _to_ndarrays(records, names):
    from . import _sparse_ndarray
    ctx = cpu(0)
    arrays = []
    for rec in records:
        if rec.stype == "default":
            arrays.append(array(rec.parts[0], ctx=ctx, dtype=rec.dtype))
        else:
            arrays.append(_sparse_ndarray._from_parts(rec.stype, rec.shape, rec.dtype,
                                                      rec.parts, ctx))
    if names:
        return dict(zip(names, arrays))
    return arrays


def load(fname):
    """Load arrays saved by :func:`save` (or by MXNet) from ``fname``.

    Returns a list of NDArrays, or a dict of str -> NDArray when names were saved;
    the arrays are on ``cpu(0)``. A truncated, corrupt or hostile file raises
    MXNetError naming the file and the problem, without allocating more memory than
    the file holds.
    """
    path = _fspath(fname)
    try:
        with open(path, "rb") as fin:
            buf = fin.read()
    except OSError as err:
        raise MXNetError(f"load: cannot open {path!r}: {err.strerror or err}") from err
    return _to_ndarrays(*_fmt.decode(buf, repr(path), _NP_SHAPE[0]))


def load_frombuffer(buf):
    """Load arrays from the bytes of a file written by :func:`save` (see :func:`load`).

    ``buf`` is bytes-like (``bytes``, ``bytearray``, ``memoryview``) or a ``str`` whose
    code points are the bytes (each below 256).
    """
    if isinstance(buf, str):
        try:
            buf = buf.encode("latin-1")
        except UnicodeEncodeError:
            raise TypeError("load_frombuffer: a str buffer must hold bytes (code points "
                            "below 256)") from None
    try:
        view = memoryview(buf)
    except TypeError:
        raise TypeError(f"buf required to be a string or bytes, got "
                        f"{type(buf).__name__}") from None
    return _to_ndarrays(*_fmt.decode(view, "<buffer>", _NP_SHAPE[0]))
