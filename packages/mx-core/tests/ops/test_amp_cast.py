"""``_ops/defs/amp_cast.py``: amp_cast and amp_multicast."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd


RNG = np.random.RandomState(83)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_amp_cast():
    x = RNG.uniform(-1, 1, (2, 3))
    out = nd.amp_cast(_nd(x.astype(np.float32)), dtype="float16")
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.asnumpy(), x.astype(np.float16))
    assert nd.amp_cast(nd.array([1, 2], dtype="int32"), dtype="float16").dtype == np.int32
    _fd.check_grad(lambda a: nd.amp_cast(a, dtype="float64"), [x])


@pytest.mark.parametrize("narrow, dtype", [(False, np.float32), (True, np.float16)])
def test_amp_multicast(narrow, dtype):
    a = nd.ones((2,), dtype="float32")
    b = nd.ones((2,), dtype="float16")
    outs = nd.amp_multicast(a, b, num_outputs=2, cast_narrow=narrow)
    assert [o.dtype for o in outs] == [dtype, dtype]
