"""Keyword Symbol inputs of varargs operators (mx.sym.Custom(data=x, op_type=...))."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


class _Scale(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], in_data[0] * 2 + in_data[1])


@mx.operator.register("kw_scale_add")
class _ScaleProp(mx.operator.CustomOpProp):
    def list_arguments(self):
        return ["data", "bias"]

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0]], []

    def create_operator(self, ctx, shapes, dtypes):
        return _Scale()


def test_custom_keyword_inputs_follow_the_argument_order():
    x, b = mx.sym.var("x"), mx.sym.var("b")
    # given out of order: MXNet composes keyword inputs by the prop's argument names
    out = mx.sym.Custom(bias=b, data=x, op_type="kw_scale_add")
    assert out.list_arguments() == ["x", "b"]
    exe = out.bind(mx.cpu(), {"x": mx.nd.array([1.0, 2.0]), "b": mx.nd.array([10.0, 20.0])})
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), [12.0, 24.0])


def test_custom_unknown_keyword_input_is_an_error():
    with pytest.raises(MXNetError, match="unknown input 'weight'"):
        mx.sym.Custom(weight=mx.sym.var("w"), op_type="kw_scale_add")
