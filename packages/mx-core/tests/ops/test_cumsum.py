"""``_ops/defs/cumsum.py``: cumsum forwards, dtypes and gradients."""

import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils import finite_diff as _fd
from mxnet.base import MXNetError


RNG = np.random.RandomState(23)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]


@pytest.mark.parametrize("kw", [dict(axis=1), {}, dict(axis=0, dtype="float64")])
def test_cumsum(kw):
    x = RNG.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
    out = nd.cumsum(_nd(x), **kw)
    axis = kw.get("axis")
    ref = np.cumsum(x if axis is not None else x.reshape(-1), axis=axis or 0,
                    dtype=kw.get("dtype", x.dtype))
    assert out.dtype == ref.dtype
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-6)
    assert infer(nd.cumsum, [x.shape], **kw) == [out.shape]
    _fd.check_grad(nd.cumsum, [x], kw)


def test_cumsum_int_and_negative_axis():
    x = nd.array([[1, 2], [3, 4]], dtype="int32")
    assert nd.cumsum(x, axis=0).asnumpy().tolist() == [[1, 2], [4, 6]]
    with pytest.raises(MXNetError, match="cumsum"):   # MXNet 1.9.1 rejects axis=-1
        nd.cumsum(x, axis=-1)
