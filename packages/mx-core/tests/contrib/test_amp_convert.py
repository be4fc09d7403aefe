"""amp.convert_symbol / convert_model: cast nodes per the operator lists."""
import json

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.contrib import amp

sym = pytest.importorskip("mxnet.symbol")


def _nodes(symbol):
    graph = json.loads(symbol.tojson())
    names = [n["name"] for n in graph["nodes"]]
    return {n["name"]: (n["op"], n.get("attrs", {}), [names[i[0]] for i in n["inputs"]])
            for n in graph["nodes"]}


def _net():
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
    act = mx.sym.Activation(fc1, act_type="relu", name="relu1")
    fc2 = mx.sym.FullyConnected(act, num_hidden=3, name="fc2")
    return mx.sym.softmax(fc2, name="sm")


def test_casts_follow_the_lists():
    nodes = _nodes(amp.convert_symbol(_net()))
    # FullyConnected runs in float16: its inputs are cast, each tensor once
    assert nodes["fc1"][2] == ["data_amp_cast_float16", "fc1_weight_amp_cast_float16",
                               "fc1_bias_amp_cast_float16"]
    assert nodes["data_amp_cast_float16"] == ("amp_cast", {"dtype": "float16"}, ["data"])
    # relu keeps float16 (all inputs float16), so fc2 reads it without a cast
    assert nodes["fc2"][2][0] == "relu1"
    # softmax is a float32 operator: the float16 tensor is cast back
    assert nodes["sm"][2] == ["fc2_output_amp_cast_float32"]
    assert nodes["fc2_output_amp_cast_float32"][1] == {"dtype": "float32"}


def test_excluded_and_widest():
    a = mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=2, name="fa")
    out = mx.sym.elemwise_add(a, mx.sym.var("y"), name="add")
    nodes = _nodes(amp.convert_symbol(out))
    assert nodes["fa_output_amp_multicast"] == ("amp_multicast", {"num_outputs": "2"},
                                                ["fa", "y"])
    assert nodes["add"][2] == ["fa_output_amp_multicast"] * 2
    nodes = _nodes(amp.convert_symbol(out, excluded_sym_names=["fa"]))
    assert nodes["fa"][2] == ["x", "fa_weight", "fa_bias"]
    assert not any(op.startswith("amp_") for op, _, _ in nodes.values())


def test_convert_model_runs_close_to_float32():
    net = _net()
    rng = np.random.RandomState(0)
    args = {"fc1_weight": mx.nd.array(rng.randn(4, 5)), "fc1_bias": mx.nd.zeros(4),
            "fc2_weight": mx.nd.array(rng.randn(3, 4)), "fc2_bias": mx.nd.zeros(3)}
    x = mx.nd.array(rng.rand(2, 5))
    expected = net.bind(mx.cpu(), dict(args, data=x)).forward()[0].asnumpy()
    for optional in (False, True):
        converted, new_args, _ = amp.convert_model(net, dict(args), {},
                                                   cast_optional_params=optional)
        want = np.float16 if optional else np.float32
        assert all(v.dtype == want for v in new_args.values())
        out = converted.bind(mx.cpu(), dict(new_args, data=x)).forward()[0]
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.asnumpy(), expected, atol=5e-3)


def test_list_errors():
    with pytest.raises(MXNetError, match="two or more lists"):
        amp.convert_symbol(_net(), target_dtype_ops=["FullyConnected"],
                           fp32_ops=["FullyConnected"])
    with pytest.raises(MXNetError, match="none of the AMP lists"):
        amp.convert_symbol(_net(), target_dtype_ops=["NoSuchOp"])
    with pytest.raises(MXNetError):
        amp.convert_model(_net(), [], {})


def test_cast_nodes_keep_their_own_type():
    # a Cast to float32 between two float16 operators is float32: the next one casts it
    f1 = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="f1")
    f2 = mx.sym.FullyConnected(mx.sym.Cast(f1, dtype="float32", name="c"), num_hidden=2,
                               name="f2")
    args = {"f1_weight": mx.nd.ones((3, 4)), "f1_bias": mx.nd.zeros(3),
            "f2_weight": mx.nd.ones((2, 3)), "f2_bias": mx.nd.zeros(2)}
    converted, new_args, _ = amp.convert_model(f2, args, {}, cast_optional_params=True)
    assert _nodes(converted)["f2"][2][0] == "c_output_amp_cast_float16"
    out = converted.bind(mx.cpu(), dict(new_args, data=mx.nd.ones((1, 4)))).forward()[0]
    assert out.dtype == np.float32 and out.asnumpy().tolist() == [[12.0, 12.0]]
