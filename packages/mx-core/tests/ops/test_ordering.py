"""``_ops/defs/ordering.py``: sort, argsort, topk (every ret_typ) and their gradients."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(29)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]
X = RNG.permutation(24).reshape(2, 3, 4) / 7.0 - 1.5      # distinct values: no ties


@pytest.mark.parametrize("kw", [{}, dict(axis=0, is_ascend=False), dict(axis=None),
                                dict(axis=1)])
def test_sort_and_argsort(kw):
    axis = kw.get("axis", -1)
    flat = X.reshape(-1) if axis is None else X
    order = np.argsort(flat, axis=0 if axis is None else axis)
    if not kw.get("is_ascend", True):
        order = np.flip(order, axis=0 if axis is None else axis)
    out = nd.sort(_nd(X), **kw)
    np.testing.assert_array_equal(out.asnumpy(), np.take_along_axis(
        flat, order, axis=0 if axis is None else axis))
    idx = nd.argsort(_nd(X), **kw)
    assert idx.dtype == np.float32
    np.testing.assert_array_equal(idx.asnumpy(), order)
    _fd.check_grad(nd.sort, [X], kw)
    _fd.check_second_order(lambda x: nd.sort(x, **kw) ** 2, [X])


def test_argsort_dtype_and_stable_ties():
    x = nd.array([[2, 1, 2, 1]])
    assert nd.argsort(x, dtype="int64").dtype == np.int64
    assert nd.argsort(x).asnumpy().tolist() == [[1, 3, 0, 2]]


@pytest.mark.parametrize("kw", [dict(k=2), dict(k=2, ret_typ="value"),
                                dict(k=2, ret_typ="both", axis=1),
                                dict(k=1, ret_typ="mask", axis=0),
                                dict(k=3, ret_typ="value", is_ascend=True),
                                dict(k=2, axis=None, dtype="int32")])
def test_topk(kw):
    axis = kw.get("axis", -1)
    k = kw["k"]
    flat = X.reshape(-1) if axis is None else X
    ax = 0 if axis is None else axis
    order = np.argsort(flat, axis=ax)
    if not kw.get("is_ascend", False):
        order = np.flip(order, axis=ax)
    top = np.take(order, np.arange(k), axis=ax)
    out = nd.topk(_nd(X), **kw)
    ret = kw.get("ret_typ", "indices")
    if ret == "both":
        values, indices = out
        np.testing.assert_array_equal(indices.asnumpy(), top)
        np.testing.assert_array_equal(values.asnumpy(), np.take_along_axis(flat, top, ax))
    elif ret == "value":
        np.testing.assert_array_equal(out.asnumpy(), np.take_along_axis(flat, top, ax))
    elif ret == "mask":
        mask = np.zeros_like(flat)
        np.put_along_axis(mask, top, 1, axis=ax)
        np.testing.assert_array_equal(out.asnumpy(), mask)
    else:
        assert out.dtype == np.dtype(kw.get("dtype", "float32"))
        np.testing.assert_array_equal(out.asnumpy(), top)
    if ret in ("value", "both"):
        _fd.check_grad(lambda x: nd.topk(x, **kw), [X])


def test_shape_rules():
    def infer(fn, shape, **kw):
        op = fn.opdef
        return op.shape_rule(op.parse(kw), [shape])[1]
    assert infer(nd.sort, (2, 3)) == [(2, 3), (2, 3)]
    assert infer(nd.argsort, (2, 3), axis=None) == [(6,)]
    assert infer(nd.topk, (2, 3, 4), k=2, axis=1)[:1] == [(2, 2, 4)]
    assert infer(nd.topk, (2, 3, 4), k=1, ret_typ="mask")[:1] == [(2, 3, 4)]
    assert infer(nd.topk, (2, 3), k=2, axis=None)[:1] == [(2,)]
