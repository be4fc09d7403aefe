"""NDArray behaviour not covered by the recorded MXNet scripts."""
import pickle

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


def test_repr_of_zero_dim_and_bool():
    assert repr(mx.nd.array(5)) == "\n5.0\n<NDArray  @cpu(0)>"
    assert repr(mx.nd.array([True, False], dtype="bool")) == \
        "\n[ True False]\n<NDArray 2 @cpu(0)>"


def test_dtype_is_numpy_type_and_default_float32():
    a = mx.nd.array([1, 2])
    assert a.dtype is np.float32
    assert mx.nd.array(np.arange(3)).dtype is np.float32
    assert mx.nd.array([1, 2], dtype="int64").dtype is np.int64


def test_scalar_ops_cast_scalar_to_array_dtype():
    b = mx.nd.array([1, 2, 3], dtype="int32")
    assert (b * 1.5).asnumpy().tolist() == [1, 2, 3]
    assert (b / 2).asnumpy().tolist() == [0, 1, 1]
    assert (b + 1.7).dtype is np.int32


def test_astype_copy_flag_and_copyto():
    a = mx.nd.array([1.5, 2.5])
    assert a.astype("float32", copy=False) is a
    assert a.astype("float32") is not a
    b = mx.nd.zeros((2,))
    assert a.copyto(b) is b
    np.testing.assert_array_equal(b.asnumpy(), [1.5, 2.5])
    with pytest.raises(MXNetError, match="shape mismatch"):
        a.copyto(mx.nd.zeros((3,)))


def test_asnumpy_is_a_copy_and_views_share_memory():
    a = mx.nd.array([1, 2, 3])
    n = a.asnumpy()
    n[0] = 100
    assert a.asnumpy()[0] == 1
    v = a[1:3]
    v[:] = 0
    assert a.asnumpy().tolist() == [1, 0, 0]


def test_pickle_round_trip():
    a = mx.nd.array([[1, 2], [3, 4]], dtype="float64")
    b = pickle.loads(pickle.dumps(a))
    assert b.dtype is np.float64 and b.asnumpy().tolist() == [[1, 2], [3, 4]]


def test_scalar_conversions_and_truth():
    a = mx.nd.array([3.0])
    assert a.asscalar() == 3.0 and float(a) == 3.0 and int(a) == 3
    with pytest.raises(ValueError):
        bool(mx.nd.array([1, 2]))
    with pytest.raises(ValueError):
        mx.nd.array([1, 2]).asscalar()


def test_setitem_errors_name_shapes():
    a = mx.nd.zeros((2, 3))
    with pytest.raises(MXNetError, match="shape \\(2,\\).*\\(2, 3\\)"):
        a[:] = mx.nd.ones((2,))


def test_indexing_under_record_is_differentiable_and_advanced():
    a = mx.nd.arange(6).reshape((2, 3))
    a.attach_grad()
    with mx.autograd.record():
        y = a[mx.nd.array([1, 1, 0])].sum()
    y.backward()
    assert a.grad.asnumpy().tolist() == [[1, 1, 1], [2, 2, 2]]


def test_iteration_and_len():
    a = mx.nd.arange(6).reshape((3, 2))
    rows = list(a)
    assert len(a) == 3 and [r.shape for r in rows] == [(2,)] * 3
    with pytest.raises(TypeError):
        len(mx.nd.array(1))


def test_transpose_copies_like_mxnet():
    a = mx.nd.array([[1, 2], [3, 4]])
    t = a.T
    t[0, 1] = 100
    assert a.asnumpy().tolist() == [[1, 2], [3, 4]]
    # MXNet 1.9.1: every axis reversed for higher ranks, the array itself below 2-D
    assert mx.nd.zeros((2, 3, 4)).T.shape == (4, 3, 2)


def test_wait_and_waitall():
    a = mx.nd.ones((2,))
    a.wait_to_read()
    mx.nd.waitall()


def test_from_numpy_shares_memory_and_dlpack_round_trip():
    a = np.arange(4, dtype="float32")
    x = mx.nd.from_numpy(a)
    x[0] = 9
    assert a[0] == 9
    with pytest.raises(ValueError, match="c-contiguous"):
        mx.nd.from_numpy(a[::2], zero_copy=True)
    assert mx.nd.from_numpy(a[::2], zero_copy=False).asnumpy().tolist() == [9, 2]
    y = mx.nd.from_dlpack(x.to_dlpack_for_read())
    assert y.asnumpy().tolist() == [9, 1, 2, 3]
    with pytest.raises(TypeError):
        mx.nd.from_numpy([1, 2])
