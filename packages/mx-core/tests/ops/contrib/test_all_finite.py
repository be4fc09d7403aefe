"""``_ops/defs/contrib/all_finite.py``: all_finite, multi_all_finite, multi_sum_sq."""

import numpy as np

import mxnet as mx


RNG = np.random.RandomState(103)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_all_finite():
    assert nd.all_finite(nd.ones((2, 3))).asnumpy().tolist() == [1.0]
    bad = nd.array([1.0, np.inf])
    assert nd.all_finite(bad).asnumpy().tolist() == [0.0]
    assert nd.all_finite(bad).dtype == np.float32
    assert nd.multi_all_finite(nd.ones(2), bad, num_arrays=2).asnumpy().tolist() == [0.0]


def test_multi_sum_sq():
    xs = [RNG.uniform(-1, 1, (3, 4)).astype(np.float32) for _ in range(2)]
    out = nd.multi_sum_sq(*[_nd(x) for x in xs], num_arrays=2)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy(), [(x * x).sum() for x in xs], rtol=1e-6)
