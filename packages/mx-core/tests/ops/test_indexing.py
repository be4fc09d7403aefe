"""``_ops/defs/indexing.py``: Embedding, take, batch_take, one_hot, gather_nd,
scatter_nd and their scatter-add backward operators."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(31)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_embedding():
    weight = RNG.uniform(-1, 1, (5, 3))
    ids = np.array([[0, 4], [7, -2]], dtype=np.float64)        # out of range: clipped
    out = nd.Embedding(_nd(ids), _nd(weight), input_dim=5, output_dim=3)
    np.testing.assert_array_equal(out.asnumpy(), weight[np.clip(ids, 0, 4).astype(int)])
    op = nd.Embedding.opdef
    ins, outs = op.shape_rule(op.parse(dict(input_dim=5, output_dim=3)), [(2, 2), None])
    assert ins[1] == (5, 3) and outs == [(2, 2, 3)]
    _fd.check_grad(lambda i, w: nd.Embedding(i, w, input_dim=5, output_dim=3),
                   [ids, weight], wrt=[1])


@pytest.mark.parametrize("kw, indices", [
    ({}, np.array([[0, 5, 2], [7, -1, 3]])),
    (dict(mode="wrap"), np.array([-1, 7, 2, 13])),
    (dict(axis=1), np.array([2, 0])),
    (dict(axis=-1, mode="clip"), np.array([[3, 1], [9, 0]])),
])
def test_take(kw, indices):
    a = RNG.uniform(-1, 1, (6, 4, 3))
    axis = kw.get("axis", 0)
    n = a.shape[axis]
    idx = np.mod(indices, n) if kw.get("mode") == "wrap" else np.clip(indices, 0, n - 1)
    out = nd.take(_nd(a), _nd(indices.astype(np.float32)), **kw)
    np.testing.assert_array_equal(out.asnumpy(), np.take(a, idx, axis=axis))
    assert infer(nd.take, [a.shape, indices.shape], **kw) == [out.shape]
    _fd.check_grad(nd.take, [a, indices.astype(np.int64)], kw)
    _fd.check_second_order(lambda x, i: nd.take(x, i, **kw) ** 2,
                           [a[:, :2, :2], indices.astype(np.int64)], wrt=[0])


def test_take_raise_mode():
    # MXNet checks the indices in the kernel: the error surfaces when the result is read
    out = nd.take(nd.zeros((3, 2)), nd.array([5]), mode="raise")
    with pytest.raises(MXNetError, match="take"):
        out.asnumpy()


def test_batch_take():
    a = RNG.uniform(-1, 1, (3, 4))
    idx = np.array([0, 5, -1], dtype=np.int32)
    out = nd.batch_take(_nd(a), _nd(idx))
    np.testing.assert_array_equal(out.asnumpy(), a[np.arange(3), np.clip(idx, 0, 3)])
    _fd.check_grad(nd.batch_take, [a, idx])


def test_one_hot():
    idx = np.array([[0, 6], [-1, 3]], dtype=np.float32)
    out = nd.one_hot(_nd(idx), depth=5, on_value=3, off_value=-1, dtype="int32")
    assert out.dtype == np.int32 and out.shape == (2, 2, 5)
    expected = np.full((2, 2, 5), -1)
    expected[0, 0, 0] = expected[1, 1, 3] = 3
    np.testing.assert_array_equal(out.asnumpy(), expected)
    assert infer(nd.one_hot, [idx.shape], depth=5) == [(2, 2, 5)]


@pytest.mark.parametrize("indices", [np.array([[0, 1, 1], [2, 0, 2]]),
                                     np.array([[1, 0, 1, 0]]),
                                     np.array([[1, 0, 1], [2, 1, 2], [3, 0, 3]])])
def test_gather_nd_and_scatter_nd(indices):
    data = RNG.uniform(-1, 1, (2, 3, 4))
    out = nd.gather_nd(_nd(data), _nd(indices.astype(np.float32)))
    ref = data[tuple(indices)]
    np.testing.assert_array_equal(out.asnumpy(), ref)
    assert infer(nd.gather_nd, [data.shape, indices.shape]) == [ref.shape]
    _fd.check_grad(nd.gather_nd, [data, indices.astype(np.int32)])
    _fd.check_second_order(lambda x, i: nd.gather_nd(x, i) ** 2,
                           [data, indices.astype(np.int32)], wrt=[0])


def test_scatter_nd_and_backward_gather_nd():
    indices = np.array([[0, 1, 1], [1, 3, 0]])
    values = RNG.uniform(-1, 1, (3,))
    out = nd.scatter_nd(_nd(values), _nd(indices), shape=(2, 4)).asnumpy()
    expected = np.zeros((2, 4))
    expected[0, 1], expected[1, 3], expected[1, 0] = values
    np.testing.assert_array_equal(out, expected)
    _fd.check_grad(lambda v, i: nd.scatter_nd(v, i, shape=(2, 4)), [values, indices])
    dup = np.array([[0, 0], [1, 1]])
    acc = nd._internal._backward_gather_nd(nd.array([1.0, 2.0]), _nd(dup), shape=(2, 2))
    assert acc.asnumpy().tolist() == [[0, 3], [0, 0]]
    _fd.check_grad(lambda v, i: nd._internal._backward_gather_nd(v, i, shape=(2, 2)),
                   [np.array([1.0, 2.0]), dup])


def test_scatter_set_nd():
    lhs = nd.zeros((2, 3))
    out = nd._internal._scatter_set_nd(lhs, nd.array([5.0, 6.0]), nd.array([[0, 1], [2, 0]]),
                                       shape=(2, 3))
    assert out.asnumpy().tolist() == [[0, 0, 5], [6, 0, 0]]
