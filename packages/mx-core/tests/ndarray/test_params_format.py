"""``mx.nd.save`` / ``load`` / ``load_frombuffer`` against MXNet 1.9.1's golden files."""
import hashlib
import json
import os
import pathlib
import struct

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "params"
MANIFEST = json.loads((DATA / "MANIFEST.json").read_text())["files"]
GOLDEN = sorted(p[:-len(".params")] for p in MANIFEST if p.endswith(".params"))
DTYPES = ["float32", "float64", "float16", "uint8", "int8", "int32", "int64", "bool"]
V2, V3 = 0xF993FAC9, 0xF993FACA
HEADER = struct.pack("<QQ", 0x112, 0)


def _np_mode(name):
    return name.startswith("np_")


def _expected(name):
    """(names, [(stype, dense, components)]) from the fixture's npz."""
    z = np.load(DATA / f"{name}.npz")
    names = [str(n) for n in z["__names__"]]
    stypes = [str(s) for s in z["__stypes__"]] if "__stypes__" in z.files \
        else ["default"] * int(z["__count__"])
    keys = names or (["rsp", "csr"] if name == "sparse_list" else [])
    entries = []
    for i, stype in enumerate(stypes):
        comps = {}
        if stype != "default":
            comps = {c: z[f"{keys[i]}.{c}"] for c in ("data", "indices", "indptr")
                     if f"{keys[i]}.{c}" in z.files}
        entries.append((stype, z[f"arr_{i:03d}"], comps))
    return names, entries


def _load(name):
    with mx.util.np_shape(_np_mode(name)):
        return mx.nd.load(str(DATA / f"{name}.params"))


def _same(actual, expected):
    """Bit-exact equality of an NDArray's value with a NumPy array."""
    got = actual.asnumpy()
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()


def _sha(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("fname", sorted(MANIFEST))
def test_fixture_copies_are_intact(fname):
    assert _sha(DATA / fname) == MANIFEST[fname]["sha256"]


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_file_loads(name):
    names, entries = _expected(name)
    loaded = _load(name)
    if names:
        assert isinstance(loaded, dict)
        assert list(loaded) == names          # file order kept
        arrays = list(loaded.values())
    else:
        assert isinstance(loaded, list)
        arrays = loaded
    assert len(arrays) == len(entries)
    for arr, (stype, dense, comps) in zip(arrays, entries):
        assert arr.stype == stype
        assert arr.context == mx.cpu(0)
        assert np.dtype(arr.dtype) == dense.dtype
        assert arr.shape == dense.shape
        _same(arr, dense)
        for comp, value in comps.items():
            _same(getattr(arr, comp), value)


def _build(stype, dense, comps):
    if stype == "row_sparse":
        return mx.nd.sparse.row_sparse_array((comps["data"], comps["indices"]),
                                             shape=dense.shape, dtype=dense.dtype)
    if stype == "csr":
        return mx.nd.sparse.csr_matrix((comps["data"], comps["indices"], comps["indptr"]),
                                       shape=dense.shape, dtype=dense.dtype)
    return mx.nd.array(dense, dtype=dense.dtype)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_file_written_byte_identical(name, tmp_path):
    names, entries = _expected(name)
    arrays = [_build(*e) for e in entries]
    data = dict(zip(names, arrays)) if names else arrays
    if name == "empty_dict":
        data = {}
    out = tmp_path / f"{name}.params"
    with mx.util.np_shape(_np_mode(name)):
        mx.nd.save(out, data)
    assert _sha(out) == MANIFEST[f"{name}.params"]["sha256"]


@pytest.mark.parametrize("name", GOLDEN)
def test_load_then_save_reproduces_file(name, tmp_path):
    loaded = _load(name)
    out = tmp_path / "again.params"
    with mx.util.np_shape(_np_mode(name)):
        mx.nd.save(str(out), loaded if loaded or name != "empty_dict" else {})
    assert out.read_bytes() == (DATA / f"{name}.params").read_bytes()


def test_single_array_is_saved_as_a_list(tmp_path):
    mx.nd.save(tmp_path / "one.params", mx.nd.array([3.0]))
    assert _sha(tmp_path / "one.params") == MANIFEST["single_array.params"]["sha256"]


def test_annotated_hex_dumps():
    fmt = json.loads((DATA / "FORMAT.json").read_text())
    for path, hexdump in fmt["hex_dumps"].items():
        name = pathlib.Path(path).name
        assert (DATA / name).read_bytes().hex() == hexdump
    assert mx.nd.load_frombuffer(bytes.fromhex(fmt["hex_dumps"]["params/tiny_dict.params"]))[
        "a"].asnumpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("np_shape", [False, True])
def test_round_trip_every_dtype(dtype, np_shape, tmp_path):
    rng = np.random.default_rng(DTYPES.index(dtype))
    shapes = [(1,), (5,), (2, 3), (2, 0), (3, 1, 2, 1, 2)] + ([()] if np_shape else [])
    values = [(rng.standard_normal(s) * 100).astype(dtype) for s in shapes]
    data = {f"p{i}": mx.nd.array(v, dtype=dtype) for i, v in enumerate(values)}
    with mx.util.np_shape(np_shape):
        mx.nd.save(tmp_path / "rt.params", data)
        back = mx.nd.load(tmp_path / "rt.params")
        listed = mx.nd.load_frombuffer((tmp_path / "rt.params").read_bytes())
    assert list(back) == list(data)
    for v, got in zip(values, back.values()):
        _same(got, v)
    assert isinstance(listed, dict) and list(listed) == list(data)
    magic = struct.unpack_from("<I", (tmp_path / "rt.params").read_bytes(), 24)[0]
    assert magic == (V3 if np_shape else V2)


def test_np_shape_files_need_np_shape():
    with pytest.raises(MXNetError, match="np_list.params.*saved in np shape semantics"):
        mx.nd.load(DATA / "np_list.params")
    with pytest.raises(MXNetError, match="must be loaded in the same semantics"):
        mx.nd.load_frombuffer((DATA / "np_dict.params").read_bytes())
    mx.npx.set_np()
    try:
        assert mx.nd.load(DATA / "np_dict.params")["scalar"].shape == ()
    finally:
        mx.npx.reset_np()


def test_legacy_file_loads_under_np_shape():
    # MXNet 1.9.1 refuses this unless np shape is global; a V2 record means the same
    # under both semantics, so it is accepted here
    with mx.util.np_shape(True):
        assert mx.nd.load(DATA / "tiny_dict.params")["a"].asnumpy().tolist() == [1, 2]


def test_save_errors(tmp_path):
    f = tmp_path / "x.params"
    with pytest.raises(TypeError):
        mx.nd.save(f, {"a": 1})
    with pytest.raises(TypeError):
        mx.nd.save(f, {1: mx.nd.ones(1)})
    with pytest.raises(TypeError):
        mx.nd.save(f, [mx.nd.ones(1), np.ones(1)])
    with pytest.raises(ValueError):
        mx.nd.save(f, (mx.nd.ones(1),))
    with pytest.raises(TypeError):
        mx.nd.save(123, [])
    with mx.util.np_shape(True):
        scalar = mx.nd.array(np.float32(2.0))
        with pytest.raises(MXNetError, match="default storage"):
            mx.nd.save(f, [mx.nd.sparse.zeros("row_sparse", (2, 2))])
    assert scalar.shape == ()
    with pytest.raises(MXNetError, match="0-d"):
        mx.nd.save(f, [scalar])
    with pytest.raises(MXNetError, match="cannot write"):
        mx.nd.save(tmp_path / "no" / "such" / "dir.params", [mx.nd.ones(1)])
    assert os.listdir(tmp_path) == []


def test_saved_context_and_views():
    # bytes observed from MXNet 1.9.1: the record keeps the array's device
    def saved(arr):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            mx.nd.save(os.path.join(d, "c.params"), [arr])
            return pathlib.Path(d, "c.params").read_bytes().hex()
    head = "120100000000000000000000000000000100000000000000c9fa93f900000000"
    assert saved(mx.nd.array([3], ctx=mx.cpu_pinned(0))) == head + (
        "010000000100000000000000030000000000000000000000000040400000000000000000")
    view = mx.nd.arange(12).reshape((3, 4))[1:2]
    assert saved(view) == head + (
        "0200000001000000000000000400000000000000010000000000000000000000"
        "000080400000a0400000c0400000e0400000000000000000")


def test_load_arguments(tmp_path):
    raw = (DATA / "tiny_dict.params").read_bytes()
    for buf in (raw, bytearray(raw), memoryview(raw), raw.decode("latin-1")):
        assert mx.nd.load_frombuffer(buf)["a"].asnumpy().tolist() == [1.0, 2.0]
    with pytest.raises(TypeError):
        mx.nd.load_frombuffer(12)
    with pytest.raises(TypeError):
        mx.nd.load(12)
    with pytest.raises(MXNetError, match="missing.params"):
        mx.nd.load(tmp_path / "missing.params")


def test_legacy_layouts_load():
    # the two layouts older MXNet versions wrote; MXNet 1.9.1 reads both
    body = struct.pack("<iii", 1, 0, 0) + np.arange(6, dtype="f4").tobytes()
    v0 = struct.pack("<III", 2, 2, 3) + body
    v1 = struct.pack("<IIqq", 0xF993FAC8, 2, 2, 3) + body
    for rec in (v0, v1):
        buf = HEADER + struct.pack("<Q", 1) + rec + struct.pack("<Q", 0)
        _same(mx.nd.load_frombuffer(buf)[0], np.arange(6, dtype="f4").reshape(2, 3))
