"""Reductions added to ``_ops/defs/broadcast_reduce.py``: prod, nansum, nanprod, norm,
broadcast_axis. NumPy references, shape rules, finite-difference gradients."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(13)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]
X = RNG.uniform(0.5, 1.5, (2, 3, 4)) * RNG.choice([-1, 1], (2, 3, 4))
REDUCE_KW = [{}, dict(axis=1), dict(axis=(0, 2), keepdims=True), dict(axis=-1, exclude=True),
             dict(axis=())]


def _axes(kw, ndim):
    axis = kw.get("axis")
    if axis is None or axis == ():
        return tuple(range(ndim))
    axes = {a % ndim for a in ((axis,) if isinstance(axis, int) else axis)}
    if kw.get("exclude"):
        axes = set(range(ndim)) - axes
    return tuple(sorted(axes))


@pytest.mark.parametrize("kw", REDUCE_KW)
@pytest.mark.parametrize("name, ref", [("prod", np.prod), ("nansum", np.nansum),
                                       ("nanprod", np.nanprod)])
def test_reducers(name, ref, kw):
    fn = getattr(nd, name)
    out = fn(_nd(X), **kw)
    expected = ref(X, axis=_axes(kw, 3), keepdims=kw.get("keepdims", False))
    np.testing.assert_allclose(out.asnumpy(), expected.reshape(out.shape))
    assert out.shape == (expected.shape or (1,))
    assert infer(fn, [X.shape], **kw) == [out.shape]
    _fd.check_grad(fn, [X], kw)


@pytest.mark.parametrize("name, ref", [("nansum", np.nansum), ("nanprod", np.nanprod)])
def test_nan_reducers_skip_nan(name, ref):
    x = X.copy()
    x[0, 1, 2] = x[1, 0, 0] = np.nan
    data = _nd(x)
    data.attach_grad()
    with mx.autograd.record():
        out = getattr(nd, name)(data, axis=1)
    out.backward()
    np.testing.assert_allclose(out.asnumpy(), ref(x, axis=1))
    grad = data.grad.asnumpy()
    assert grad[0, 1, 2] == 0 and grad[1, 0, 0] == 0 and np.isfinite(grad).all()


def test_prod_second_order():
    _fd.check_second_order(nd.prod, [X[:, :2, :2]], dict(axis=1))


@pytest.mark.parametrize("kw", [{}, dict(ord=1, axis=1), dict(ord=2, axis=(1, 2), keepdims=True),
                                dict(ord=2, axis=-1), dict(ord=1)])
def test_norm(kw):
    out = nd.norm(_nd(X), **kw)
    axes = _axes(kw, 3)
    keep = kw.get("keepdims", False)
    if kw.get("ord", 2) == 1:
        expected = np.abs(X).sum(axis=axes, keepdims=keep)
    else:
        expected = np.sqrt((X * X).sum(axis=axes, keepdims=keep))
    np.testing.assert_allclose(out.asnumpy(), np.reshape(expected, out.shape))
    assert infer(nd.norm, [X.shape], **kw) == [out.shape]
    _fd.check_grad(nd.norm, [X], kw)
    assert X.shape and _nd(X).norm().shape == (1,)


def test_norm_out_dtype_and_bad_ord():
    out = nd.norm(nd.ones((2, 2)), out_dtype="float64", axis=1)
    assert out.dtype == np.float64
    with pytest.raises(MXNetError, match="ord"):
        nd.norm(nd.ones((2, 2)), ord=3)


def test_broadcast_axis():
    x = RNG.uniform(-1, 1, (1, 3, 1))
    out = nd.broadcast_axis(_nd(x), axis=(0, 2), size=(2, 5))
    np.testing.assert_array_equal(out.asnumpy(), np.broadcast_to(x, (2, 3, 5)))
    assert infer(nd.broadcast_axes, [x.shape], axis=(0, 2), size=(2, 5)) == [(2, 3, 5)]
    _fd.check_grad(nd.broadcast_axes, [x], dict(axis=2, size=4))
    with pytest.raises(MXNetError, match="broadcast_axis"):
        nd.broadcast_axis(_nd(x), axis=1, size=4)


def test_broadcast_like_shape_rule():
    assert infer(nd.broadcast_like, [(1, 3), (4, 3)]) == [(4, 3)]
    assert infer(nd.broadcast_like, [(1, 3), (5, 7)], lhs_axes=(0,), rhs_axes=(1,)) == \
        [(7, 3)]
