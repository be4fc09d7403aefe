"""SequentialModule, PythonLossModule and BucketingModule checkpoints (values checked
against MXNet 1.9.1 runs of the same scripts)."""
import numpy as np
import pytest

import mxnet as mx


def _fc(name, data, hidden):
    return mx.sym.FullyConnected(mx.sym.var(data), num_hidden=hidden, name=name)


def _batch():
    return mx.io.DataBatch([mx.nd.array(np.arange(20).reshape(4, 5) / 10)],
                           [mx.nd.array([0, 1, 1, 0])])


def test_sequential_module_chains_outputs_and_labels():
    head = mx.sym.SoftmaxOutput(_fc("fc2", "fc1_output", 2), name="softmax")
    seq = mx.mod.SequentialModule()
    seq.add(mx.mod.Module(_fc("fc1", "data", 3), label_names=None)).add(
        mx.mod.Module(head, data_names=["fc1_output"]), take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 5))], label_shapes=[("softmax_label", (4,))])
    seq.init_params(initializer=mx.init.Constant(0.1))
    seq.init_optimizer(optimizer_params={"learning_rate": 1.0})
    seq.forward(_batch(), is_train=True)
    seq.backward()
    seq.update()
    assert sorted(seq.get_params()[0]) == ["fc1_bias", "fc1_weight", "fc2_bias",
                                           "fc2_weight"]
    # equal fc2 rows give a zero gradient to fc1 (as in MXNet)
    np.testing.assert_allclose(seq.get_params()[0]["fc1_weight"].asnumpy(), 0.1)
    assert seq.output_shapes == [("softmax_output", (4, 2))]
    metric = mx.metric.create("acc")
    seq.update_metric(metric, _batch().label)
    assert metric.get() == ("accuracy", 0.5)
    with pytest.raises(ValueError, match="Unknown meta"):
        seq.add(mx.mod.Module(head, data_names=["fc1_output"]), take_label=True)


def test_python_loss_module_gradient_reaches_the_previous_module():
    loss = mx.mod.PythonLossModule(grad_func=lambda scores, labels: scores - 1)
    seq = mx.mod.SequentialModule().add(
        mx.mod.Module(_fc("fc1", "data", 3), label_names=None)).add(
        loss, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 5))], label_shapes=[("softmax_label", (4,))])
    seq.init_params(initializer=mx.init.Constant(0.1))
    seq.init_optimizer(optimizer_params={"learning_rate": 1.0})
    seq.forward(_batch(), is_train=True)
    seq.backward()
    seq.update()
    np.testing.assert_allclose(seq.get_params()[0]["fc1_bias"].asnumpy(), [0.525] * 3,
                               rtol=1e-6)


def test_bucketing_checkpoint_round_trip(tmp_path):
    def sym_gen(_):
        return _fc("fc", "data", 2), ("data",), None
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=3)
    mod.bind([("data", (2, 3))])
    mod.init_params(initializer=mx.init.One())
    mod.switch_bucket(5, [("data", (2, 3))])
    prefix = str(tmp_path / "b")
    mod.save_checkpoint(prefix, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        ["b-0001.params", "b-3-symbol.json", "b-5-symbol.json", "b.buckets"]
    loaded = mx.mod.BucketingModule.load(prefix, 1, sym_gen=sym_gen, default_bucket_key=3)
    loaded.bind([("data", (2, 3))])
    assert loaded.get_params()[0]["fc"+"_weight"].asnumpy().tolist() == [[1.0] * 3] * 2
    assert sorted(loaded._buckets) == [3, 5]


def test_module_rejects_unknown_data_names():
    with pytest.raises(ValueError, match="not found in symbol.list_arguments"):
        mx.mod.Module(_fc("fc", "x", 2), data_names=["data"])


def test_feedforward_fit_predict_score_match_mxnet(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.rand(50, 6).astype("float32")
    Y = (X.sum(1) > 3).astype("float32")
    net = mx.sym.SoftmaxOutput(_fc("fc", "data", 2), name="softmax")
    with pytest.warns(DeprecationWarning):
        model = mx.model.FeedForward(net, num_epoch=3, numpy_batch_size=10,
                                     learning_rate=0.5,
                                     initializer=mx.init.Constant(0.05))
    model.fit(mx.io.NDArrayIter(X, Y, 10))
    pred = model.predict(X)
    assert pred.shape == (50, 2)
    # MXNet 1.9.1 gives these for the same data order
    np.testing.assert_allclose(pred[:2], [[0.5325, 0.4675], [0.5127, 0.4873]], atol=1e-3)
    assert model.score(mx.io.NDArrayIter(X, Y, 10)) == pytest.approx(0.76)
    model.save(str(tmp_path / "ff"))
    with pytest.warns(DeprecationWarning):
        loaded = mx.model.FeedForward.load(str(tmp_path / "ff"), 3)
    np.testing.assert_allclose(loaded.predict(X), pred, rtol=1e-6)
