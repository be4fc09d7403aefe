"""mx.recordio: byte-for-byte against files written by MXNet 1.9.1, and hostile files."""
import json
import pathlib
import pickle
import shutil
import struct

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent / "data" / "io"
GOLDEN = json.loads((DATA / "recordio.json").read_text())
MAGIC = struct.pack("<I", 0xCED7230A)


def _records(name):
    return [bytes.fromhex(h) for h in GOLDEN[name]["records_hex"]]


def _read_all(reader):
    out = []
    while (rec := reader.read()) is not None:
        out.append(rec)
    return out


def test_read_plain_file_written_by_mxnet():
    reader = mx.recordio.MXRecordIO(str(DATA / "plain.rec"), "r")
    assert _read_all(reader) == _records("plain.rec")
    assert reader.read() is None
    reader.reset()
    assert reader.read() == b"hello"
    reader.close()


def test_write_plain_file_byte_for_byte(tmp_path):
    path = tmp_path / "out.rec"
    writer = mx.recordio.MXRecordIO(str(path), "w")
    for rec in _records("plain.rec"):
        writer.write(rec)
    writer.close()
    assert path.read_bytes() == (DATA / "plain.rec").read_bytes()
    assert path.stat().st_size == GOLDEN["plain.rec"]["file_bytes"]


@pytest.mark.parametrize("name", ["indexed", "packed"])
def test_indexed_read_and_write_byte_for_byte(tmp_path, name):
    golden = GOLDEN[f"{name}.rec"]
    reader = mx.recordio.MXIndexedRecordIO(str(DATA / f"{name}.idx"), str(DATA / f"{name}.rec"),
                                           "r")
    keys = golden.get("keys_in_write_order", list(range(len(golden["records_hex"]))))
    assert reader.keys == keys
    records = _records(f"{name}.rec")
    for key, rec in reversed(list(zip(keys, records))):
        assert reader.read_idx(key) == rec
    reader.close()
    writer = mx.recordio.MXIndexedRecordIO(str(tmp_path / "o.idx"), str(tmp_path / "o.rec"), "w")
    for key, rec in zip(keys, records):
        writer.write_idx(key, rec)
    writer.close()
    assert (tmp_path / "o.rec").read_bytes() == (DATA / f"{name}.rec").read_bytes()
    assert (tmp_path / "o.idx").read_text() == golden["idx_text"]


def test_pack_unpack_golden():
    for rec, expect in zip(_records("packed.rec"), GOLDEN["packed.rec"]["unpacked"]):
        header, payload = mx.recordio.unpack(rec)
        assert payload.hex() == expect["payload_hex"]
        assert (header.flag, header.id, header.id2) == (expect["flag"], expect["id"],
                                                        expect["id2"])
        np.testing.assert_array_equal(header.label, expect["label"])
        label = expect["label"]
        again = mx.recordio.pack(mx.recordio.IRHeader(0, label, expect["id"], expect["id2"]),
                                 payload)
        assert again == rec


def test_magic_inside_payload_round_trips(tmp_path):
    path = str(tmp_path / "m.rec")
    payloads = [MAGIC, MAGIC * 3, b"ab" + MAGIC + b"cd", b"abcd" + MAGIC, MAGIC + b"x",
                b"x" * 7 + MAGIC + MAGIC[:2]]
    writer = mx.recordio.MXRecordIO(path, "w")
    for p in payloads:
        writer.write(p)
    writer.close()
    assert _read_all(mx.recordio.MXRecordIO(path, "r")) == payloads
    assert pathlib.Path(path).stat().st_size % 4 == 0


def test_pickle_reopens(tmp_path):
    reader = mx.recordio.MXIndexedRecordIO(str(DATA / "indexed.idx"), str(DATA / "indexed.rec"),
                                           "r")
    reader.read_idx(10)
    clone = pickle.loads(pickle.dumps(reader))
    assert clone.read_idx(0) == b"rec-zero"
    assert clone.keys == reader.keys
    closed = mx.recordio.MXRecordIO(str(DATA / "plain.rec"), "r")
    closed.close()
    assert pickle.loads(pickle.dumps(closed)).is_open is False


def _copy(tmp_path, name, data=None):
    path = tmp_path / name
    if data is None:
        shutil.copy(DATA / name, path)
    else:
        path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("cut", [3, 9, 14, 1135])
def test_truncated_file_raises_with_offset(tmp_path, cut):
    data = (DATA / "plain.rec").read_bytes()[:cut]
    reader = mx.recordio.MXRecordIO(_copy(tmp_path, "t.rec", data), "r")
    with pytest.raises(MXNetError, match=r"t\.rec.*offset \d+"):
        _read_all(reader)


def test_wrong_magic_and_bad_flags(tmp_path):
    data = bytearray((DATA / "plain.rec").read_bytes())
    data[0] ^= 0xFF
    reader = mx.recordio.MXRecordIO(_copy(tmp_path, "m.rec", bytes(data)), "r")
    with pytest.raises(MXNetError, match="offset 0: bad magic"):
        reader.read()
    lone_middle = MAGIC + struct.pack("<I", (2 << 29) | 4) + b"abcd"
    reader = mx.recordio.MXRecordIO(_copy(tmp_path, "f.rec", lone_middle), "r")
    with pytest.raises(MXNetError, match="continuation flag 2"):
        reader.read()
    huge = MAGIC + struct.pack("<I", (1 << 29) - 1)
    reader = mx.recordio.MXRecordIO(_copy(tmp_path, "h.rec", huge), "r")
    with pytest.raises(MXNetError, match="past the end"):
        reader.read()
    unfinished = MAGIC + struct.pack("<I", (1 << 29) | 4) + b"abcd"
    reader = mx.recordio.MXRecordIO(_copy(tmp_path, "u.rec", unfinished), "r")
    with pytest.raises(MXNetError, match="offset 12"):
        reader.read()


def test_bad_index_files(tmp_path):
    rec = _copy(tmp_path, "indexed.rec")
    idx = tmp_path / "bad.idx"
    idx.write_text("0\t0\n1\t4000\n")
    with pytest.raises(MXNetError, match=r"bad\.idx' line 2: offset 4000"):
        mx.recordio.MXIndexedRecordIO(str(idx), rec, "r")
    idx.write_text("0\t0\nnot-a-line\n")
    with pytest.raises(MXNetError, match="line 2"):
        mx.recordio.MXIndexedRecordIO(str(idx), rec, "r")
    idx.write_text("0\t4\n")        # inside a record: no magic there
    reader = mx.recordio.MXIndexedRecordIO(str(idx), rec, "r")
    with pytest.raises(MXNetError, match="offset 4"):
        reader.read_idx(0)
    with pytest.raises(MXNetError, match="cannot open"):
        mx.recordio.MXRecordIO(str(tmp_path / "missing.rec"), "r")


def test_unpack_rejects_short_records():
    with pytest.raises(MXNetError, match="24-byte header"):
        mx.recordio.unpack(b"short")
    header = struct.pack("IfQQ", 5, 0.0, 1, 0)
    with pytest.raises(MXNetError, match="5 float labels"):
        mx.recordio.unpack(header + b"\0" * 8)


def test_pack_img_round_trip():
    pytest.importorskip("cv2")
    img = (np.arange(48, dtype=np.uint8) * 5).reshape(4, 4, 3)
    s = mx.recordio.pack_img(mx.recordio.IRHeader(0, 2.0, 7, 0), img, img_fmt=".png")
    header, decoded = mx.recordio.unpack_img(s)
    assert header.label == 2.0 and header.id == 7
    np.testing.assert_array_equal(decoded, img)


def test_pack_img_without_opencv_names_the_extra(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_cv2(name, *args, **kwargs):
        if name == "cv2":
            raise ImportError("no cv2")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_cv2)
    with pytest.raises(ImportError, match=r"pip install mx-core\[image\]"):
        mx.recordio.pack_img((0, 0, 0, 0), np.zeros((2, 2), np.uint8))
