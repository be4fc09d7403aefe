"""The operator registry and the generated front-ends."""
import inspect

import numpy as np
import pytest

import mxnet as mx
from mxnet._ops.registry import OpDef, OpRegistry, namespace_of
from mxnet.base import MXNetError
from mxnet.plugins import Float, Int


def test_namespaces_follow_mxnet_prefixes():
    assert namespace_of("_contrib_box_nms") == ("contrib", "box_nms")
    assert namespace_of("_linalg_gemm2") == ("linalg", "gemm2")
    assert namespace_of("_random_uniform") == ("random", "uniform")
    assert namespace_of("_sample_normal") == ("random", "normal")
    assert namespace_of("_plus_scalar") == ("_internal", "_plus_scalar")
    assert namespace_of("Convolution") == ("", "Convolution")


def test_generated_function_has_mxnet_signature_and_doc():
    fn = mx.nd.FullyConnected
    params = list(inspect.signature(fn).parameters)
    assert params[:6] == ["data", "weight", "bias", "num_hidden", "no_bias", "flatten"]
    assert params[-3:] == ["out", "name", "kwargs"]
    assert "linear transformation" in fn.__doc__
    assert fn.__module__ == "mxnet.ndarray"
    assert mx.nd._internal._plus_scalar.__name__ == "_plus_scalar"


def test_aliases_share_one_definition():
    assert mx.nd.reshape.opdef is mx.nd.Reshape.opdef
    assert mx.nd.elemwise_add.opdef is mx.nd._internal._plus.opdef


def test_positional_params_and_strings():
    x = mx.nd.array([[1, 2], [3, 4]])
    w = mx.nd.ones((3, 2))
    out = mx.nd.FullyConnected(x, w, None, 3, "True")      # num_hidden, no_bias positional
    np.testing.assert_allclose(out.asnumpy(), [[3] * 3, [7] * 3])
    assert mx.nd.transpose(x, axes="(1, 0)").shape == (2, 2)


def test_errors_name_operator_and_argument():
    x = mx.nd.ones((2, 2))
    with pytest.raises(MXNetError, match="FullyConnected.*unexpected argument 'num_hiden'"):
        mx.nd.FullyConnected(x, x, x, num_hiden=2)
    with pytest.raises(MXNetError, match="Required parameter num_hidden of operator "
                                         "FullyConnected"):
        mx.nd.FullyConnected(x, x, x)
    with pytest.raises(MXNetError, match="FullyConnected: required input 'weight'"):
        mx.nd.FullyConnected(x, num_hidden=2)
    with pytest.raises(MXNetError, match="act_type"):
        mx.nd.Activation(x, act_type="relux")
    with pytest.raises(MXNetError, match="broadcast_add: input dtypes differ: lhs is "
                                         "float32, rhs is int32"):
        x + mx.nd.ones((2, 2), dtype="int32")
    with pytest.raises(MXNetError, match="could not be broadcast"):
        mx.nd.broadcast_add(x, mx.nd.ones((3,)))


def test_out_argument_writes_in_place():
    x = mx.nd.array([1.0, 4.0])
    out = mx.nd.zeros((2,))
    res = mx.nd.sqrt(x, out=out)
    assert res is out
    np.testing.assert_allclose(out.asnumpy(), [1, 2])


def test_duplicate_names_raise_naming_both_sources():
    reg = OpRegistry()
    reg.add(OpDef("myop", lambda xp, data: data, source="pkg_one.ops"))
    with pytest.raises(MXNetError, match="'myop' is registered twice.*pkg_one.ops.*"
                                         "pkg_two.ops"):
        reg.add(OpDef("myop", lambda xp, data: data, source="pkg_two.ops"))


def test_decorator_form_and_kernels():
    reg = OpRegistry()

    @reg.register("scale", params=(Float("factor", 2.0), Int("unused", 0)))
    def scale(xp, data, *, factor, unused):
        """Scale the input."""
        return data * factor

    assert reg.get("scale") is scale
    assert scale.parse({"factor": "3"}) == {"factor": 3.0, "unused": 0}
    reg.add_kernel("scale", "cpu", lambda xp, data, *, factor, unused: data)
    assert scale.kernel("cpu") is not scale.forward
    with pytest.raises(MXNetError, match="'nope' is not registered"):
        reg.get("nope")


def test_shape_rules_infer_without_data():
    fc = mx.nd.FullyConnected.opdef
    ins, outs = fc.shape_rule(fc.parse({"num_hidden": 5}), [(4, 3, 2), None, None])
    assert ins == [(4, 3, 2), (5, 6), (5,)] and outs == [(4, 5)]
    with pytest.raises(MXNetError, match="FullyConnected.*weight.*expected \\(5, 6\\), "
                                         "got \\(5, 7\\)"):
        fc.shape_rule(fc.parse({"num_hidden": 5}), [(4, 6), (5, 7), None])
    red = mx.nd.sum.opdef
    assert red.shape_rule(red.parse({}), [(2, 3)])[1] == [(1,)]
    assert red.shape_rule(red.parse({"axis": 1, "keepdims": True}), [(2, 3)])[1] == [(2, 1)]


def test_errstate_is_a_no_op_for_namespaces_without_it():
    # CuPy raises no floating-point warnings and has no errstate; kernels use the helper
    import types

    from mxnet._ops.infer import errstate
    with errstate(types.SimpleNamespace(), divide="ignore"):
        pass
    with errstate(np, divide="ignore"):
        assert np.isinf(np.float32(1) / np.float32(0))
