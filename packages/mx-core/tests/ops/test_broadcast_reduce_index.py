"""``_ops/defs/broadcast_reduce_index.py``: argmax, argmin, argmax_channel, pick."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(17)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]
X = RNG.uniform(-1, 1, (2, 3, 4))


@pytest.mark.parametrize("kw", [dict(axis=1), dict(axis=-1, keepdims=True), {}, dict(axis=0)])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reducers(name, kw):
    fn = getattr(nd, name)
    out = fn(_nd(X.astype(np.float32)), **kw)
    ref = getattr(np, name)(X if "axis" in kw else X.reshape(-1), axis=kw.get("axis"))
    if kw.get("keepdims"):
        ref = np.expand_dims(ref, kw["axis"])
    assert out.dtype == np.float32            # indices come back in the input's dtype
    np.testing.assert_array_equal(out.asnumpy(), np.reshape(ref, out.shape))
    assert infer(fn, [X.shape], **kw) == [out.shape]
    _fd.check_grad(fn, [X], kw, atol=0)          # piecewise constant: zero gradient


def test_argmax_ties_and_channel():
    x = nd.array([[1, 3, 3], [2, 2, 0]])
    assert nd.argmax(x, axis=1).asnumpy().tolist() == [1, 0]
    assert nd.argmax_channel(x).asnumpy().tolist() == [1, 0]
    assert nd.argmin(x, axis=1).asnumpy().tolist() == [0, 2]


@pytest.mark.parametrize("kw, index", [
    ({}, np.array([[0, 3, 1], [2, 2, 0]])),
    (dict(axis=0, keepdims=True), np.array([[1, 0, 1, 1], [0, 1, 0, 0], [1, 1, 1, 0]])),
    (dict(axis=1, mode="wrap"), np.array([[-1, 4, 2, 5], [0, 1, 2, 3]])),
    (dict(axis=-1, mode="clip"), np.array([[-3, 9, 1], [5, 0, 2]])),
])
def test_pick(kw, index):
    axis = kw.get("axis", -1)
    out = nd.pick(_nd(X), _nd(index.astype(np.float64)), **kw)
    n = X.shape[axis]
    idx = np.mod(index, n) if kw.get("mode") == "wrap" else np.clip(index, 0, n - 1)
    idx = np.expand_dims(idx, axis)
    ref = np.take_along_axis(X, idx.astype(np.int64), axis=axis)
    if not kw.get("keepdims"):
        ref = np.squeeze(ref, axis)
    np.testing.assert_array_equal(out.asnumpy(), ref)
    _fd.check_grad(nd.pick, [X, index.astype(np.float64)], kw, wrt=[0])
    _fd.check_second_order(lambda x, i: nd.pick(x, i, **kw) ** 2,
                           [X, index.astype(np.float64)], wrt=[0])


def test_argmax_channel_reduces_axis_1():
    x = RNG.uniform(-1, 1, (2, 3, 4))
    np.testing.assert_array_equal(nd.argmax_channel(_nd(x)).asnumpy(), x.argmax(axis=1))


def test_pick_rejects_axis_none_and_raise_mode():
    with pytest.raises(MXNetError, match="pick"):
        nd.pick(nd.zeros((3, 4)), nd.zeros((3,)), axis=None)
    with pytest.raises(MXNetError, match="pick"):
        nd.pick(nd.zeros((3, 4)), nd.zeros((3,)), mode="raise")
