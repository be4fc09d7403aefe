"""``_ops/defs/ravel.py``: ravel_multi_index / unravel_index."""

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


RNG = np.random.RandomState(41)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_ravel_and_unravel():
    shape = (3, 4, 5)
    multi = np.array([[0, 2, 1], [3, 0, 2], [4, 1, 0]], dtype=np.float32)
    flat = nd.ravel_multi_index(_nd(multi), shape=shape)
    expected = np.ravel_multi_index(multi.astype(int), shape)
    assert flat.dtype == np.float32
    np.testing.assert_array_equal(flat.asnumpy(), expected)
    back = nd.unravel_index(flat, shape=shape)
    np.testing.assert_array_equal(back.asnumpy(), multi)
    assert infer(nd.unravel_index, [(3,)], shape=shape) == [(3, 3)]
    assert infer(nd.ravel_multi_index, [(3, 3)], shape=shape) == [(3,)]
    with pytest.raises(MXNetError, match="ravel_multi_index"):
        nd.ravel_multi_index(nd.zeros((2, 3)), shape=shape)
