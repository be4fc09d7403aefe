"""Shape operators of ``_ops/defs/matrix.py``: forwards against NumPy, shape rules,
gradients against finite differences (mxnet._test_utils.finite_diff)."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(5)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    """Output shapes from an operator's shape rule (what the symbolic API uses)."""
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]


X = RNG.uniform(-1, 1, (2, 3, 4))

# (front-end, kwargs, input, numpy reference)
CASES = [
    ("expand_dims", dict(axis=1), X, lambda x: np.expand_dims(x, 1)),
    ("expand_dims", dict(axis=-1), X, lambda x: np.expand_dims(x, -1)),
    ("squeeze", {}, X.reshape(2, 1, 3, 1, 4), lambda x: x.reshape(2, 3, 4)),
    ("squeeze", dict(axis=(1,)), X.reshape(2, 1, 3, 1, 4), lambda x: x.reshape(2, 3, 1, 4)),
    ("clip", dict(a_min=-0.3, a_max=0.4), X, lambda x: np.clip(x, -0.3, 0.4)),
    ("repeat", dict(repeats=2), X, lambda x: np.repeat(x, 2)),
    ("repeat", dict(repeats=3, axis=1), X, lambda x: np.repeat(x, 3, axis=1)),
    ("repeat", dict(repeats=2, axis=-1), X, lambda x: np.repeat(x, 2, axis=-1)),
    ("tile", dict(reps=(2, 1, 3)), X, lambda x: np.tile(x, (2, 1, 3))),
    ("tile", dict(reps=(2,)), X, lambda x: np.tile(x, 2)),
    ("tile", dict(reps=(2, 1, 1, 2)), X, lambda x: np.tile(x, (2, 1, 1, 2))),
    ("reverse", dict(axis=(0, 2)), X, lambda x: x[::-1, :, ::-1]),
    ("flip", dict(axis=1), X, lambda x: x[:, ::-1]),
    ("SwapAxis", dict(dim1=0, dim2=2), X, lambda x: np.swapaxes(x, 0, 2)),
    ("swapaxes", dict(dim1=1, dim2=-1), X, lambda x: np.swapaxes(x, 1, -1)),
    ("depth_to_space", dict(block_size=2), RNG.uniform(-1, 1, (1, 8, 2, 3)), None),
    ("space_to_depth", dict(block_size=2), RNG.uniform(-1, 1, (1, 2, 4, 6)), None),
]


def _d2s(x, b):
    n, c, h, w = x.shape
    y = x.reshape(n, b, b, c // b // b, h, w).transpose(0, 3, 4, 1, 5, 2)
    return y.reshape(n, c // b // b, h * b, w * b)


@pytest.mark.parametrize("name, kwargs, x, ref", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_forward_shape_and_gradient(name, kwargs, x, ref):
    fn = getattr(nd, name)
    out = fn(_nd(x), **kwargs).asnumpy()
    if ref is not None:
        np.testing.assert_allclose(out, ref(x))
    assert infer(fn, [x.shape], **kwargs) == [out.shape]
    _fd.check_grad(fn, [x], kwargs)


def test_depth_space_round_trip():
    x = RNG.uniform(-1, 1, (2, 12, 3, 2))
    y = nd.depth_to_space(_nd(x), block_size=2)
    np.testing.assert_allclose(y.asnumpy(), _d2s(x, 2))
    np.testing.assert_allclose(nd.space_to_depth(y, block_size=2).asnumpy(), x)
    with pytest.raises(MXNetError):
        nd.depth_to_space(nd.zeros((1, 3, 2, 2)), block_size=2)


def test_squeeze_everything_keeps_one_dimension():
    assert nd.squeeze(nd.zeros((1, 1))).shape == (1,)
    with pytest.raises(MXNetError, match="squeeze"):
        nd.squeeze(nd.zeros((2, 3)), axis=0)


def test_clip_gradient_includes_bounds():
    x = nd.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.clip(x, 0, 1)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [0, 1, 1, 1, 0])


@pytest.mark.parametrize("kwargs, rhs, expected", [
    ({}, (6, 4), (6, 4)),
    (dict(lhs_begin=1, lhs_end=3, rhs_begin=0, rhs_end=1), (12, 5), (2, 12)),
    (dict(lhs_begin=0, lhs_end=2, rhs_begin=0, rhs_end=1), (6, 5), (6, 4)),
    (dict(lhs_begin=-2, lhs_end=None, rhs_begin=1, rhs_end=None), (9, 12), (2, 12)),
])
def test_reshape_like(kwargs, rhs, expected):
    x = RNG.uniform(-1, 1, (2, 3, 4))
    out = nd.reshape_like(_nd(x), nd.zeros(rhs), **kwargs)
    assert out.shape == expected
    np.testing.assert_array_equal(out.asnumpy().reshape(-1), x.reshape(-1))
    assert infer(nd.reshape_like, [x.shape, rhs], **kwargs) == [expected]
    _fd.check_grad(lambda a: nd.reshape_like(a, nd.zeros(rhs), **kwargs), [x])
    with pytest.raises(MXNetError, match="reshape_like"):
        nd.reshape_like(_nd(x), nd.zeros((5,)))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_stack(axis):
    a, b, c = (RNG.uniform(-1, 1, (2, 3)) for _ in range(3))
    out = nd.stack(_nd(a), _nd(b), _nd(c), axis=axis)
    np.testing.assert_allclose(out.asnumpy(), np.stack([a, b, c], axis=axis))
    assert infer(nd.stack, [a.shape] * 3, axis=axis, num_args=3) == [out.shape]
    _fd.check_grad(lambda *xs: nd.stack(*xs, axis=axis), [a, b, c])
    _fd.check_grad(lambda x: nd.stack(x, axis=axis), [a])


@pytest.mark.parametrize("name, kwargs", [
    ("tile", dict(reps=(2, 3))), ("repeat", dict(repeats=2, axis=0)),
    ("SwapAxis", dict(dim1=0, dim2=1)), ("expand_dims", dict(axis=0))])
def test_gradients_differentiate_again(name, kwargs):
    fn = getattr(nd, name)
    _fd.check_second_order(lambda x: fn(x, **kwargs) ** 2, [RNG.uniform(-1, 1, (2, 3))])


def test_methods_exist():
    x = nd.ones((2, 1, 3))
    assert x.expand_dims(axis=0).shape == (1, 2, 1, 3)
    assert x.squeeze().shape == (2, 3)
    assert x.tile(reps=(2,)).shape == (2, 1, 6)
    assert x.swapaxes(0, 2).shape == (3, 1, 2)
    assert x.flip(axis=0).shape == (2, 1, 3)
