"""``_ops/defs/pad.py``: Pad in every mode, its exact adjoint and second order."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(47)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



@pytest.mark.parametrize("mode, width, value", [
    ("constant", (0, 0, 0, 0, 1, 2, 2, 1), 0.5),
    ("edge", (0, 0, 0, 0, 2, 1, 1, 3), 0.0),
    ("reflect", (0, 0, 0, 0, 1, 2, 2, 1), 0.0),
    ("edge", (0, 0, 0, 0, 1, 0, 1, 1, 0, 2), 0.0),
])
def test_pad(mode, width, value):
    shape = (1, 2, 3, 4) if len(width) == 8 else (1, 2, 2, 3, 3)
    x = RNG.uniform(-1, 1, shape)
    pairs = [(width[2 * i], width[2 * i + 1]) for i in range(len(shape))]
    ref = np.pad(x, pairs, mode=mode, **({"constant_values": value}
                                         if mode == "constant" else {}))
    out = nd.pad(_nd(x), mode=mode, pad_width=width, constant_value=value)
    np.testing.assert_array_equal(out.asnumpy(), ref)
    assert infer(nd.Pad, [shape], mode=mode, pad_width=width) == [ref.shape]
    kw = dict(mode=mode, pad_width=width, constant_value=value)
    _fd.check_grad(nd.Pad, [x], kw)
    _fd.check_second_order(lambda a: nd.Pad(a, **kw) ** 2, [x])


def test_pad_errors():
    with pytest.raises(MXNetError, match="Pad"):
        nd.pad(nd.zeros((2, 3)), mode="constant", pad_width=(1, 1, 1, 1))
    with pytest.raises(MXNetError, match="Pad"):
        nd.pad(nd.zeros((1, 1, 2, 2)), mode="reflect", pad_width=(0, 0, 0, 0, 2, 2, 0, 0))
