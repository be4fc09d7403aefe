"""``_ops/defs/contrib/allclose.py``: allclose returns a uint8 scalar array."""
import numpy as np

import mxnet as mx

nd = mx.nd


def test_allclose():
    x = nd.array([[1.0, 2.0], [3.0, np.nan]])
    out = nd.contrib.allclose(x, x + 1e-9)
    assert out.dtype == np.uint8 and out.shape == ()
    assert int(out.asnumpy()) == 1
    assert int(nd.contrib.allclose(x, x, equal_nan=False).asnumpy()) == 0
    assert int(nd.contrib.allclose(x, x + 1).asnumpy()) == 0
