"""``_ops/defs/concat.py``: Concat and SliceChannel (split) against NumPy, shape rules,
finite-difference gradients."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(11)
nd = mx.nd
X = RNG.uniform(-1, 1, (3, 4, 5))


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_concat(dim):
    parts = [RNG.uniform(-1, 1, (2, 3, 4)) for _ in range(2)] + \
        [RNG.uniform(-1, 1, (2, 3, 4))]
    out = nd.concat(*[_nd(p) for p in parts], dim=dim)
    np.testing.assert_array_equal(out.asnumpy(), np.concatenate(parts, axis=dim))
    assert infer(nd.concat, [p.shape for p in parts], dim=dim, num_args=3) == [out.shape]
    _fd.check_grad(lambda *xs: nd.Concat(*xs, dim=dim), parts)
    with pytest.raises(MXNetError, match="Concat"):
        nd.concat(nd.zeros((2, 3)), nd.zeros((3, 3)), dim=1)


@pytest.mark.parametrize("num, axis, squeeze", [(2, 1, False), (3, 0, True), (5, -1, False)])
def test_split(num, axis, squeeze):
    outs = nd.split(_nd(X), num_outputs=num, axis=axis, squeeze_axis=squeeze)
    refs = np.split(X, num, axis=axis)
    if squeeze:
        refs = [np.squeeze(r, axis=axis) for r in refs]
    for o, r in zip(outs, refs):
        np.testing.assert_array_equal(o.asnumpy(), r)
    assert infer(nd.SliceChannel, [X.shape], num_outputs=num, axis=axis,
                 squeeze_axis=squeeze) == [refs[0].shape] * num
    _fd.check_grad(nd.SliceChannel, [X], dict(num_outputs=num, axis=axis,
                                              squeeze_axis=squeeze))
    with pytest.raises(MXNetError, match="SliceChannel"):
        nd.split(_nd(X), num_outputs=4, axis=0)
