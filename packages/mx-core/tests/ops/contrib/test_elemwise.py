"""``_ops/defs/contrib/elemwise.py``: isnan/isinf/isfinite, quadratic,
gradientmultiplier, round_ste, sign_ste, div_sqrt_dim."""

import numpy as np

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(89)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]

C = nd.contrib


def test_checks():
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], dtype=np.float32)
    assert C.isnan(_nd(x)).asnumpy().tolist() == [0, 1, 0, 0, 0]
    assert C.isinf(_nd(x)).asnumpy().tolist() == [0, 0, 1, 1, 0]
    assert C.isfinite(_nd(x)).asnumpy().tolist() == [1, 0, 0, 0, 1]
    assert C.isnan(_nd(x)).dtype == np.float32


def test_quadratic():
    x = RNG.uniform(-1, 1, (3, 4))
    out = C.quadratic(_nd(x), a=0.5, b=-1, c=2)
    np.testing.assert_allclose(out.asnumpy(), 0.5 * x * x - x + 2)
    _fd.check_grad(C.quadratic, [x], dict(a=0.5, b=-1, c=2))
    _fd.check_second_order(C.quadratic, [x], dict(a=0.5, b=-1, c=2))


def test_straight_through_and_scaled_gradients():
    x = nd.array([-1.5, -0.4, 0.5, 2.5])
    for fn, forward, grad in [
            (C.round_ste, [-2, 0, 1, 3], [1, 1, 1, 1]),
            (C.sign_ste, [-1, -1, 1, 1], [1, 1, 1, 1]),
            (lambda v: C.gradientmultiplier(v, scalar=-0.5), x.asnumpy(), [-0.5] * 4)]:
        x.attach_grad()
        with mx.autograd.record():
            y = fn(x)
        y.backward()
        np.testing.assert_array_equal(y.asnumpy(), forward)
        np.testing.assert_array_equal(x.grad.asnumpy(), grad)


def test_div_sqrt_dim():
    x = RNG.uniform(-1, 1, (2, 3, 4))
    np.testing.assert_allclose(C.div_sqrt_dim(_nd(x)).asnumpy(), x / 2.0)
    _fd.check_grad(C.div_sqrt_dim, [x])
