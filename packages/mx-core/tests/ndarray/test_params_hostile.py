"""Truncated, corrupt and hostile ``.params`` input, and atomic saving."""
import os
import pathlib
import stat
import struct
import tracemalloc

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "params"
GOLDEN = sorted(p.stem for p in DATA.glob("*.params"))
V2, V3 = 0xF993FAC9, 0xF993FACA
CPU = struct.pack("<ii", 1, 0)


def _raw(name):
    return (DATA / f"{name}.params").read_bytes()


def _load(buf, np_shape=False):
    # numpy shape semantics at MXNet's global level (2), where V2 records load too and
    # their headers are parsed
    with mx.util.np_shape(2 if np_shape else False):
        return mx.nd.load_frombuffer(buf)


def _file(records, names=()):
    out = struct.pack("<QQQ", 0x112, 0, len(records)) + b"".join(records)
    out += struct.pack("<Q", len(names))
    return out + b"".join(struct.pack("<Q", len(n)) + n for n in names)


def _dense(shape, flag=0, payload=b"", magic=V2, ndim=None, ctx=CPU):
    ndim = len(shape) if ndim is None else ndim
    return (struct.pack("<Iii", magic, 0, ndim) + struct.pack(f"<{len(shape)}q", *shape)
            + ctx + struct.pack("<i", flag) + payload)


def _offsets(n):
    if n <= 800:
        return range(n)
    return sorted(set(range(0, 400)) | set(range(n - 400, n)) | set(range(0, n, n // 300)))


@pytest.mark.parametrize("name", GOLDEN)
def test_every_truncation_raises(name):
    raw, np_shape = _raw(name), name.startswith("np_")
    for cut in _offsets(len(raw)):
        with pytest.raises(MXNetError, match="<buffer>"):
            _load(raw[:cut], np_shape)


@pytest.mark.parametrize("name", ["tiny_dict", "sparse_list", "np_list", "dict_mixed"])
def test_flipping_any_byte_raises_or_loads(name):
    raw, np_shape = _raw(name), name.startswith("np_")
    for pos in range(len(raw)):
        bad = bytearray(raw)
        bad[pos] ^= 0xFF
        try:
            _load(bytes(bad), np_shape)
        except MXNetError:
            pass


def test_trailing_garbage():
    with pytest.raises(MXNetError, match="2 unexpected trailing bytes"):
        _load(_raw("tiny_dict") + b"xx")


def test_bad_magics():
    raw = _raw("tiny_dict")
    with pytest.raises(MXNetError, match="bad file magic 0x113"):
        _load(b"\x13" + raw[1:])
    bad = raw[:24] + struct.pack("<I", 0xDEADBEEF) + raw[28:]
    with pytest.raises(MXNetError, match="array 0: bad magic 0xDEADBEEF"):
        _load(bad)
    # a V3 magic in a file loaded without numpy shape semantics
    with pytest.raises(MXNetError, match="np shape semantics"):
        _load(raw[:24] + struct.pack("<I", V3) + raw[28:])


@pytest.mark.parametrize("buf, message", [
    (struct.pack("<QQQ", 0x112, 0, 2 ** 64 - 1), "claims 18446744073709551615 arrays"),
    (_file([_dense((2,), payload=b"\0" * 8)], [b"a", b"b"]), "2 names for 1 arrays"),
    (_file([_dense((2,), payload=b"\0" * 8)])[:-8] + struct.pack("<QQ", 1, 2 ** 62),
     "name 0 needs 4611686018427387904 bytes"),
    (_file([_dense((2,), payload=b"\0" * 8)], [b"\xff\xfe"]), "not valid UTF-8"),
    (_file([_dense((), ndim=0x7FFFFFFF)]), "ndim 2147483647"),
    (_file([_dense((2 ** 62, 2 ** 62))]), "data of shape .* needs"),
    (_file([_dense((2 ** 40,), payload=b"\0" * 64)]), "needs 4398046511104 bytes"),
    (_file([_dense((0, 2 ** 62, 2 ** 62), payload=b"")]), "cannot be allocated"),
    (_file([_dense((2,), flag=99, payload=b"\0" * 8)]), "unknown dtype flag 99"),
    (_file([_dense((-2,), payload=b"\0" * 8)]), "negative"),
    (_file([_dense((), payload=b"")]), "no shape"),
    (_file([_dense((), magic=V3, ndim=-1)]), "unknown .ndim -1"),
    (_file([_dense((2,), payload=b"\0" * 8, ctx=struct.pack("<ii", 77, 0))]),
     "invalid context"),
    (_file([struct.pack("<Iii", V2, 7, 1)]), "unknown storage type 7"),
])
def test_hostile_headers_raise(buf, message):
    with pytest.raises(MXNetError, match=message):
        _load(buf, np_shape=True)


def _rsp(indices, rows=3, cols=2, aux_flag=6):
    n = len(indices)
    return (struct.pack("<Iii", V2, 1, 2) + struct.pack("<qq", n, cols)
            + struct.pack("<iqq", 2, rows, cols) + CPU + struct.pack("<i", 0)
            + struct.pack("<iiq", aux_flag, 1, n) + np.ones((n, cols), "f4").tobytes()
            + np.asarray(indices, "i8" if aux_flag == 6 else "f8").tobytes())


def _csr(indptr, indices, rows=2, cols=3):
    nnz = len(indices)
    return (struct.pack("<Iii", V2, 2, 1) + struct.pack("<q", nnz)
            + struct.pack("<iqq", 2, rows, cols) + CPU + struct.pack("<i", 0)
            + struct.pack("<iiq", 6, 1, len(indptr)) + struct.pack("<iiq", 6, 1, nnz)
            + np.ones(nnz, "f4").tobytes() + np.asarray(indptr, "i8").tobytes()
            + np.asarray(indices, "i8").tobytes())


@pytest.mark.parametrize("record, message", [
    (_rsp([0, 3]), r"row_sparse indices must lie in \[0, 3\)"),
    (_rsp([-1]), "row_sparse indices must lie"),
    (_rsp([1.0], aux_flag=1), "must be integers"),
    (_csr([0, 2, 1], [0, 1]), "indptr must rise"),
    (_csr([0, 1, 2], [0, 5]), r"csr indices must lie in \[0, 3\)"),
    (_csr([0, 2], [0, 1]), "indptr has 2 entries, expected 3"),
])
def test_inconsistent_sparse_records_raise(record, message):
    _load(_file([_rsp([0, 2]), _csr([0, 1, 2], [0, 2])]))   # the valid forms load
    with pytest.raises(MXNetError, match=message):
        _load(_file([record]))


def test_hostile_input_allocates_little():
    small = _file([_dense((2 ** 31, 2 ** 31), payload=b"\0" * 64)])
    tracemalloc.start()
    try:
        for buf in (small, struct.pack("<QQQ", 0x112, 0, 2 ** 63), small[:-3]):
            with pytest.raises(MXNetError):
                _load(buf)
        # a row_sparse array claiming 2**40 rows loads without a dense copy
        huge = _load(_file([_rsp([5], rows=2 ** 40)]))[0]
        assert huge.shape == (2 ** 40, 2) and huge.indices.asnumpy().tolist() == [5]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


class _Exploding(mx.nd.NDArray):
    """An array whose data cannot be fetched (a device failing mid-save)."""
    __slots__ = ()

    def asnumpy(self):
        raise RuntimeError("device lost")


def test_failed_save_leaves_no_file(tmp_path):
    target = tmp_path / "model.params"
    good = mx.nd.ones((1000,))
    with pytest.raises(RuntimeError, match="device lost"):
        mx.nd.save(target, [good, _Exploding(np.zeros(3, "f4"))])
    assert os.listdir(tmp_path) == []
    mx.nd.save(target, {"w": good})
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        mx.nd.save(target, {"w": good, "x": _Exploding(np.zeros(3, "f4"))})
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.params"]


def test_saved_file_mode_follows_umask(tmp_path):
    mask = os.umask(0o022)
    try:
        mx.nd.save(tmp_path / "m.params", [mx.nd.ones(2)])
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "m.params").stat().st_mode) == 0o644


def test_overwrite_keeps_mode_and_follows_symlinks(tmp_path):
    real = tmp_path / "real.params"
    mx.nd.save(real, [mx.nd.ones(1)])
    os.chmod(real, 0o600)
    link = tmp_path / "link.params"
    link.symlink_to(real)
    mx.nd.save(link, {"w": mx.nd.zeros(2)})
    assert link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert list(mx.nd.load(real)) == ["w"]
    assert sorted(os.listdir(tmp_path)) == ["link.params", "real.params"]


def test_unsupported_dtype_is_refused(tmp_path):
    with pytest.raises(MXNetError, match="int16.*cannot store"):
        mx.nd.save(tmp_path / "i16.params", {"w": mx.nd.ones(2), "x": mx.nd.ones(2, dtype="int16")})
    assert os.listdir(tmp_path) == []
