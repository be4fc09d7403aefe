"""Symbol/Module behaviours MXNet 1.9.1's own unit tests rely on."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import NotImplementedForSymbol


def test_fluent_methods_build_the_same_graph():
    data = mx.sym.var("data")
    fluent = data.sum(axis=1)
    assert fluent.list_arguments() == ["data"]
    assert fluent.infer_shape(data=(2, 3))[1] == [(2,)]
    parts = data.split(num_outputs=3, axis=1)
    assert len(parts.list_outputs()) == 3
    out = data.slice_like(mx.sym.var("like"), axes=(0,)).eval(
        data=mx.nd.ones((4, 2)), like=mx.nd.ones((3,)))[0]
    assert out.shape == (3, 2)


@pytest.mark.parametrize("name", ["asnumpy", "asscalar", "copy", "wait_to_read"])
def test_ndarray_only_methods_refuse_symbols(name):
    with pytest.raises(NotImplementedForSymbol):
        getattr(mx.sym.var("x"), name)()


def test_symbol_has_no_truth_value():
    with pytest.raises(NotImplementedForSymbol):
        bool(mx.sym.var("x"))


def test_lr_mult_and_friends_are_graph_attributes():
    fc = mx.sym.FullyConnected(mx.sym.var("data"), name="fc1", num_hidden=10, lr_mult=0,
                               wd_mult=0.5)
    attrs = fc.attr_dict()
    assert attrs["fc1"]["__lr_mult__"] == "0" and attrs["fc1"]["lr_mult"] == "0"
    assert attrs["fc1_weight"]["__wd_mult__"] == "0.5"
    # the parameters still parse, so the graph binds and runs
    assert fc.infer_shape(data=(2, 3))[1] == [(2, 10)]


def test_composed_variables_get_operator_initializers():
    prelu = mx.sym.LeakyReLU(mx.sym.var("data"), act_type="prelu", name="act")
    assert prelu.attr_dict()["act_gamma"]["__init__"] == '["Constant", {"value": 0.25}]'
    own = mx.sym.var("g", init=mx.init.One())
    mx.sym.LeakyReLU(mx.sym.var("data"), gamma=own, act_type="prelu")
    assert "one" in own.attr("__init__").lower()
    bn = mx.sym.BatchNorm(mx.sym.var("data"), name="bn").attr_dict()
    assert bn["bn_moving_mean"]["__init__"] == '["zero", {}]'
    assert bn["bn_moving_var"]["__init__"] == '["one", {}]'


def test_module_initializes_prelu_and_batchnorm_aux_from_attributes():
    mod = mx.mod.Module(mx.sym.LeakyReLU(mx.sym.var("data"), act_type="prelu"),
                        label_names=None)
    mod.bind(data_shapes=[("data", (4, 4))])
    mod.init_params()
    np.testing.assert_allclose(list(mod.get_params()[0].values())[0].asnumpy(), 0.25)


def test_positional_none_skips_an_optional_input():
    loss = mx.sym.CTCLoss(mx.sym.var("pred"), mx.sym.var("label"), None, None)
    assert loss.list_arguments() == ["pred", "label"]


def test_get_symbol_of_a_recorded_computation():
    x = mx.nd.ones((1,))
    x.attach_grad()
    z = mx.nd.ones((1,))
    z.attach_grad()
    with mx.autograd.record():
        y = x * x + 2 * z - 1
    sym = mx.autograd.get_symbol(y)
    assert len(sym.list_arguments()) == 2
    a, b = sym.list_arguments()
    out = sym.eval(**{a: mx.nd.array([3.0]), b: mx.nd.array([1.0])})[0]
    np.testing.assert_allclose(out.asnumpy(), [10.0])


def test_unknown_shapes_read_none_under_np_shape():
    sym = mx.sym.sin(mx.sym.var("data"))
    assert sym.infer_shape_partial()[0] == [()]
    with mx.np_shape(True):
        assert sym.infer_shape_partial()[0] == [None]


def test_data_parallel_executor_group_splits_the_batch():
    from mxnet.module.executor_group import DataParallelExecutorGroup
    sym = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc")
    group = DataParallelExecutorGroup(sym, [mx.cpu(0), mx.cpu(1)], None, [("data", (4, 5))],
                                      None, ["fc_weight", "fc_bias"], True, False)
    assert [e.arg_dict["data"].shape for e in group.execs] == [(2, 5), (2, 5)]
    for exe in group.execs:
        exe.arg_dict["fc_weight"][:] = 1
        exe.arg_dict["fc_bias"][:] = 0
    group.forward(mx.io.DataBatch(data=[mx.nd.arange(20).reshape((4, 5))]))
    np.testing.assert_allclose(group.get_outputs()[0].asnumpy()[:, 0], [10, 35, 60, 85])
    group.backward([mx.nd.ones((4, 3))])
    np.testing.assert_allclose(group.grad_arrays[0][0].asnumpy()[0], [5, 7, 9, 11, 13])


def test_monitor_collects_outputs_and_arguments():
    sym = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    exe = sym.simple_bind(mx.cpu(), data=(1, 2), grad_req="null")
    mon = mx.mon.Monitor(1, pattern="fc.*", sort=True)
    mon.install(exe)
    mon.tic()
    exe.forward()
    names = [k for _, k, _ in mon.toc()]
    assert names == ["fc_bias", "fc_output", "fc_weight"]
    assert mon.toc() == []


def test_shape_inference_flows_backward_through_elementwise_ops():
    w = mx.sym.var("weight")
    shifted = mx.sym.broadcast_add(w, mx.sym.var("shift", shape=(1,)))
    tied = mx.sym._internal._identity_with_attr_like_rhs(shifted, w)
    net = mx.sym.FullyConnected(mx.sym.var("data"), weight=tied, num_hidden=11,
                                no_bias=True)
    args, _, _ = net.infer_shape(data=(7, 100))
    assert dict(zip(net.list_arguments(), args))["weight"] == (11, 100)


def test_elementwise_partial_shapes_complete_each_other():
    c = mx.sym.var("a") + mx.sym.var("b")
    args, outs, _ = c.infer_shape_partial(a=(0, 10), b=(12, 0))
    assert outs == [(12, 10)]


def test_infer_type_partial_leaves_undecided_types_none():
    a, b, c = mx.sym.var("a"), mx.sym.var("b"), mx.sym.var("c")
    group = mx.sym.Group([a + b, c * 2])
    args, outs, auxs = group.infer_type_partial(a=np.float32)
    assert args == [np.float32, np.float32, None] and outs == [np.float32, None]
    assert group.infer_type(a=np.float32) == (None, None, None)


def test_python_level_symbol_functions():
    x = mx.sym.var("x")
    row = mx.nd.arange(6).reshape((1, 6))
    parts = mx.sym.split_v2(x, 3, axis=1).eval(x=row)
    np.testing.assert_array_equal(parts[2].asnumpy(), [[4, 5]])
    parts = x.split_v2((1, 4), axis=1).eval(x=row)
    np.testing.assert_array_equal(parts[1].asnumpy(), [[1, 2, 3]])
    np.testing.assert_array_equal(mx.sym.eye(3, k=1).eval()[0].asnumpy(), np.eye(3, k=1))
    np.testing.assert_allclose(mx.sym.linspace(0, 1, 5).eval()[0].asnumpy(),
                               np.linspace(0, 1, 5))
    hist = mx.sym.histogram(x, bins=3, range=(0, 6)).eval(x=mx.nd.arange(6))[0]
    np.testing.assert_array_equal(hist.asnumpy(), [2, 2, 2])
    with pytest.raises(ValueError):
        mx.sym.histogram(x, bins=3)
