"""``_ops/defs/make_loss.py``: MakeLoss's loss-head gradient."""

import numpy as np
import pytest

import mxnet as mx


RNG = np.random.RandomState(73)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("kw, expected", [
    ({}, 1.0), (dict(grad_scale=0.5, normalization="batch"), 0.25),
    (dict(normalization="valid", valid_thresh=0.1), 1 / 3)])
def test_make_loss(kw, expected):
    x = nd.array([[0.05, 0.2, -1.0], [0.5, 0.0, 3.0]])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.MakeLoss(x, **kw)
    y.backward(nd.ones_like(y) * 7)       # the head gradient is ignored
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    np.testing.assert_allclose(x.grad.asnumpy(), np.full((2, 3), expected), rtol=1e-6)
