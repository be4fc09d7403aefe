"""Additions to ``_ops/defs/elemwise_scalar.py``: smooth_l1."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(71)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("scalar", [1.0, 2.5])
def test_smooth_l1(scalar):
    x = RNG.uniform(-2, 2, (3, 4))
    s2 = scalar * scalar
    ref = np.where(np.abs(x) < 1 / s2, 0.5 * s2 * x * x, np.abs(x) - 0.5 / s2)
    np.testing.assert_allclose(nd.smooth_l1(_nd(x), scalar=scalar).asnumpy(), ref)
    _fd.check_grad(nd.smooth_l1, [x], dict(scalar=scalar))
