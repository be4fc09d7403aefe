"""Trainer/kvstore, sparse Parameter, dtype-on-load and Block.save/load behaviours that
MXNet 1.9.1's unit tests rely on (values checked by hand from MXNet's semantics)."""
import importlib.util
import io
import os
import warnings

import numpy as np
import pytest

import mxnet as mx
from mxnet import gluon
from mxnet.gluon import nn

needs_kvstore = pytest.mark.skipif(importlib.util.find_spec("mxnet.kvstore") is None,
                                   reason="needs the mx-kvstore distribution")

TWO = [mx.cpu(0), mx.cpu(1)]


def _backward_ones(param):
    with mx.autograd.record():
        for w in param.list_data():
            (w + 1).backward()


@needs_kvstore
def test_trainer_multi_context_uses_device_kvstore_and_updates_there():
    x = gluon.Parameter("x", shape=(4,))
    x.initialize(ctx=TWO, init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 0.5})
    _backward_ones(x)
    trainer.step(1)
    assert trainer._kvstore.type == "device"
    assert trainer._update_on_kvstore is True
    # summed gradient 2 on both copies: 0 - 0.5 * 2
    for w in x.list_data():
        np.testing.assert_array_equal(w.asnumpy(), np.full(4, -1.0, np.float32))
    with pytest.raises(AssertionError):
        trainer.update(1)
    with pytest.raises(AssertionError):
        trainer.allreduce_grads()


def test_trainer_single_context_has_no_kvstore():
    x = gluon.Parameter("x", shape=(3,))
    x.initialize(init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0})
    _backward_ones(x)
    trainer.step(1)
    assert trainer._kvstore is None and trainer._kv_initialized
    np.testing.assert_array_equal(x.data().asnumpy(), -np.ones(3, np.float32))


def test_trainer_allreduce_then_update_without_kvstore_update():
    x = gluon.Parameter("x", shape=(2,))
    x.initialize(ctx=TWO, init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0}, update_on_kvstore=False)
    with mx.autograd.record():
        for i, w in enumerate(x.list_data()):
            (w * (i + 1)).backward()
    trainer.allreduce_grads()
    for g in x.list_grad():
        np.testing.assert_array_equal(g.asnumpy(), [3.0, 3.0])
    trainer.update(1)
    np.testing.assert_array_equal(x.data(mx.cpu(1)).asnumpy(), [-3.0, -3.0])


@needs_kvstore
def test_loading_parameters_resets_kvstore(tmp_path):
    params = gluon.ParameterDict()
    x = params.get("x", shape=(5,))
    params.initialize(ctx=TWO, init="zeros")
    trainer = gluon.Trainer(params, "sgd", {"learning_rate": 0.1}, kvstore="local")
    fname = str(tmp_path / "p.params")
    params.save(fname)
    _backward_ones(x)
    trainer.step(1)
    params.load(fname)
    assert trainer._kvstore is None and trainer._kv_initialized is False
    _backward_ones(x)
    trainer.step(1)
    # restarted from the saved zeros: 0 - 0.1 * 2
    np.testing.assert_allclose(x.data(mx.cpu(0)).asnumpy(), np.full(5, -0.2), rtol=1e-6)


@needs_kvstore
def test_trainer_save_load_states_on_kvstore(tmp_path):
    x = gluon.Parameter("x", shape=(3,), lr_mult=1.0)
    x.initialize(ctx=TWO, init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    _backward_ones(x)
    trainer.step(1)
    fname = str(tmp_path / "t.states")
    trainer.save_states(fname)
    trainer.load_states(fname)
    x.lr_mult = 2.0
    assert trainer._kvstore._updater.optimizer._get_lr(0) == pytest.approx(0.2)


@needs_kvstore
def test_row_sparse_parameter_needs_trainer_and_returns_rows():
    p = gluon.Parameter("w", shape=(4, 2), stype="row_sparse", grad_stype="row_sparse")
    p.initialize(init=mx.init.One(), ctx=TWO)
    rows = mx.nd.array([0, 2], ctx=mx.cpu(1))
    with pytest.raises(RuntimeError):
        p.data()
    with pytest.raises(RuntimeError):
        p.row_sparse_data(rows)          # no Trainer yet
    gluon.Trainer([p], "sgd")
    got = p.row_sparse_data(rows)
    assert got.stype == "row_sparse" and got.context == mx.cpu(1)
    np.testing.assert_array_equal(got.asnumpy(), [[1, 1], [0, 0], [1, 1], [0, 0]])
    assert len(p.list_row_sparse_data(rows)) == 2
    assert p.grad(mx.cpu(0)).stype == "row_sparse"
    with pytest.raises(RuntimeError):
        gluon.Trainer([p], "sgd")        # a second trainer for a sparse weight


def test_dense_parameter_rejects_row_sparse_data():
    p = gluon.Parameter("w", shape=(2, 2))
    p.initialize()
    with pytest.raises(RuntimeError):
        p.row_sparse_data(mx.nd.array([0]))


def test_dtype_assignment_casts_and_load_keeps_saved_dtype(tmp_path):
    fname = str(tmp_path / "d.params")
    saved = gluon.ParameterDict("")
    saved.get("w", shape=(2,), dtype="int8")
    saved.initialize(mx.init.One())
    saved.save(fname)
    loaded = gluon.ParameterDict("")
    loaded.get("w", shape=(2,), dtype="float64")
    loaded.load(fname, cast_dtype=True, dtype_source="current")
    assert loaded["w"].data().dtype == np.float64
    loaded.load(fname, cast_dtype=True, dtype_source="saved")
    assert loaded["w"].data().dtype == np.int8
    loaded["w"].dtype = "float16"
    assert loaded["w"].data().dtype == np.float16


def test_np_shape_deferred_initialization():
    with mx.np_shape(True):
        dense = nn.Dense(3)
        dense.initialize()
        assert dense.weight.shape == (3, -1)
        out = dense(mx.nd.ones((2, 5)))
    assert out.shape == (2, 3) and dense.weight.shape == (3, 5)


def test_symbol_block_rejects_row_sparse_weight():
    data = mx.sym.var("data")
    weight = mx.sym.var("weight", stype="row_sparse")
    with pytest.raises(AssertionError):
        gluon.SymbolBlock(mx.sym.dot(data, weight), data)


def test_block_save_load_restores_names_graphs_and_values(tmp_path):
    def build():
        net = nn.Sequential()
        net.add(nn.Dense(4), nn.Dense(2))
        return net

    net1 = build()
    net1.initialize()
    for child in net1._children.values():
        child.hybridize()
    x = mx.nd.array(np.arange(6).reshape(2, 3))
    out1 = net1(x)
    prefix = str(tmp_path / "model")
    net1.save(prefix)
    assert os.path.exists(prefix + "-model.json")
    net2 = build()
    net2.load(prefix)
    assert [c.name for c in net2._children.values()] == \
        [c.name for c in net1._children.values()]
    np.testing.assert_allclose(net2(x).asnumpy(), out1.asnumpy(), rtol=1e-6)


def test_download_uses_requests_and_warns_without_ssl(tmp_path, monkeypatch):
    requests = pytest.importorskip("requests")

    class Response(requests.Response):
        def __init__(self):
            super().__init__()
            self.status_code = 200
            self.raw = io.BytesIO(b"abc" * 10)

    monkeypatch.setattr(requests, "get", lambda *a, **k: Response())
    target = str(tmp_path / "f.txt")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert gluon.utils.download("https://example.invalid/f.txt", path=target,
                                    verify_ssl=False) == target
    assert any(str(w.message).startswith("Unverified HTTPS request") for w in caught)
    with open(target, "rb") as f:
        assert f.read() == b"abc" * 10
    assert os.listdir(tmp_path) == ["f.txt"]      # no temporary file left


def test_download_reraises_after_retries(tmp_path, monkeypatch):
    requests = pytest.importorskip("requests")
    calls = []

    def fail(*a, **k):
        calls.append(1)
        raise requests.exceptions.ConnectionError("offline")

    monkeypatch.setattr(requests, "get", fail)
    with pytest.raises(requests.exceptions.ConnectionError):
        gluon.utils.download("https://example.invalid/x", path=str(tmp_path / "x"),
                             retries=3)
    assert len(calls) == 3


def test_trainer_takes_dict_parameters_in_sorted_name_order():
    net = nn.Sequential()
    net.add(nn.Dense(2, in_units=2, use_bias=False, prefix="zz_"),
            nn.Dense(2, in_units=2, use_bias=False, prefix="aa_"))
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd")
    assert [p.name for p in trainer._params] == ["aa_weight", "zz_weight"]


@needs_kvstore
def test_sparse_gradient_dense_weight_reduces_on_kvstore_updates_locally():
    emb = nn.Embedding(6, 2, sparse_grad=True)
    emb.initialize(ctx=TWO, init="ones")
    trainer = gluon.Trainer(emb.collect_params(), "sgd", {"learning_rate": 1.0})
    xs = [mx.nd.array([1, 2], ctx=TWO[0]), mx.nd.array([2, 3], ctx=TWO[1])]
    with mx.autograd.record():
        losses = [emb(x).sum() for x in xs]
    for value in losses:
        value.backward()
    trainer.step(1)
    assert trainer._update_on_kvstore is False
    # row 2 was looked up on both devices: its summed gradient is 2
    expected = [[1, 1], [0, 0], [-1, -1], [0, 0], [1, 1], [1, 1]]
    for w in emb.weight.list_data():
        np.testing.assert_array_equal(w.asnumpy(), expected)


def test_load_parameters_accepts_deduplicated_shared_parameters(tmp_path):
    class Holder(gluon.Block):
        def __init__(self, params=None):
            super().__init__(params=params)
            with self.name_scope():
                self.weight = self.params.get("weight", shape=(2, 2))

    class Pair(gluon.Block):
        def __init__(self, first, second):
            super().__init__()
            self.first = first
            self.second = second

    def build():
        first = Holder()
        return Pair(first, Holder(first.collect_params()))

    pair = build()
    pair.initialize(mx.init.One())
    fname = str(tmp_path / "shared.params")
    pair.save_parameters(fname, deduplicate=True)
    assert list(mx.nd.load(fname)) == ["first.weight"]
    again = build()
    again.load_parameters(fname)
    np.testing.assert_array_equal(again.second.weight.data().asnumpy(), np.ones((2, 2)))


def test_parameter_dict_load_dict_strips_arg_aux_and_checks_names():
    params = gluon.ParameterDict("net_")
    params.get("w", shape=(2,))
    params.get("m", shape=(2,))
    params.load_dict({"arg:net_w": mx.nd.array([1, 2]), "aux:net_m": mx.nd.array([3, 4])})
    np.testing.assert_array_equal(params["net_m"].data().asnumpy(), [3, 4])
    with pytest.raises(AssertionError, match="missing in param_dict"):
        params.load_dict({"net_w": mx.nd.array([1, 2])})
    with pytest.raises(ValueError, match="not present"):
        params.load_dict({"net_w": mx.nd.array([1, 2]), "net_m": mx.nd.array([1, 2]),
                          "x": mx.nd.array([0])})


def test_without_kvstore_package_gradients_are_summed_locally(monkeypatch):
    import mxnet.gluon.trainer as trainer_module
    monkeypatch.setattr(trainer_module, "_kvstore_module", lambda: None)
    x = gluon.Parameter("x", shape=(2,))
    x.initialize(ctx=TWO, init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0})
    _backward_ones(x)
    trainer.step(1)
    assert trainer._kvstore is None
    for w in x.list_data():
        np.testing.assert_array_equal(w.asnumpy(), [-2.0, -2.0])
