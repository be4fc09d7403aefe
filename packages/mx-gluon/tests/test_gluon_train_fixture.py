"""The recorded Gluon training runs of MXNet 1.9.1 (gluon_train/) reproduce exactly."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon

DATA = pathlib.Path(__file__).resolve().parent / "data" / "gluon_train"
SPEC = json.loads((DATA / "train.json").read_text())
REC = np.load(DATA / "train.npz")


@pytest.mark.parametrize("run", SPEC["runs"], ids=[r["id"] for r in SPEC["runs"]])
def test_training_run_reproduces(run):
    rid, rtol, atol = run["id"], SPEC["rtol"], SPEC["atol"]
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(16, activation="relu"), gluon.nn.Dense(3))
    net.initialize()
    x, y = mx.nd.array(REC["data.0"]), mx.nd.array(REC["label.0"])
    net(x)
    params = net._collect_params_with_prefix()
    assert sorted(params) == sorted(run["param_names"])
    for name in run["param_names"]:
        params[name].set_data(mx.nd.array(REC[f"{rid}.init:{name}"]))
    if run["hybridize"]:
        net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), run["optimizer"], run["optimizer_params"])
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for step in range(SPEC["steps"]):
        with autograd.record():
            out = net(x)
            loss = loss_fn(out, y)
        loss.backward()
        np.testing.assert_allclose(out.asnumpy(), REC[f"{rid}.outputs"][step], rtol=rtol,
                                   atol=atol)
        np.testing.assert_allclose(loss.asnumpy(), REC[f"{rid}.losses"][step], rtol=rtol,
                                   atol=atol)
        assert abs(loss.mean().asscalar() - run["mean_loss_per_step"][step]) < 1e-5
        if step == 0:
            for name in run["param_names"]:
                np.testing.assert_allclose(params[name].grad().asnumpy(),
                                           REC[f"{rid}.grad_step0:{name}"], rtol=rtol,
                                           atol=atol)
        trainer.step(x.shape[0])
    for name in run["param_names"]:
        np.testing.assert_allclose(params[name].data().asnumpy(), REC[f"{rid}.final:{name}"],
                                   rtol=rtol, atol=atol)
    np.testing.assert_allclose(net(x).asnumpy(), REC[f"{rid}.pred_after"], rtol=rtol,
                               atol=atol)
