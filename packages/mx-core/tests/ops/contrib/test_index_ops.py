"""``_ops/defs/contrib/index_ops.py``: arange_like, index_array, index_copy,
boolean_mask."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(97)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]

C = nd.contrib


def test_arange_like():
    x = nd.zeros((2, 3), dtype="float64")
    out = C.arange_like(x, start=1.0, step=0.5)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.asnumpy(), 1 + 0.5 * np.arange(6).reshape(2, 3))
    np.testing.assert_allclose(C.arange_like(x, axis=1).asnumpy(), [0, 1, 2])
    np.testing.assert_allclose(C.arange_like(x, repeat=2).asnumpy().reshape(-1),
                               [0, 0, 1, 1, 2, 2])


def test_index_array():
    x = nd.zeros((2, 3, 4))
    out = C.index_array(x)
    assert out.dtype == np.int64 and out.shape == (2, 3, 4, 3)
    np.testing.assert_array_equal(out.asnumpy(), np.stack(np.indices((2, 3, 4)), -1))
    sub = C.index_array(x, axes=(0, -1)).asnumpy()
    np.testing.assert_array_equal(sub, np.stack(np.indices((2, 3, 4))[[0, 2]], -1))


def test_index_copy():
    old, new = RNG.uniform(-1, 1, (5, 3)), RNG.uniform(-1, 1, (2, 3))
    idx = np.array([3, 0], dtype=np.int64)
    out = C.index_copy(_nd(old), _nd(idx), _nd(new)).asnumpy()
    expected = old.copy()
    expected[idx] = new
    np.testing.assert_array_equal(out, expected)
    _fd.check_grad(C.index_copy, [old, idx, new], wrt=[0, 2])


def test_boolean_mask():
    data = RNG.uniform(-1, 1, (5, 3))
    mask = np.array([1, 0, 1, 1, 0], dtype=np.float64)
    out = C.boolean_mask(_nd(data), _nd(mask))
    np.testing.assert_array_equal(out.asnumpy(), data[mask != 0])
    _fd.check_grad(C.boolean_mask, [data, mask], wrt=[0])


@pytest.mark.parametrize("fn", [lambda x: C.arange_like(x), lambda x: C.index_array(x),
                                lambda x: C.isnan(x), lambda x: nd.shape_array(x),
                                lambda x: nd.unravel_index(x, shape=(4, 4))])
def test_constant_outputs_have_zero_gradients(fn):
    x = nd.array([[0.5, 1.5], [2.0, 3.0]])
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
    y.backward()
    assert x.grad.asnumpy().tolist() == [[0, 0], [0, 0]]
