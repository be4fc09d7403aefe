"""mx.mod.Module: the recorded MXNet 1.9.1 checkpoint, training, checkpoints, predict."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent / "data" / "models"


def _fixture():
    meta = json.loads((DATA / "models.json").read_text())["module_mlp"]
    return meta, np.load(DATA / "module_mlp.npz")


def test_recorded_module_training_steps_reproduce():
    meta, rec = _fixture()
    sym = mx.sym.load(str(DATA / "module_mlp-symbol.json"))
    mod = mx.mod.Module(sym, data_names=["data"], label_names=["softmax_label"])
    bs = meta["batch_size"]
    mod.bind(data_shapes=[("data", (bs, 20))], label_shapes=[("softmax_label", (bs,))])
    init = {k[5:]: mx.nd.array(rec[k]) for k in rec if k.startswith("init:")}
    mod.init_params(arg_params=init, aux_params={})
    mod.init_optimizer(optimizer=meta["optimizer"], optimizer_params=meta["optimizer_params"])
    for step in range(meta["steps"]):
        sl = slice(step * bs, (step + 1) * bs)
        batch = mx.io.DataBatch([mx.nd.array(rec["data"][sl])],
                                [mx.nd.array(rec["label"][sl])])
        mod.forward(batch, is_train=True)
        np.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), rec[f"step{step}.output"],
                                   rtol=1e-5, atol=1e-6)
        mod.backward()
        mod.update()
    args, _ = mod.get_params()
    for key in rec:
        if key.startswith("final:"):
            np.testing.assert_allclose(args[key[6:]].asnumpy(), rec[key], rtol=1e-5,
                                       atol=1e-6, err_msg=key)


def test_recorded_checkpoint_loads_and_resumes(tmp_path):
    meta, rec = _fixture()
    mod = mx.mod.Module.load(str(DATA / "module_mlp"), 1)
    mod.bind(data_shapes=[("data", (4, 20))], label_shapes=[("softmax_label", (4,))])
    args, _ = mod.get_params()
    for key in rec:
        if key.startswith("final:"):
            np.testing.assert_allclose(args[key[6:]].asnumpy(), rec[key], rtol=1e-6)
    sym, arg_params, aux_params = mx.model.load_checkpoint(str(DATA / "module_mlp"), 1)
    assert sorted("arg:" + k for k in arg_params) == sorted(meta["checkpoint_keys"])
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    batch = mx.io.DataBatch([mx.nd.array(rec["data"][:4])], [mx.nd.array(rec["label"][:4])])
    mod.forward_backward(batch)
    mod.update()
    mod.save_checkpoint(str(tmp_path / "resumed"), 2, save_optimizer_states=True)
    again = mx.mod.Module.load(str(tmp_path / "resumed"), 2, load_optimizer_states=True)
    again.bind(data_shapes=[("data", (4, 20))], label_shapes=[("softmax_label", (4,))])
    again.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    for name, value in mod.get_params()[0].items():
        np.testing.assert_array_equal(again.get_params()[0][name].asnumpy(),
                                      value.asnumpy())


def _net():
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=16, name="fc1")
    act = mx.sym.Activation(fc, act_type="relu")
    fc2 = mx.sym.FullyConnected(act, num_hidden=2, name="fc2")
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def test_fit_learns_and_predict_score_and_callbacks(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    train = mx.io.NDArrayIter(x, y, batch_size=20, shuffle=True)
    mod = mx.mod.Module(_net())
    seen = []
    mod.fit(train, num_epoch=8, optimizer_params={"learning_rate": 0.5},
            initializer=mx.init.Xavier(), batch_end_callback=lambda p: seen.append(p.nbatch),
            epoch_end_callback=mx.callback.do_checkpoint(str(tmp_path / "net")))
    assert seen[:10] == list(range(10))
    acc = dict(mod.score(train, "acc"))["accuracy"]
    assert acc > 0.9
    pred = mod.predict(mx.io.NDArrayIter(x, y, batch_size=30))
    assert pred.shape == (200, 2)
    np.testing.assert_allclose(pred.asnumpy().sum(axis=1), 1, rtol=1e-5)
    assert (tmp_path / "net-0008.params").exists() and (tmp_path / "net-symbol.json").exists()


def test_module_rejects_unknown_data_names():
    with pytest.raises(ValueError, match="'pixels'"):  # as MXNet 1.9.1
        mx.mod.Module(_net(), data_names=["pixels"])


def test_bucketing_module_shares_parameters():
    def sym_gen(seq_len):
        data = mx.sym.var("data")
        fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
        return mx.sym.SoftmaxOutput(fc, name="softmax"), ("data",), ("softmax_label",)

    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=4)
    mod.bind(data_shapes=[("data", (2, 4))], label_shapes=[("softmax_label", (2,))])
    mod.init_params()
    mod.init_optimizer()
    batch = mx.io.DataBatch([mx.nd.ones((2, 4))], [mx.nd.zeros((2,))], bucket_key=4,
                            provide_data=[("data", (2, 4))],
                            provide_label=[("softmax_label", (2,))])
    mod.forward(batch)
    assert mod.get_outputs()[0].shape == (2, 2)


@pytest.mark.parametrize("model", ["mobilenet0.25", "squeezenet1.1"])
def test_exported_models_run_through_module(model):
    meta = json.loads((DATA / "models.json").read_text())[model]
    io = np.load(DATA / f"{model}.io.npz")
    mod = mx.mod.Module.load(str(DATA / model), 0, data_names=["data"], label_names=None)
    mod.bind(data_shapes=[("data", io["data"].shape)], for_training=False)
    mod.forward(mx.io.DataBatch([mx.nd.array(io["data"])]), is_train=False)
    np.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), io["output"],
                               rtol=meta["recommended_rtol"], atol=meta["recommended_atol"])
    pred = mod.predict(mx.io.NDArrayIter(io["data"], batch_size=io["data"].shape[0]))
    np.testing.assert_allclose(pred.asnumpy(), io["output"], rtol=meta["recommended_rtol"],
                               atol=meta["recommended_atol"])
