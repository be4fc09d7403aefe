"""``_ops/defs/control_flow.py``: where."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(37)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("cond_shape", [(2, 3, 4), (2,)])
def test_where(cond_shape):
    cond = RNG.choice([-1.0, 0.0, 2.0], cond_shape)
    x, y = RNG.uniform(-1, 1, (2, 3, 4)), RNG.uniform(-1, 1, (2, 3, 4))
    out = nd.where(_nd(cond), _nd(x), _nd(y))
    c = cond.reshape(cond_shape + (1,) * (3 - len(cond_shape))) != 0
    np.testing.assert_array_equal(out.asnumpy(), np.where(c, x, y))
    assert infer(nd.where, [cond_shape, x.shape, y.shape]) == [x.shape]
    _fd.check_grad(nd.where, [cond, x, y], wrt=[1, 2])
    _fd.check_second_order(lambda c, a, b: nd.where(c, a, b) ** 2, [cond, x, y], wrt=[1])


def test_where_bad_condition():
    with pytest.raises(MXNetError, match="where"):
        nd.where(nd.zeros((3,)), nd.zeros((2, 3)), nd.zeros((2, 3)))
