"""Special functions and small unary operators of ``_ops/defs/elemwise_unary.py``.

erf/erfinv/gamma/gammaln are checked against Python's ``math`` module (double
precision references), gradients against finite differences (mxnet._test_utils.finite_diff).
"""
import math

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(3)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def _ref(fn, x):
    return np.vectorize(fn, otypes=[np.float64])(x)


def _lgamma_abs(v):
    return math.lgamma(v)


def _erfinv_ref(y):
    # bisection on math.erf: slow but exact to double precision
    lo, hi = -6.0, 6.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


X = np.concatenate([np.linspace(-6, 6, 121), [-1e-3, 0.0, 1e-8, 2.9999, 3.0, 3.0001]])


@pytest.mark.parametrize("name, ref, x", [
    ("erf", math.erf, X),
    ("gammaln", _lgamma_abs, np.concatenate([np.arange(-9.7, 30, 0.25), [0.5, 1, 2, 3]])),
    ("gamma", math.gamma, np.concatenate([np.arange(-4.7, 20, 0.25), [0.5, 1, 2, 3]])),
])
def test_special_forward_float64(name, ref, x):
    out = getattr(nd, name)(_nd(x)).asnumpy()
    np.testing.assert_allclose(out, _ref(ref, x), rtol=1e-12, atol=1e-14)


def test_erfinv_forward_and_edges():
    y = np.concatenate([np.linspace(-0.999999, 0.999999, 61), [0.0, 1e-9]])
    out = nd.erfinv(_nd(y)).asnumpy()
    np.testing.assert_allclose(out, _ref(_erfinv_ref, y), rtol=1e-11, atol=1e-13)
    edges = nd.erfinv(nd.array([1.0, -1.0, 1.5])).asnumpy()
    assert edges[0] == np.inf and edges[1] == -np.inf and np.isnan(edges[2])


def test_special_keep_dtype():
    x = nd.array([0.3, 1.7], dtype="float32")
    for name in ("erf", "erfinv", "gamma", "gammaln"):
        assert getattr(nd, name)(x).dtype == np.float32


def test_gamma_poles_and_sign():
    out = nd.gamma(nd.array([-2.5, -1.5, -0.5, 0.0, -1.0], dtype="float64")).asnumpy()
    np.testing.assert_allclose(out[:3], [math.gamma(v) for v in (-2.5, -1.5, -0.5)])
    assert out[3] == np.inf and np.isnan(out[4])     # C's tgamma: +inf at 0, NaN at -1
    assert np.isinf(nd.gammaln(nd.array([0.0, -2.0], dtype="float64")).asnumpy()).all()


def test_digamma_matches_derivative_of_lgamma():
    x = np.array([-2.5, -0.3, 0.2, 1.0, 1.4616, 3.0, 7.5, 10.0, 25.0])
    eps = 1e-5
    numeric = (_ref(math.lgamma, x + eps) - _ref(math.lgamma, x - eps)) / (2 * eps)
    # MXNet 1.9.1 compat: its psi uses a float32 log, hence ~1e-7 absolute error
    out = nd._internal._digamma(_nd(x)).asnumpy()
    np.testing.assert_allclose(out, numeric, rtol=1e-6, atol=5e-7)
    tri = nd._internal._trigamma(_nd(x)).asnumpy()
    num2 = (_ref(math.lgamma, x + 1e-3) - 2 * _ref(math.lgamma, x)
            + _ref(math.lgamma, x - 1e-3)) / 1e-6
    np.testing.assert_allclose(tri, num2, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name, low, high", [
    ("erf", -2.5, 2.5), ("erfinv", -0.9, 0.9), ("gamma", 0.3, 4.0),
    ("gammaln", 0.3, 4.0)])
def test_special_gradients(name, low, high):
    x = RNG.uniform(low, high, (3, 4))
    # the float32 log inside MXNet's digamma limits gamma/gammaln gradients to ~1e-7
    _fd.check_grad(getattr(nd, name), [x], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["erf", "erfinv"])
def test_special_second_order(name):
    x = RNG.uniform(-0.8, 0.8, (2, 3))
    _fd.check_second_order(getattr(nd, name), [x], rtol=1e-5, atol=1e-7)


def test_gammaln_second_order_uses_trigamma():
    x = RNG.uniform(0.5, 3.0, (2, 3))
    # digamma's float32 log makes fine finite differences noisy: use a wide step
    _fd.check_second_order(nd.gammaln, [x], rtol=1e-3, atol=1e-4, eps=1e-3)


def test_hard_sigmoid_forward_and_gradient():
    x = np.array([-4.0, -2.0, -1.0, 0.0, 0.7, 3.0])
    out = nd.hard_sigmoid(_nd(x), alpha=0.3, beta=0.4).asnumpy()
    np.testing.assert_allclose(out, np.clip(0.3 * x + 0.4, 0, 1))
    _fd.check_grad(nd.hard_sigmoid, [RNG.uniform(-2, 2, (3, 4))], dict(alpha=0.25))


def test_make_loss_gradient_is_ones():
    x = nd.array([[1.0, -2.0]])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.make_loss(x)
    y.backward(nd.array([[5.0, 7.0]]))
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    np.testing.assert_array_equal(x.grad.asnumpy(), [[1.0, 1.0]])


def test_shape_and_size_array():
    x = nd.zeros((2, 3, 4))
    s = nd.shape_array(x)
    assert s.dtype == np.int64 and s.asnumpy().tolist() == [2, 3, 4]
    n = nd.size_array(x)
    assert n.dtype == np.int64 and n.asnumpy().tolist() == [24]
    assert x.shape_array().asnumpy().tolist() == [2, 3, 4]
