"""``_ops/defs/dot.py``: dot of 1-D, 2-D and N-D inputs with every transpose flag."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(59)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("a_shape, b_shape, ta, tb", [
    ((3, 5), (5, 4), False, False), ((5, 3), (5, 4), True, False),
    ((3, 5), (4, 5), False, True), ((5, 3), (4, 5), True, True),
    ((5,), (5,), False, False), ((2, 3, 5), (5, 4), False, False),
    ((5,), (5, 2, 3), False, False), ((2, 3, 5), (5, 2, 2), False, False),
    ((5, 2, 3), (5, 4), True, False), ((2, 3, 5), (4, 2, 5), False, True),
])
def test_dot(a_shape, b_shape, ta, tb):
    a, b = RNG.uniform(-1, 1, a_shape), RNG.uniform(-1, 1, b_shape)
    kw = dict(transpose_a=ta, transpose_b=tb)
    out = nd.dot(_nd(a), _nd(b), **kw)
    a2 = a.reshape(a.shape[0], -1).T if ta else a.reshape(-1, a.shape[-1])
    b2 = b.reshape(-1, b.shape[-1]).T if tb else b.reshape(b.shape[0], -1)
    lead = a.shape[1:] if ta else a.shape[:-1]
    tail = b.shape[:-1] if tb else b.shape[1:]
    ref = (a2 @ b2).reshape(tuple(lead) + tuple(tail) or (1,))
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-12)
    assert infer(nd.dot, [a_shape, b_shape], **kw) == [ref.shape]
    _fd.check_grad(nd.dot, [a, b], kw)


def test_dot_second_order_and_errors():
    a, b = RNG.uniform(-1, 1, (2, 3)), RNG.uniform(-1, 1, (3, 2))
    _fd.check_second_order(lambda x, y: nd.dot(x, y) ** 2, [a, b])
    with pytest.raises(MXNetError, match="dot"):
        nd.dot(nd.zeros((2, 3)), nd.zeros((2, 3)))


@pytest.mark.parametrize("ta, tb", [(False, False), (True, False), (False, True)])
def test_batch_dot_shape_rule(ta, tb):
    a = RNG.uniform(-1, 1, (2, 4, 3) if ta else (2, 3, 4))
    b = RNG.uniform(-1, 1, (2, 5, 4) if tb else (2, 4, 5))
    out = nd.batch_dot(_nd(a), _nd(b), transpose_a=ta, transpose_b=tb)
    assert infer(nd.batch_dot, [a.shape, b.shape], transpose_a=ta, transpose_b=tb) == \
        [out.shape] == [(2, 3, 5)]
