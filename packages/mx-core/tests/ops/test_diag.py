"""``_ops/defs/diag.py``: diag of vectors and (batched) matrices."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(43)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("shape, kw", [((4, 5), {}), ((4, 5), dict(k=1)), ((4, 5), dict(k=-2)),
                                       ((4,), {}), ((3,), dict(k=-2)),
                                       ((2, 4, 3), dict(axis1=1, axis2=2, k=1)),
                                       ((3, 2, 4), dict(axis1=-1, axis2=0))])
def test_diag(shape, kw):
    x = RNG.uniform(-1, 1, shape)
    out = nd.diag(_nd(x), **kw)
    k = kw.get("k", 0)
    if x.ndim <= 2 and not kw.get("axis1"):
        ref = np.diag(x, k)
    else:
        ref = np.diagonal(x, k, kw.get("axis1", 0), kw.get("axis2", 1))
    np.testing.assert_array_equal(out.asnumpy(), ref)
    assert infer(nd.diag, [shape], **kw) == [ref.shape]
    _fd.check_grad(nd.diag, [x], kw)
    _fd.check_second_order(lambda a: nd.diag(a, **kw) ** 2, [x])
