"""Fused RNN/LSTM/GRU layers: vs MXNet 1.9.1 golden files, vs unrolled cells, API."""
import os

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "rnn")

# the same layers as make_rnn_fixtures.py built in MXNet 1.9.1
LAYERS = {
    "lstm_bi2": lambda: gluon.rnn.LSTM(4, num_layers=2, bidirectional=True),
    "gru_ntc2": lambda: gluon.rnn.GRU(4, num_layers=2, layout="NTC"),
    "rnn_relu_bi": lambda: gluon.rnn.RNN(3, activation="relu", bidirectional=True),
    "rnn_tanh": lambda: gluon.rnn.RNN(3, activation="tanh", layout="NTC"),
    "lstmp_bi": lambda: gluon.rnn.LSTM(5, bidirectional=True, projection_size=3),
}


def _load_case(name):
    with np.load(os.path.join(DATA, name + ".npz")) as f:
        return dict(f)


def _nd(a):
    return mx.nd.array(a, dtype=a.dtype)


def _close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(actual.asnumpy(), expected, rtol=tol, atol=tol)


def _loaded_layer(name, hybridize):
    layer = LAYERS[name]()
    layer.load_parameters(os.path.join(DATA, name + ".params"))
    if hybridize:
        layer.hybridize()
    return layer


@pytest.mark.parametrize("hybridize", [False, True])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_matches_mxnet(name, hybridize):
    case = _load_case(name)
    layer = _loaded_layer(name, hybridize)
    params = layer._collect_params_with_prefix()
    for key, param in params.items():
        np.testing.assert_array_equal(param.data().asnumpy(), case["p:" + key])
    x = _nd(case["x"])
    states = [_nd(case[f"s{i}"]) for i in range(len(layer.state_info()))]
    for a in [x] + states:
        a.attach_grad()
    with autograd.record():
        out, out_states = layer(x, states)
    _close(out, case["out"])
    for i, s in enumerate(out_states):
        _close(s, case[f"os{i}"])
    if "head" not in case:      # MXNet 1.9.1 cannot train LSTMP on CPU
        return
    heads = [_nd(case["head"])] + [_nd(case[f"hs{i}"]) for i in range(len(out_states))]
    autograd.backward([out] + out_states, heads)
    _close(x.grad, case["g:x"], 1e-4)
    for i, s in enumerate(states):
        _close(s.grad, case[f"g:s{i}"], 1e-4)
    for key, param in params.items():
        _close(param.grad(), case["g:" + key], 1e-4)


def test_legacy_params_file_loads():
    layer = gluon.rnn.LSTM(4, num_layers=2, bidirectional=True)
    layer.load_parameters(os.path.join(DATA, "lstm_bi2_legacy.params"))
    case = _load_case("lstm_bi2")
    _close(layer.l1_h2h_weight.data(), case["p:_unfused.1.l_cell.h2h_weight"], 0)
    _close(layer.r0_i2h_bias.data(), case["p:_unfused.0.r_cell.i2h_bias"], 0)


def test_structural_names_roundtrip(tmp_path):
    layer = gluon.rnn.GRU(3, num_layers=2, input_size=2)
    layer.initialize()
    assert sorted(layer._collect_params_with_prefix()) == sorted(
        f"_unfused.{i}.{g}_{t}" for i in range(2) for g in ("i2h", "h2h")
        for t in ("weight", "bias"))
    path = str(tmp_path / "gru.params")
    layer.save_parameters(path)
    other = gluon.rnn.GRU(3, num_layers=2)
    other.load_parameters(path)
    _close(other.l1_i2h_weight.data(), layer.l1_i2h_weight.data().asnumpy(), 0)


def _cell_states(layer, fused_states):
    """Fused (L*D, N, H) states as the unfused stack orders them, per layer and cell."""
    out = []
    for k in range(layer._num_layers * layer._dir):
        out.extend(s[k] for s in fused_states)
    return out


CONFIGS = [("lstm", 1, False, "TNC"), ("lstm", 2, True, "NTC"), ("gru", 2, False, "TNC"),
           ("gru", 1, True, "NTC"), ("rnn_tanh", 2, True, "TNC"), ("rnn_relu", 1, False,
                                                                   "NTC")]


def _make(mode, layers, bidirectional, layout):
    kwargs = dict(num_layers=layers, bidirectional=bidirectional, layout=layout,
                  input_size=3)
    if mode.startswith("rnn"):
        return gluon.rnn.RNN(4, activation=mode[4:], **kwargs)
    return {"lstm": gluon.rnn.LSTM, "gru": gluon.rnn.GRU}[mode](4, **kwargs)


@pytest.mark.parametrize("mode,layers,bidirectional,layout", CONFIGS)
def test_layer_matches_unfused_cells(mode, layers, bidirectional, layout):
    layer = _make(mode, layers, bidirectional, layout)
    layer.initialize(mx.init.Uniform(0.5))
    stack = layer._unfuse()
    shape = (5, 2, 3) if layout == "TNC" else (2, 5, 3)
    x = mx.nd.random.uniform(-1, 1, shape=shape)
    states = [mx.nd.random.uniform(-1, 1, shape=i["shape"]) for i in layer.state_info(2)]
    cell_states = _cell_states(layer, states)
    with autograd.record():
        out, out_states = layer(x, states)
        loss = (out * out).sum() + sum((s * s).sum() for s in out_states)
    loss.backward()
    fused_grads = {k: p.grad().asnumpy().copy() for k, p in layer.collect_params().items()}
    with autograd.record():
        c_out, c_states = stack.unroll(5, x, cell_states, layout=layout, merge_outputs=True)
        c_loss = (c_out * c_out).sum() + sum((s * s).sum() for s in c_states)
    c_loss.backward()
    _close(c_out, out.asnumpy())
    for a, b in zip(c_states, _cell_states(layer, out_states)):
        _close(a, b.asnumpy())
    for key, param in stack.collect_params().items():
        _close(param.grad(), fused_grads[key], 1e-4)


def test_states_optional_and_checked():
    layer = gluon.rnn.LSTM(4, input_size=3)
    layer.initialize()
    x = mx.nd.ones((2, 3, 3))
    out = layer(x)
    assert isinstance(out, mx.nd.NDArray) and out.shape == (2, 3, 4)
    out2, states = layer(x, layer.begin_state(3))
    _close(out2, out.asnumpy())
    assert [s.shape for s in states] == [(1, 3, 4), (1, 3, 4)]
    with pytest.raises(ValueError, match="Invalid recurrent state shape"):
        layer(x, layer.begin_state(2))
    gru = gluon.rnn.GRU(4, input_size=3)
    gru.initialize()
    out, state = gru(x, mx.nd.zeros((1, 3, 4)))   # a single state, not in a list
    assert state[0].shape == (1, 3, 4)


def test_deferred_input_size_imperative_and_hybrid():
    for hybrid in (False, True):
        layer = gluon.rnn.GRU(5, num_layers=2, bidirectional=True, layout="NTC")
        layer.initialize()
        if hybrid:
            layer.hybridize()
        out = layer(mx.nd.ones((2, 3, 7)))
        assert out.shape == (2, 3, 10)
        assert layer.l0_i2h_weight.shape == (15, 7)
        assert layer.r1_i2h_weight.shape == (15, 10)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_deferred_input_size_inside_hybridized_parent(bidirectional):
    net = gluon.nn.HybridSequential()
    net.add(gluon.rnn.LSTM(4, bidirectional=bidirectional, layout="NTC"))
    net.initialize()
    net.hybridize()
    x = mx.nd.random.uniform(shape=(3, 2, 5))
    out = net(x)
    assert net[0].l0_i2h_weight.shape == (16, 5)
    plain = gluon.rnn.LSTM(4, bidirectional=bidirectional, layout="NTC",
                           params=net[0].collect_params())
    _close(out, plain(x).asnumpy())


def test_state_info_begin_state_and_repr():
    layer = gluon.rnn.LSTM(6, num_layers=2, bidirectional=True, projection_size=3,
                           input_size=2)
    info = layer.state_info(4)
    assert [i["shape"] for i in info] == [(4, 4, 3), (4, 4, 6)]
    assert info[0]["__layout__"] == "LNC" and info[0]["dtype"] == "float32"
    states = layer.begin_state(4, func=mx.nd.ones)
    assert states[1].shape == (4, 4, 6) and float(states[1].sum().asscalar()) == 96
    sym_states = gluon.rnn.RNN(3).begin_state(2, func=mx.sym.var)
    assert sym_states[0].name.endswith("h0_0")
    assert repr(gluon.rnn.RNN(3, num_layers=2, dropout=0.5, input_size=2)) == \
        "RNN(2 -> 3, TNC, num_layers=2, dropout=0.5)"
    assert repr(gluon.rnn.GRU(3)) == "GRU(None -> 3, TNC)"


def test_symbolic_call_and_hybridized_parent():
    net = gluon.nn.HybridSequential()
    with net.name_scope():
        net.add(gluon.rnn.LSTM(4, num_layers=2, layout="NTC", input_size=3))
        net.add(gluon.nn.Dense(2, flatten=False, in_units=4))
    net.initialize()
    x = mx.nd.random.uniform(shape=(2, 5, 3))
    expected = net(x).asnumpy()
    net.hybridize()
    _close(net(x), expected)
    sym = net(mx.sym.var("data"))
    assert isinstance(sym, mx.sym.Symbol)
    _, out_shapes, _ = sym.infer_shape(data=(2, 5, 3))
    assert out_shapes == [(2, 5, 2)]


def test_dropout_between_layers_only_in_training():
    layer = gluon.rnn.LSTM(8, num_layers=2, dropout=0.5, input_size=4)
    layer.initialize(mx.init.Uniform(0.5))
    x = mx.nd.random.uniform(shape=(3, 4, 4))
    predict = layer(x).asnumpy()
    np.testing.assert_allclose(layer(x).asnumpy(), predict)
    with autograd.record():
        train = layer(x)
    assert np.abs(train.asnumpy() - predict).max() > 1e-4


def test_projection_gradients_match_finite_differences():
    layer = gluon.rnn.LSTM(3, projection_size=2, input_size=2)
    layer.initialize(mx.init.Uniform(0.5))
    layer.hybridize()
    x = mx.nd.random.uniform(-1, 1, shape=(3, 1, 2), dtype="float64")
    layer.cast("float64")
    x.attach_grad()
    with autograd.record():
        loss = layer(x).sum()
    loss.backward()
    xa, eps = x.asnumpy(), 1e-6
    numeric = np.zeros_like(xa)
    for idx in np.ndindex(*xa.shape):
        plus, minus = xa.copy(), xa.copy()
        plus[idx] += eps
        minus[idx] -= eps
        numeric[idx] = (layer(mx.nd.array(plus, dtype="float64")).sum().asscalar() -
                        layer(mx.nd.array(minus, dtype="float64")).sum().asscalar()) / (2 * eps)
    np.testing.assert_allclose(x.grad.asnumpy(), numeric, rtol=1e-5, atol=1e-7)


def test_layer_sequence_length_argument_is_accepted():
    # MXNet 1.9.1 compat: the CPU kernel ignores sequence_length (it runs every step)
    layer = gluon.rnn.LSTM(3, input_size=2, use_sequence_length=True)
    layer.initialize()
    x = mx.nd.random.uniform(shape=(4, 2, 2))
    out = layer(x, sequence_length=mx.nd.array([2, 4]))
    plain = gluon.rnn.LSTM(3, input_size=2, params=layer.collect_params())
    _close(out, plain(x).asnumpy())


def test_train_export_and_import(tmp_path):
    net = gluon.nn.HybridSequential()
    net.add(gluon.rnn.LSTM(4, input_size=2, bidirectional=True),
            gluon.nn.Dense(1, flatten=False, in_units=8))
    net.initialize(mx.init.Uniform(0.5))
    net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.05})
    x = mx.nd.random.uniform(shape=(5, 3, 2))
    y = x.sum(axis=2, keepdims=True)
    losses = []
    for _ in range(15):
        with autograd.record():
            loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        trainer.step(1)
        losses.append(loss.asscalar())
    assert losses[-1] < 0.5 * losses[0]
    sym_file, params_file = net.export(str(tmp_path / "lstm"))
    imported = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    _close(imported(x), net(x).asnumpy())
