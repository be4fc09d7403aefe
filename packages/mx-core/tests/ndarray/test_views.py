"""Which NDArray results share memory with their source (as in MXNet 1.9.1)."""
import numpy as np
import pytest

import mxnet as mx


def _shares(make):
    x = mx.nd.arange(6).reshape((2, 3, 1))
    y = make(x)
    y[:] = -1
    return bool((x.asnumpy() == -1).any())


@pytest.mark.parametrize("make, shares", [
    (lambda x: x.reshape((6,)), True),
    (lambda x: x.flatten(), False),
    (lambda x: x.flatten(inplace=True), True),
    (lambda x: x.squeeze(), False),
    (lambda x: x.squeeze(axis=2, inplace=True), True),
    (lambda x: x.expand_dims(0), False),
    (lambda x: x.expand_dims(-1, inplace=True), True),
    (lambda x: x[0], True),               # a contiguous block: a view
    (lambda x: x[:, :, 0], True),         # the last axis has length 1: still contiguous
    (lambda x: x[:, 1:2], False),         # strided: MXNet copies
    (lambda x: x[:, 0], False),
    (lambda x: x.T, False),
])
def test_view_or_copy(make, shares):
    assert _shares(make) is shares


def test_inplace_forms_give_the_same_shapes_as_the_copies():
    x = mx.nd.zeros((1, 5, 1, 3, 1))
    for axis in (None, 0, (0, 4), -3):
        assert x.squeeze(axis=axis, inplace=True).shape == x.squeeze(axis=axis).shape
    assert mx.nd.zeros((1, 1)).squeeze(inplace=True).shape == (1,)
    for axis in range(-3, 3):
        assert mx.nd.zeros((2, 3)).expand_dims(axis, inplace=True).shape == \
            np.expand_dims(np.zeros((2, 3)), axis).shape


@pytest.mark.parametrize("key", [
    (slice(None), slice(2)), (slice(1, 2), slice(None)), (slice(None, None, 2), slice(None)),
    (slice(0, 1), slice(1, 3)), (slice(None), slice(None, None, -1)), (slice(3, 3), slice(1)),
])
def test_contiguity_rule_matches_numpy(key):
    shape = (4, 5)
    expected = np.zeros(shape)[key].flags.c_contiguous
    assert mx.nd.NDArray._basic_indexing_slice_is_contiguous(key, shape) == expected


def test_reshape_method_raises_value_error_on_a_size_change():
    x = mx.nd.arange(30).reshape((2, 3, 5))
    with pytest.raises(ValueError, match="Cannot reshape array of size 30"):
        x.reshape((2, 3))


def test_transpose_property_of_low_and_high_rank_arrays():
    v = mx.nd.arange(3)
    assert v.T is v
    x = mx.nd.arange(24).reshape((2, 3, 4))
    np.testing.assert_array_equal(x.T.asnumpy(), x.asnumpy().T)


def test_from_numpy_shares_and_locks_the_numpy_array():
    a = np.arange(6, dtype="float32").reshape(3, 2)
    m = mx.nd.from_numpy(a)
    assert not a.flags.writeable
    m[2, 1] = 100
    assert a[2, 1] == 100
    again = mx.nd.from_numpy(a)          # an already-locked array is shared too
    again[0, 0] = 7
    assert a[0, 0] == 7
    copied = mx.nd.from_numpy(np.ones(2), zero_copy=False)
    assert copied.dtype == np.float64
    with pytest.raises(ValueError, match="c-contiguous"):
        mx.nd.from_numpy(np.ones((2, 3)).T)


def test_getstate_roundtrip_and_a_gpu_record_loads_on_cpu():
    x = mx.nd.arange(6).reshape((2, 3))
    y = mx.nd.zeros(1)
    y.__setstate__(x.__getstate__())
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    # what MXNet's mx.nd.arange(1, ctx=mx.gpu()).__getstate__() holds
    gpu_state = bytearray(b"\xc9\xfa\x93\xf9" + b"\x00" * 4 + b"\x01\x00\x00\x00"
                          + b"\x01" + b"\x00" * 7 + b"\x02\x00\x00\x00" + b"\x00" * 12)
    y.__setstate__({"handle": gpu_state})
    assert y.shape == (1,) and y.context == mx.cpu() and y.asscalar() == 0


def test_dlpack_capsules_share_memory_both_ways():
    x = mx.nd.arange(6).reshape((2, 3))
    capsule = x.to_dlpack_for_write()
    assert type(capsule).__name__ == "PyCapsule"        # what MXNet and torch exchange
    y = mx.nd.from_dlpack(capsule)
    y[0, 0] = 42                                        # writable, and the same memory
    assert x.asnumpy()[0, 0] == 42
    del x
    assert y.asnumpy()[0, 0] == 42                      # the capsule keeps it alive
    z = mx.nd.from_dlpack(np.arange(3.0))               # any host DLPack exporter
    np.testing.assert_array_equal(z.asnumpy(), [0, 1, 2])
