"""Additions to ``_ops/defs/elemwise_binary.py``: _grad_add."""

import numpy as np

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(67)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_grad_add():
    a, b = RNG.uniform(-1, 1, (2, 3)), RNG.uniform(-1, 1, (2, 3))
    np.testing.assert_allclose(nd._internal._grad_add(_nd(a), _nd(b)).asnumpy(), a + b)
    _fd.check_grad(nd._internal._grad_add, [a, b])
