"""SymbolBlock.imports of models exported by MXNet 1.9.1; export and re-import."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet import gluon

DATA = pathlib.Path(__file__).resolve().parent / "data" / "models"


@pytest.mark.parametrize("model", ["mobilenet0.25", "squeezenet1.1"])
def test_imports_exported_zoo_models(model):
    meta = json.loads((DATA / "models.json").read_text())[model]
    io = np.load(DATA / f"{model}.io.npz")
    net = gluon.SymbolBlock.imports(str(DATA / f"{model}-symbol.json"), ["data"],
                                    str(DATA / f"{model}-0000.params"))
    out = net(mx.nd.array(io["data"]))
    np.testing.assert_allclose(out.asnumpy(), io["output"], rtol=meta["recommended_rtol"],
                               atol=meta["recommended_atol"])


def test_export_then_imports_round_trip(tmp_path):
    net = gluon.nn.HybridSequential()
    with net.name_scope():
        net.add(gluon.nn.Dense(8, activation="tanh"), gluon.nn.Dense(2))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = mx.nd.array(np.random.default_rng(0).normal(size=(3, 4)))
    expected = net(x).asnumpy()
    sym_file, params_file = net.export(str(tmp_path / "net"), epoch=7)
    assert params_file.endswith("net-0007.params")
    again = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    np.testing.assert_allclose(again(x).asnumpy(), expected, rtol=1e-6)
    assert sorted(mx.nd.load(params_file)) == sorted(
        "arg:" + k for k in net.collect_params().keys())


def test_export_needs_a_hybridized_forward():
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    with pytest.raises(RuntimeError, match="hybridize"):
        net.export("unused")
