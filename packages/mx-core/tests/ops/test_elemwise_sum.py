"""``_ops/defs/elemwise_sum.py``: add_n / ElementWiseSum."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(61)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_add_n():
    xs = [RNG.uniform(-1, 1, (2, 3)) for _ in range(3)]
    out = nd.add_n(*[_nd(x) for x in xs])
    np.testing.assert_allclose(out.asnumpy(), sum(xs))
    np.testing.assert_allclose(nd.ElementWiseSum(_nd(xs[0])).asnumpy(), xs[0])
    assert infer(nd.add_n, [(2, 3)] * 3, num_args=3) == [(2, 3)]
    _fd.check_grad(lambda *a: nd.add_n(*a), xs)
    with pytest.raises(MXNetError, match="add_n"):
        infer(nd.add_n, [(2, 3), (3, 2)], num_args=2)
