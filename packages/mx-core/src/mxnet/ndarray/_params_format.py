"""Binary codec of MXNet's NDArray list files (``mx.nd.save`` / ``.params``).

Layout (little-endian), as written by MXNet 1.9.1::

    uint64 0x112, uint64 0, uint64 n, n records, uint64 n_names, n_names x (uint64 len, utf-8)

    record: uint32 magic (V2 0xF993FAC9; V3 0xF993FACA under numpy shape semantics)
            int32 stype (0 dense, 1 row_sparse, 2 csr)
            [sparse: storage shape]  shape  int32 dev_type  int32 dev_id  int32 dtype flag
            [sparse: per aux array: int32 dtype flag, shape]
            data bytes  [sparse: aux bytes]
    shape:  int32 ndim, ndim x int64

Older files are read too: V1 (magic 0xF993FAC8, no stype) and the original layout
whose first uint32 is ndim, followed by uint32 dims.

The reader trusts nothing: every count and length is checked against the bytes left
before anything is allocated, and every problem raises MXNetError naming the source.
"""
import struct
from typing import NamedTuple

import numpy as np

from ..base import MXNetError
from . import _sparse_storage as _ss

__all__ = ["Record", "iter_encode", "decode", "DTYPE_FLAGS"]

LIST_MAGIC = 0x112
V1_MAGIC, V2_MAGIC, V3_MAGIC = 0xF993FAC8, 0xF993FAC9, 0xF993FACA
DTYPE_FLAGS = {"float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4,
               "int8": 5, "int64": 6, "bool": 7}
_FLAG_DTYPES = {v: np.dtype(k) for k, v in DTYPE_FLAGS.items()}
_STYPES = {0: "default", 1: "row_sparse", 2: "csr"}
_STYPE_IDS = {v: k for k, v in _STYPES.items()}
_DEV_TYPES = (1, 2, 3, 5)     # cpu, gpu, cpu_pinned, cpu_shared
_MAX_NDIM = 32                # NumPy's limit; MXNet never writes more
_LITTLE_ENDIAN = np.little_endian
_MIN_RECORD = 20              # smallest loadable record (original layout, shape (0,))
_V3_REFUSED = ("ndarray was saved in np shape semantics, must be loaded in the same "
               "semantics. Please turn on np shape semantics in Python using "
               "`with np_shape(True)` or decorator `use_np_shape` to scope the code of "
               "loading the ndarray.")
_V2_REFUSED = ("ndarray was not saved in np shape semantics, but being loaded in np shape "
               "semantics. Please turn off np shape semantics in Python using "
               "`with np_shape(False)` to scope the code of loading the ndarray.")
_NP_SHAPE_GLOBAL = 2          # set_np_shape(2): MXNet's "GlobalOn" level


class Record(NamedTuple):
    """One array of a file: host (NumPy) parts plus the device it was saved from."""
    stype: str          # 'default', 'row_sparse' or 'csr'
    shape: tuple        # the array's (dense) shape
    dtype: np.dtype
    parts: tuple        # (values,) dense; (values, aux...) sparse, in file order
    device: tuple = (1, 0)   # (dev_type, dev_id)


# -- writing -----------------------------------------------------------------------
def _shape_bytes(shape):
    return struct.pack(f"<i{len(shape)}q", len(shape), *shape)


def _flag(dtype, what):
    flag = DTYPE_FLAGS.get(np.dtype(dtype).name)
    if flag is None:
        raise MXNetError(f"save: {what} has dtype {np.dtype(dtype).name}, which the "
                         f".params format cannot store (supported: "
                         f"{', '.join(DTYPE_FLAGS)})")
    return flag


def _raw(arr):
    """Little-endian C-order bytes of ``arr`` as a memoryview (no copy when possible)."""
    arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
    return memoryview(arr.reshape(-1).view(np.uint8))


def _encode_record(rec, np_shape, what):
    if np_shape and rec.stype != "default":
        raise MXNetError(f"save: {what} has storage type {rec.stype}; only default "
                         f"storage can be saved under numpy shape semantics")
    if not np_shape and len(rec.shape) == 0:
        # MXNet 1.9.1 compat: it writes such a record as an unloadable "none" array
        raise MXNetError(f"save: {what} is 0-d; 0-d arrays can only be saved with "
                         f"numpy shape semantics on (mx.util.np_shape(True))")
    head = [struct.pack("<Ii", V3_MAGIC if np_shape else V2_MAGIC, _STYPE_IDS[rec.stype])]
    if rec.stype != "default":
        head.append(_shape_bytes(rec.parts[0].shape))
    head.append(_shape_bytes(rec.shape))
    head.append(struct.pack("<iii", rec.device[0], rec.device[1], _flag(rec.dtype, what)))
    for aux in rec.parts[1:]:
        head.append(struct.pack("<i", _flag(aux.dtype, what)) + _shape_bytes(aux.shape))
    yield b"".join(head)
    yield _raw(np.asarray(rec.parts[0], dtype=rec.dtype))
    for aux in rec.parts[1:]:
        yield _raw(aux)


def iter_encode(records, names, np_shape):
    """Yield the file's bytes in pieces (big arrays are not copied).

    ``records`` is a sequence of :class:`Record` or of callables returning one, so a
    caller can fetch each array's data only when it is written."""
    yield struct.pack("<QQQ", LIST_MAGIC, 0, len(records))
    for i, rec in enumerate(records):
        what = f"array {names[i]!r}" if names else f"array {i}"
        yield from _encode_record(rec() if callable(rec) else rec, np_shape, what)
    yield struct.pack("<Q", len(names))
    for name in names:
        raw = name.encode("utf-8")
        yield struct.pack("<Q", len(raw)) + raw


# -- reading -----------------------------------------------------------------------
class _Reader:
    __slots__ = ("buf", "pos", "source", "where")

    def __init__(self, buf, source):
        self.buf, self.pos, self.source, self.where = buf, 0, source, "header"

    def fail(self, msg):
        raise MXNetError(f"Invalid NDArray file format: {self.source}: {self.where}: "
                         f"{msg} (at byte offset {self.pos})")

    @property
    def left(self):
        return len(self.buf) - self.pos

    def take(self, n, what):
        if n > self.left:
            self.fail(f"{what} needs {n} bytes but only {self.left} remain "
                      f"(truncated or corrupt file)")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt, what):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))

    def shape(self, what, wide=True, ndim=None):
        if ndim is None:
            (ndim,) = self.unpack("<i", f"{what} ndim")
        if ndim < 0:
            self.fail(f"{what} is unknown (ndim {ndim}): an uninitialised array")
        if ndim > _MAX_NDIM:
            self.fail(f"{what} has ndim {ndim}, more than {_MAX_NDIM}")
        fmt = f"<{ndim}{'q' if wide else 'I'}"
        dims = self.unpack(fmt, f"{what} ({ndim} dims)")
        if any(d < 0 for d in dims):
            self.fail(f"{what} {tuple(dims)} has a negative (unknown) dimension")
        return tuple(int(d) for d in dims)

    def dtype(self, what):
        (flag,) = self.unpack("<i", what)
        if flag not in _FLAG_DTYPES:
            self.fail(f"unknown {what} flag {flag} (known: {sorted(_FLAG_DTYPES)})")
        return _FLAG_DTYPES[flag]

    def array(self, dtype, shape, what):
        count = 1
        for d in shape:
            count *= d
        raw = self.take(count * dtype.itemsize, f"{what} of shape {shape} {dtype.name}")
        try:
            out = np.empty(shape, dtype=dtype)
        except (ValueError, MemoryError) as err:
            self.fail(f"{what} of shape {shape} cannot be allocated: {err}")
        # a byte copy: the data may sit at any (unaligned) offset of the file
        out.reshape(-1).view(np.uint8)[:] = np.frombuffer(raw, dtype=np.uint8)
        if not _LITTLE_ENDIAN:
            out.byteswap(inplace=True)
        return out


def _read_record(r, np_shape):
    (magic,) = r.unpack("<I", "magic")
    if magic == V3_MAGIC and not np_shape:
        raise MXNetError(f"{r.source}: {_V3_REFUSED}")
    if magic not in (V2_MAGIC, V3_MAGIC):
        return _read_legacy(r, magic)
    (stype_id,) = r.unpack("<i", "storage type")
    stype = _STYPES.get(stype_id)
    if stype is None:
        r.fail(f"unknown storage type {stype_id}")
    sshape = r.shape("storage shape") if stype != "default" else None
    shape = r.shape("shape")
    if magic == V2_MAGIC and np_shape and np_shape != _NP_SHAPE_GLOBAL and 0 in shape:
        # MXNet 1.9.1 compat: it refuses every legacy-shape record under a scoped
        # np_shape(True); one with a 0 dimension is really ambiguous (0 meant "unknown"
        # before numpy shapes), so that one is refused here too
        raise MXNetError(f"{r.source}: {_V2_REFUSED}")
    if magic == V2_MAGIC and not shape:
        r.fail("the array has no shape (an uninitialised array was saved)")
    _device(r)
    dtype = r.dtype("dtype")
    aux = [(r.dtype(f"{n} dtype"), r.shape(f"{n} shape")) for n in _ss.AUX_NAMES.get(stype, ())]
    parts = (r.array(dtype, sshape if sshape is not None else shape, "data"),)
    parts += tuple(r.array(dt, s, f"aux {n}") for (dt, s), n in zip(aux, _ss.AUX_NAMES.get(
        stype, ())))
    if stype != "default":
        problem = _ss.validate(stype, shape, parts)
        if problem:
            r.fail(problem)
    return Record(stype, shape, dtype, parts)


def _device(r):
    dev_type, dev_id = r.unpack("<ii", "context")
    if dev_type not in _DEV_TYPES or dev_id < 0:
        r.fail(f"invalid context (dev_type {dev_type}, dev_id {dev_id})")


def _read_legacy(r, magic):
    """V1 (int64 dims after the magic) or the original layout (magic is ndim)."""
    if magic == V1_MAGIC:
        shape = r.shape("shape")
    elif magic <= _MAX_NDIM:
        shape = r.shape("shape", wide=False, ndim=magic)
    else:
        r.pos -= 4
        r.fail(f"bad magic 0x{magic:08X} (expected 0x{V2_MAGIC:08X} or 0x{V3_MAGIC:08X})")
    if not shape:
        r.fail("the array has no shape (an uninitialised array was saved)")
    _device(r)
    dtype = r.dtype("dtype")
    return Record("default", shape, dtype, (r.array(dtype, shape, "data"),))


def decode(buf, source="<buffer>", np_shape=False):
    """Parse a whole file: ``(records, names)``; ``names`` is empty for a list."""
    r = _Reader(memoryview(buf).cast("B"), source)
    magic, _reserved, count = r.unpack("<QQQ", "file header")
    if magic != LIST_MAGIC:
        r.pos = 0
        r.fail(f"bad file magic 0x{magic:X} (expected 0x{LIST_MAGIC:X}): not an NDArray "
               f"list file")
    if count > r.left // _MIN_RECORD:
        r.fail(f"the header claims {count} arrays but only {r.left} bytes follow")
    records = []
    for i in range(count):
        r.where = f"array {i}"
        records.append(_read_record(r, np_shape))
    r.where = "names"
    (n_names,) = r.unpack("<Q", "name count")
    if n_names not in (0, count):
        r.fail(f"{n_names} names for {count} arrays")
    names = []
    for i in range(n_names):
        (length,) = r.unpack("<Q", f"length of name {i}")
        raw = r.take(length, f"name {i}")
        try:
            names.append(bytes(raw).decode("utf-8"))
        except UnicodeDecodeError as err:
            r.fail(f"name {i} is not valid UTF-8 ({err.reason})")
    if r.left:
        r.fail(f"{r.left} unexpected trailing bytes after the names")
    return records, names
