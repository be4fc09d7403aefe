"""Module over several contexts (DataParallelExecutorGroup), kvstore and monitor."""
import os
from collections import namedtuple

import numpy as np
import pytest

import mxnet as mx


def test_outputs_split_along_the_layout_batch_axis():
    sym = mx.sym.Activation(mx.sym.var("data"), act_type="relu", __layout__="TNC")
    mod = mx.mod.Module(sym, ("data",), None, context=[mx.cpu(0), mx.cpu(1)])
    mod.bind(data_shapes=[mx.io.DataDesc("data", (3, 8, 7), layout="TNC")])
    mod.init_params()
    x = np.arange(3 * 8 * 7, dtype="float32").reshape(3, 8, 7) - 80
    mod.forward(mx.io.DataBatch([mx.nd.array(x)], None))
    np.testing.assert_array_equal(mod.get_outputs()[0].asnumpy(), np.maximum(x, 0))
    parts = mod.get_outputs(merge_multi_context=False)[0]
    assert [p.shape for p in parts] == [(3, 4, 7), (3, 4, 7)]
    np.testing.assert_array_equal(parts[1].asnumpy(), np.maximum(x[:, 4:], 0))


def test_bind_rejects_a_non_integer_shape_and_stays_unbound():
    mod = mx.mod.Module(mx.sym.relu(mx.sym.var("data")), ("data",), None)
    with pytest.raises(TypeError):
        mod.bind(data_shapes=[("data", mx.nd.array([10, 10]))])
    assert not mod.binded


def test_ctx_group_inputs_and_gradients_live_on_their_group_context():
    with mx.AttrScope(ctx_group="dev1"):
        a = mx.sym.var("a") * 2
    with mx.AttrScope(ctx_group="dev2"):
        c = a + mx.sym.var("b")
    mod = mx.mod.Module(c, ("a", "b"), None, context=[mx.cpu(0)],
                        group2ctxs={"dev1": mx.cpu(1), "dev2": mx.cpu(2)})
    mod.bind(data_shapes=[("a", (2, 3)), ("b", (2, 3))], inputs_need_grad=True)
    mod.init_params()
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 3)), mx.nd.ones((2, 3))]), is_train=True)
    mod.backward([mx.nd.ones((2, 3))])
    grad_a, grad_b = mod.get_input_grads()
    assert grad_a.context == mx.cpu(1) and grad_b.context == mx.cpu(2)
    assert grad_a.asnumpy().tolist() == [[2.0] * 3] * 2
    assert mod.get_outputs()[0].asnumpy().tolist() == [[3.0] * 3] * 2


def test_update_is_the_same_on_one_or_two_contexts():
    pytest.importorskip("mxnet.kvstore", reason="several contexts need mx-kvstore")
    sym = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc")
    x = mx.nd.array(np.linspace(-1, 1, 24).reshape(8, 3))
    results = []
    for ctx in ([mx.cpu(0)], [mx.cpu(0), mx.cpu(1)]):
        mod = mx.mod.Module(sym, ("data",), None, context=ctx)
        mod.bind(data_shapes=[("data", (8, 3))])
        mod.init_params(initializer=mx.init.One())
        mod.init_optimizer(optimizer_params={"learning_rate": 0.5})
        mod.forward(mx.io.DataBatch([x]), is_train=True)
        mod.backward([mx.nd.ones((8, 3))])
        mod.update()
        results.append(mod.get_params()[0]["fc_weight"].asnumpy())
        assert mod._exec_group.param_names == ["fc_weight", "fc_bias"]
    # d(sum out)/dW = sum_rows(x) for each output row, scaled by 1/batch
    expected = 1 - 0.5 * x.asnumpy().sum(axis=0) / 8
    np.testing.assert_allclose(results[0], np.tile(expected, (3, 1)), rtol=1e-6)
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)


def test_checkpoint_with_kvstore_optimizer_states(tmp_path):
    pytest.importorskip("mxnet.kvstore", reason="several contexts need mx-kvstore")
    sym = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=4)
    mod = mx.mod.Module(sym, ("data",), None, context=[mx.cpu(0), mx.cpu(1)])
    mod.bind(data_shapes=[("data", (6, 5))])
    mod.init_params()
    mod.init_optimizer(optimizer_params={"learning_rate": 0.1, "momentum": 0.9})
    assert mod._update_on_kvstore and mod._kvstore is not None
    mod.forward_backward(mx.io.DataBatch([mx.nd.ones((6, 5))]))
    mod.update()
    prefix = str(tmp_path / "ck")
    mod.save_checkpoint(prefix, 3, save_optimizer_states=True)
    mod2 = mx.mod.Module.load(prefix, 3, load_optimizer_states=True, data_names=("data",),
                              label_names=None)
    mod2.bind(data_shapes=[("data", (6, 5))])
    mod2.init_optimizer(optimizer_params={"learning_rate": 0.1, "momentum": 0.9})
    for name, value in mod.get_params()[0].items():
        np.testing.assert_array_equal(value.asnumpy(), mod2.get_params()[0][name].asnumpy())
    states = mod._kvstore._updater.states
    assert set(states) == set(mod2._updater.states)


def test_forward_reshapes_for_a_batch_without_provide_data():
    Batch = namedtuple("Batch", ["data"])
    mod = mx.mod.Module(mx.sym.var("data") * 2, label_names=None)
    mod.bind(data_shapes=[("data", (1, 4))])
    mod.init_params()
    mod.forward(Batch([mx.nd.ones((3, 5))]))
    assert mod.get_outputs()[0].asnumpy().tolist() == [[2.0] * 5] * 3


def test_bucketing_grad_req_add_accumulates_across_buckets():
    def sym_gen(_):
        weight = mx.sym.var("a", shape=(1,), init=mx.init.One())
        return mx.sym.make_loss(mx.sym.broadcast_mul(mx.sym.var("data"), weight)), \
            ("data",), None
    mod = mx.mod.BucketingModule(sym_gen=sym_gen, default_bucket_key=10)
    mod.bind(data_shapes=[("data", (2,))], grad_req="add")
    mod.init_params()
    for key in (10, 5):
        mod.forward_backward(mx.io.DataBatch(
            [mx.nd.ones((2,))], None, bucket_key=key,
            provide_data=[mx.io.DataDesc("data", (2,), layout="N")]))
    grad = mod._curr_module._exec_group.execs[0].grad_dict["a"]
    assert grad.asscalar() == 4


def test_monitor_sees_backward_outputs():
    x = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    x = mx.sym.Activation(x, act_type="relu", name="act")
    x = mx.sym.LinearRegressionOutput(x, name="out")
    mod = mx.mod.Module(x, context=mx.cpu(), label_names=("out_label",))
    mod.bind([("data", (1, 2))], label_shapes=[("out_label", (1, 2))])
    mod.init_params(initializer=mx.init.One())
    mon = mx.mon.Monitor(1, pattern=".*", sort=False)
    mod.install_monitor(mon)
    mon.tic()
    mod.forward_backward(mx.io.DataBatch([mx.nd.ones((1, 2))], [mx.nd.zeros((1, 2))]))
    names = [k for _, k, _ in mon.toc()]
    assert names[:9] == ["fc_output", "act_output", "out_output", "out_backward_output0",
                         "out_backward_output1", "act_backward_output",
                         "fc_backward_output0", "fc_backward_output1",
                         "fc_backward_output2"]
    # the monitored (interpreted) backward computes the same gradients (MXNet 1.9.1:
    # 1.0 for this network)
    weight_grad = mod._exec_group.execs[0].grad_dict["fc_weight"].asnumpy()
    np.testing.assert_allclose(weight_grad, np.ones((2, 2)), rtol=1e-6)


def test_module_rnn_states_round_trip():
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(num_hidden=4, prefix="l0_"))
    begin = stack.begin_state(func=mx.sym.Variable)
    _, states = stack.unroll(3, begin_state=begin, inputs=mx.sym.var("data"))
    mod = mx.mod.Module(mx.sym.Group(states), label_names=None,
                        state_names=[s.name for s in begin])
    mod.bind(data_shapes=[("data", (2, 3, 5))], for_training=False)
    mod.init_params()
    mod.set_states(value=1)
    assert mod.get_states(merge_multi_context=False)[0][0].asnumpy().tolist() == \
        [[1.0] * 4] * 2
    with pytest.raises(mx.base.MXNetError):
        mod.get_states()


def test_environment_default_updates_on_kvstore():
    assert os.getenv("MXNET_UPDATE_ON_KVSTORE", "1") == "1"
