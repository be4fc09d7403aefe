"""mx.io.MNISTIter against MXNet 1.9.1 (data/io/mnist/make_golden.py), incl. its shuffle."""
import pathlib
import struct

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "io" / "mnist"
GOLDEN = np.load(DATA / "mnistiter.npz")
IMAGES, LABELS = str(DATA / "images-idx3-ubyte"), str(DATA / "labels-idx1-ubyte")
RUNS = [("plain", dict(shuffle=False)), ("flat", dict(shuffle=False, flat=True)),
        ("s0", dict(shuffle=True)), ("s3", dict(shuffle=True, seed=3)),
        ("part", dict(shuffle=True, num_parts=2, part_index=1, batch_size=2))]


@pytest.mark.parametrize("tag,kwargs", RUNS, ids=[r[0] for r in RUNS])
def test_mnistiter_matches_mxnet(tag, kwargs):
    it = mx.io.MNISTIter(image=IMAGES, label=LABELS, silent=True,
                         **{"batch_size": 3, **kwargs})
    assert [str(it.provide_data), str(it.provide_label)] == GOLDEN[tag + "-desc"].tolist()
    for ep in range(2):
        batches = list(it)
        assert len(batches) == sum(1 for k in GOLDEN.files
                                   if k.startswith(f"{tag}-{ep}-") and k.endswith("-label"))
        for b, batch in enumerate(batches):
            key = f"{tag}-{ep}-{b}-"
            np.testing.assert_array_equal(batch.data[0].asnumpy(), GOLDEN[key + "data"])
            np.testing.assert_array_equal(batch.label[0].asnumpy(), GOLDEN[key + "label"])
            assert batch.pad == 0
        it.reset()


def test_mnistiter_bad_files(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(struct.pack(">IIII", 2049, 5, 4, 3))
    with pytest.raises(MXNetError, match="magic 2049"):
        mx.io.MNISTIter(image=str(bad), label=LABELS)
    bad.write_bytes(struct.pack(">IIII", 2051, 500, 4, 3) + b"\0" * 10)
    with pytest.raises(MXNetError, match="truncated"):
        mx.io.MNISTIter(image=str(bad), label=LABELS)
    with pytest.raises(MXNetError, match="cannot read"):
        mx.io.MNISTIter(image=str(tmp_path / "none"), label=LABELS)
