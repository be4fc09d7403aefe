"""Slicing operators of ``_ops/defs/matrix_slice.py`` (slice/crop, slice_axis,
slice_like, _slice_assign(_scalar), split_v2): NumPy references, shape rules,
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


@pytest.mark.parametrize("begin, end, step, key", [
    ((0, 1), (2, 3), (), np.s_[0:2, 1:3]),
    ((None, 0, 1), (None, None, -1), (), np.s_[:, 0:, 1:-1]),
    ((None, -1), (None, None), (None, -1), np.s_[:, ::-1]),
    ((2, None, 4), (0, None, 0), (-1, 2, -2), np.s_[2:0:-1, ::2, 4:0:-2]),
    ((-1,), (None,), (), np.s_[-1:]),
])
def test_slice(begin, end, step, key):
    kwargs = dict(begin=begin, end=end, step=step)
    out = nd.slice(_nd(X), **kwargs)
    np.testing.assert_array_equal(out.asnumpy(), X[key])
    assert infer(nd.slice, [X.shape], **kwargs) == [X[key].shape]
    np.testing.assert_array_equal(nd.crop(_nd(X), **kwargs).asnumpy(), X[key])
    _fd.check_grad(nd.slice, [X], kwargs)


def test_slice_zero_step_raises():
    with pytest.raises(MXNetError, match="step"):
        nd.slice(_nd(X), begin=(0,), end=(2,), step=(0,))


def test_slice_assign_and_scalar():
    rhs = RNG.uniform(-1, 1, (2, 2, 5))
    kw = dict(begin=(0, 1), end=(2, 3), step=())
    out = nd._internal._slice_assign(_nd(X), _nd(rhs), **kw).asnumpy()
    expected = X.copy()
    expected[0:2, 1:3] = rhs
    np.testing.assert_array_equal(out, expected)
    _fd.check_grad(nd._internal._slice_assign, [X, rhs], kw)
    out = nd._internal._slice_assign_scalar(_nd(X), scalar=2.5, **kw).asnumpy()
    expected[0:2, 1:3] = 2.5
    np.testing.assert_array_equal(out, expected)
    _fd.check_grad(nd._internal._slice_assign_scalar, [X], dict(scalar=2.5, **kw))


@pytest.mark.parametrize("axis, begin, end", [(1, 1, None), (-1, -3, -1), (0, 0, 1)])
def test_slice_axis(axis, begin, end):
    out = nd.slice_axis(_nd(X), axis=axis, begin=begin, end=end)
    ref = np.take(X, np.arange(X.shape[axis])[begin:end], axis=axis)
    np.testing.assert_array_equal(out.asnumpy(), ref)
    assert infer(nd.slice_axis, [X.shape], axis=axis, begin=begin, end=end) == [ref.shape]
    _fd.check_grad(nd.slice_axis, [X], dict(axis=axis, begin=begin, end=end))
    _fd.check_second_order(lambda x: nd.slice_axis(x, axis=axis, begin=begin,
                                                   end=end) ** 2, [X[:2, :2, :]])


@pytest.mark.parametrize("axes, expected", [((), (2, 3, 4)), ((1, -1), (3, 3, 4))])
def test_slice_like(axes, expected):
    like = nd.zeros((2, 3, 4))
    out = nd.slice_like(_nd(X), like, axes=axes)
    assert out.shape == expected
    np.testing.assert_array_equal(out.asnumpy(), X[:expected[0], :expected[1], :4])
    assert infer(nd.slice_like, [X.shape, (2, 3, 4)], axes=axes) == [expected]
    _fd.check_grad(lambda x: nd.slice_like(x, like, axes=axes), [X])


@pytest.mark.parametrize("sections, axis, squeeze", [((1, 3), 0, False), (2, 1, False),
                                                      (5, 2, True)])
def test_split_v2(sections, axis, squeeze):
    outs = nd.split_v2(_nd(X), sections, axis=axis, squeeze_axis=squeeze)
    if isinstance(sections, int):
        refs = np.split(X, sections, axis=axis)
    else:
        refs = np.split(X, list(sections), axis=axis)
    if squeeze:
        refs = [np.squeeze(r, axis=axis) for r in refs]
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        np.testing.assert_array_equal(o.asnumpy(), r)
    _fd.check_grad(lambda x: nd.split_v2(x, sections, axis=axis, squeeze_axis=squeeze),
                   [X])
    assert len(_nd(X).split_v2(sections, axis=axis)) == len(refs)
    with pytest.raises(ValueError):
        nd.split_v2(_nd(X), 7, axis=0)


def test_split_v2_shape_rule_and_internal_op():
    assert infer(nd._internal._split_v2, [(6, 3)], indices=(0, 1, 4)) == \
        [(1, 3), (3, 3), (2, 3)]
    assert infer(nd._internal._split_v2, [(6, 3)], axis=1, sections=3,
                 squeeze_axis=True) == [(6,)] * 3
    outs = nd._internal._split_v2(_nd(X), indices=(0, 2), axis=1)
    assert [o.shape for o in outs] == [(3, 2, 5), (3, 2, 5)]


@pytest.mark.parametrize("begin, end", [(-10, 2), (1, 9), (3, 1)])
def test_slice_axis_rejects_out_of_range(begin, end):
    # MXNet 1.9.1 raises instead of clipping like Python slices
    with pytest.raises(MXNetError, match="slice_axis"):
        nd.slice_axis(nd.zeros((4, 5)), axis=0, begin=begin, end=end)


def test_slice_assign_methods_work_in_place():
    x = nd.zeros((3, 4))
    assert x.slice_assign(nd.ones((2, 2)), (0, 1), (2, 3), (None, None)) is x
    x.slice_assign_scalar(5, (2,), (3,), ())
    assert x.asnumpy().tolist() == [[0, 1, 1, 0], [0, 1, 1, 0], [5, 5, 5, 5]]
