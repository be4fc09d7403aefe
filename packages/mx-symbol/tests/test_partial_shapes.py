"""Shape inference with unknown dimensions (0 in MXNet's legacy mode), both ways."""
import json
import re

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


def _args(sym, **kwargs):
    arg_shapes, _, _ = sym.infer_shape(**kwargs)
    return dict(zip(sym.list_arguments(), arg_shapes))


def test_elementwise_partial_shapes_complete_each_other():
    a = mx.sym.var("a", shape=(0, 10))
    b = mx.sym.var("b", shape=(12, 0))
    assert _args(a + b) == {"a": (12, 10), "b": (12, 10)}


def test_fully_connected_batch_comes_back_from_its_output():
    fc = mx.sym.FullyConnected(mx.sym.var("a", shape=(0, 10)), num_hidden=21)
    shapes = _args(fc + mx.sym.var("c", shape=(5, 0)))
    assert shapes["a"] == (5, 10) and shapes["c"] == (5, 21)


def test_convolution_spatial_dims_come_back_for_stride_one():
    conv = mx.sym.Convolution(mx.sym.var("a", shape=(0, 10, 0, 0)), num_filter=21,
                              kernel=(3, 3), pad=(1, 1))
    shapes = _args(conv + mx.sym.var("c", shape=(5, 21, 32, 32)))
    assert shapes["a"] == (5, 10, 32, 32)


def test_split_and_concat_infer_backward():
    parts = mx.sym.SliceChannel(mx.sym.var("a", shape=(0, 15, 0)), num_outputs=3)
    assert _args(parts[1] + mx.sym.var("c", shape=(3, 5, 2)))["a"] == (3, 15, 2)
    cat = mx.sym.Concat(mx.sym.var("a", shape=(0, 10)), mx.sym.var("b", shape=(0, 5)),
                        dim=1)
    shapes = _args(mx.sym.var("d", shape=(2, 0)) + cat)
    assert shapes == {"d": (2, 15), "a": (2, 10), "b": (2, 5)}


def test_concat_of_an_unknown_axis_size_stays_unknown():
    cat = mx.sym.Concat(mx.sym.var("x", shape=(0,)), mx.sym.var("y", shape=(64,)), dim=0)
    assert cat.infer_shape_partial()[1] == [(0,)]


def test_batch_dot_with_unknown_reduced_dim_infers_nothing():
    z = mx.sym.batch_dot(mx.sym.var("x"), mx.sym.var("y"))
    assert z.infer_shape_partial(x=(0, 3, 4), y=(0, 4, 5))[1] == [(0, 3, 5)]
    assert z.infer_shape_partial(x=(0, 3, 4), y=(0, 0, 5))[1] == [()]


def test_partial_weight_attribute_is_completed():
    w = mx.sym.var("weight", shape=(128, 0))
    fc = mx.sym.FullyConnected(mx.sym.var("data"), w, num_hidden=128)
    assert _args(fc, data=(10, 784))["weight"] == (128, 784)


def test_int_shape_attribute():
    v = mx.sym.var("v", shape=1)
    assert v.attr("__shape__") == "1"
    assert v.infer_shape()[0] == [(1,)]


def test_inconsistent_shapes_raise():
    v = mx.sym.var("V")
    s = mx.sym.transpose(v) + (mx.sym.var("x") + v)
    with pytest.raises(MXNetError, match="inconsistent"):
        s.infer_shape(x=(2, 3))


def test_np_shape_flag_in_json_and_legacy_files():
    net = mx.sym.FullyConnected(mx.sym.var("data"), mx.sym.var("weight", shape=(8, 0)),
                                num_hidden=8)
    assert "is_np_shape" not in json.loads(net.tojson())["attrs"]
    with mx.util.np_shape(True):
        assert json.loads(net.tojson())["attrs"]["is_np_shape"] == ["int", 1]
        # a file without the flag: its 0 dims are unknown even under np_shape
        loaded = mx.sym.load_json(net.tojson().replace('"is_np_shape": ["int", 1], ', ""))
        assert _args(loaded, data=(2, 5))["weight"] == (8, 5)


def test_zero_gradients_need_no_backward_memory():
    data = mx.sym.var("data")
    for _ in range(3):
        data = data * data

    def allocated(sym, **kw):
        exe = sym.simple_bind(mx.cpu(), data=(64, 1024), **kw)
        return int(re.search(r"Total (\d+) MB allocated", exe.debug_str()).group(1))
    with_grad = allocated(data)
    assert with_grad > allocated(data, grad_req="null")
    assert allocated(mx.sym.stop_gradient(data)) == allocated(data, grad_req="null")
    exe = mx.sym.stop_gradient(data).simple_bind(mx.cpu(), data=(2, 2))
    exe.forward(is_train=True, data=mx.nd.ones((2, 2)) * 2)
    exe.backward()
    assert exe.grad_dict["data"].asnumpy().tolist() == [[0, 0], [0, 0]]


def test_gen_atomic_symbol_keeps_operator_and_attributes():
    s = mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=3, name="fc")
    atom = s._gen_atomic_symbol()
    assert atom.list_arguments() == ["fc_data", "fc_weight", "fc_bias"]
    assert atom.infer_shape(fc_data=(2, 4))[1] == [(2, 3)]
    np.testing.assert_array_equal(atom.list_attr()["num_hidden"], "3")


def test_debug_str_matches_mxnet_layout():
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    text = mx.sym.Group([mx.sym.Activation(fc, act_type="relu", name="r"), fc]).debug_str()
    assert text.splitlines()[:4] == ["Symbol Outputs:", "\toutput[0]=r(0)", "\toutput[1]=fc(0)",
                                     "Variable:data"]
    assert "Op:FullyConnected, Name=fc\nInputs:\n\targ[0]=data(0) version=0" in text
    assert text.endswith("Inputs:\n\targ[0]=fc(0)\nAttrs:\n\tact_type=relu\n")
    assert mx.sym.var("x").debug_str() == "Variable:x\n"
    assert fc.as_nd_ndarray() is fc
