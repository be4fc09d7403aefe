"""mx.nd.image.resize refuses non-positive sizes with MXNetError."""
import pytest

import mxnet as mx
from mxnet.base import MXNetError


@pytest.mark.parametrize("size", [-5, (0, 4), (4, -1)])
def test_non_positive_size_is_an_error(size):
    with pytest.raises(MXNetError, match="greater than 0"):
        mx.nd.image.resize(mx.nd.ones((6, 6, 3)), size=size)
