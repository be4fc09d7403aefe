"""``_ops/defs/ndarray_function.py``: the legacy NDArray functions."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

nd = mx.nd


def test_choose_and_fill_element_0index():
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    idx = nd.array([2, 0])
    assert nd.choose_element_0index(x, idx).asnumpy().tolist() == [3, 4]
    out = nd.fill_element_0index(x, nd.array([7, 8]), idx)
    assert out.asnumpy().tolist() == [[1, 2, 7], [8, 5, 6]]
    with pytest.raises(MXNetError, match="pick"):   # an alias of pick
        nd.choose_element_0index(x, nd.array([1, 2, 0]))


def test_onehot_encode():
    out = nd._internal._onehot_encode(nd.array([1, 0]), nd.zeros((2, 3)))
    np.testing.assert_array_equal(out.asnumpy(), [[0, 1, 0], [1, 0, 0]])
    target = nd.zeros((2, 4))
    nd.onehot_encode(nd.array([3, 1]), target)
    np.testing.assert_array_equal(target.asnumpy(), np.eye(4)[[3, 1]])


def test_choose_element_0index_gradient():
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.choose_element_0index(x, nd.array([2, 0]))
    y.backward(nd.array([3, 4]))
    assert x.grad.asnumpy().tolist() == [[0, 0, 3], [4, 0, 0]]
