"""mx.contrib.io.DataLoaderIter over any re-iterable of (data, label) batches."""
import numpy as np

import mxnet as mx
from mxnet.contrib.io import DataLoaderIter


class _Loader:
    """A stand-in for gluon's DataLoader: 10 samples in batches of 4 (last one short)."""

    def __init__(self):
        self.x = np.arange(20, dtype="float64").reshape(10, 2)
        self.y = np.arange(10, dtype="int32")

    def __iter__(self):
        for i in range(0, 10, 4):
            yield mx.nd.array(self.x[i:i + 4], dtype="float64"), \
                mx.nd.array(self.y[i:i + 4], dtype="int32")


def test_dataloaderiter_batches_and_padding():
    it = DataLoaderIter(_Loader(), data_name="x", label_name="y")
    assert it.batch_size == 4
    assert it.provide_data[0].name == "x" and it.provide_data[0].shape == (4, 2)
    assert it.provide_label[0].name == "y" and it.provide_label[0].shape == (4,)
    batches = list(it)
    assert [b.pad for b in batches] == [0, 0, 2]
    assert all(b.data[0].shape == (4, 2) and b.data[0].dtype == np.float32 for b in batches)
    last = batches[-1]
    np.testing.assert_array_equal(last.data[0].asnumpy()[:2], [[16, 17], [18, 19]])
    np.testing.assert_array_equal(last.label[0].asnumpy()[:2], [8, 9])
    assert it.getindex() is None
    it.reset()
    assert next(it).data[0].asnumpy()[0].tolist() == [0, 1]


def test_dataloaderiter_dtype():
    it = DataLoaderIter(_Loader(), dtype="float16")
    batch = next(it)
    assert batch.data[0].dtype == np.float16 and batch.label[0].dtype == np.float16
    assert mx.contrib.io.DataLoaderIter is DataLoaderIter
