"""``_ops/defs/contrib/krprod.py``: khatri_rao."""

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


RNG = np.random.RandomState(101)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_khatri_rao():
    mats = [RNG.uniform(-1, 1, (n, 4)) for n in (2, 3, 2)]
    out = nd.khatri_rao(*[_nd(m) for m in mats])
    ref = np.stack([np.kron(np.kron(mats[0][:, k], mats[1][:, k]), mats[2][:, k])
                    for k in range(4)], axis=1)
    np.testing.assert_allclose(out.asnumpy(), ref)
    with pytest.raises(MXNetError, match="khatri_rao"):
        nd.khatri_rao(nd.zeros((2, 3)), nd.zeros((2, 4)))


def test_khatri_rao_shape_rule():
    op = nd.khatri_rao.opdef
    assert op.shape_rule(op.parse(dict(num_args=2)), [(2, 4), (3, 4)])[1] == [(6, 4)]
