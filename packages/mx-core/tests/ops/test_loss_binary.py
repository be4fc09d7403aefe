"""``_ops/defs/loss_binary.py``: softmax_cross_entropy."""

import numpy as np

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(79)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_softmax_cross_entropy():
    data = RNG.uniform(-2, 2, (4, 5))
    label = np.array([0, 3, 4, 1], dtype=np.float64)
    out = nd.softmax_cross_entropy(_nd(data), _nd(label))
    logp = data - np.log(np.exp(data).sum(axis=1, keepdims=True))
    assert out.shape == (1,)
    np.testing.assert_allclose(out.asnumpy(), [-logp[np.arange(4), label.astype(int)].sum()])
    _fd.check_grad(nd.softmax_cross_entropy, [data, label], wrt=[0])
