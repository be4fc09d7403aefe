"""``_ops/defs/moments.py``: moments (mean, variance) and its gradient."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(19)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]


@pytest.mark.parametrize("kw", [dict(axes=(0, 2)), dict(axes=(1,), keepdims=True), {}])
def test_moments(kw):
    x = RNG.uniform(-1, 1, (2, 3, 4))
    mean, var = nd.moments(_nd(x), **kw)
    axes = kw.get("axes") or (0, 1, 2)
    keep = kw.get("keepdims", False)
    np.testing.assert_allclose(mean.asnumpy(), np.reshape(
        x.mean(axis=axes, keepdims=keep), mean.shape))
    np.testing.assert_allclose(var.asnumpy(), np.reshape(
        x.var(axis=axes, keepdims=keep), var.shape))
    assert infer(nd.moments, [x.shape], **kw) == [mean.shape, var.shape]
    _fd.check_grad(nd.moments, [x], kw)
    _fd.check_second_order(lambda a: nd.moments(a, **kw)[1], [x[:, :2, :2]])
