"""Recurrent cells: vs MXNet 1.9.1 golden files, unroll forms, modifiers, hybridization."""
import os

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "rnn")
rnn = gluon.rnn


def _close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(actual.asnumpy(), expected, rtol=tol, atol=tol)


@pytest.fixture(scope="module")
def case():
    with np.load(os.path.join(DATA, "cells.npz")) as f:
        return dict(f)


def _stack():
    # the structure make_rnn_fixtures.py saved from MXNet 1.9.1
    stack = rnn.SequentialRNNCell(prefix="stack_")
    with stack.name_scope():
        stack.add(rnn.LSTMCell(4))
        stack.add(rnn.DropoutCell(0.0))
        stack.add(rnn.ResidualCell(rnn.GRUCell(4)))
        stack.add(rnn.RNNCell(3, activation="relu"))
    stack.load_parameters(os.path.join(DATA, "cells_stack.params"))
    return stack


def _bi():
    bi = rnn.BidirectionalCell(rnn.LSTMCell(2, prefix="bl_"), rnn.GRUCell(2, prefix="br_"))
    bi.load_parameters(os.path.join(DATA, "cells_bi.params"))
    return bi


@pytest.mark.parametrize("hybridize", [False, True])
def test_stack_unroll_valid_length_matches_mxnet(case, hybridize):
    stack = _stack()
    for key, param in stack._collect_params_with_prefix().items():
        np.testing.assert_array_equal(param.data().asnumpy(), case["stack:p:" + key])
    if hybridize:
        stack.hybridize()
    x, valid = mx.nd.array(case["x"]), mx.nd.array(case["valid"])
    out, states = stack.unroll(4, x, layout="NTC", merge_outputs=True, valid_length=valid)
    _close(out, case["stack_out"])
    assert len(states) == 4
    for i, s in enumerate(states):
        _close(s, case[f"stack_s{i}"])


@pytest.mark.parametrize("hybridize", [False, True])
def test_bidirectional_unroll_matches_mxnet(case, hybridize):
    bi = _bi()
    if hybridize:
        bi.hybridize()
    x, valid = mx.nd.array(case["x4"]), mx.nd.array(case["valid"])
    out, states = bi.unroll(4, x, layout="NTC", merge_outputs=True, valid_length=valid)
    _close(out, case["bi_out"])
    for i, s in enumerate(states):
        _close(s, case[f"bi_s{i}"])
    steps, _ = bi.unroll(4, x, layout="NTC", merge_outputs=False, valid_length=valid)
    assert len(steps) == 4
    _close(steps[2], case["bi_out"][:, 2])


def test_unroll_forms_and_layouts():
    cell = rnn.GRUCell(3, input_size=2)
    cell.initialize()
    x = mx.nd.random.uniform(shape=(4, 2, 2))              # NTC
    merged, states = cell.unroll(2, x, layout="NTC", merge_outputs=True)
    assert merged.shape == (4, 2, 3) and states[0].shape == (4, 3)
    steps, _ = cell.unroll(2, x, layout="NTC", merge_outputs=False)
    assert len(steps) == 2
    _close(steps[1], merged[:, 1].asnumpy())
    tnc, _ = cell.unroll(2, mx.nd.swapaxes(x, 0, 1), layout="TNC", merge_outputs=True)
    _close(tnc, np.swapaxes(merged.asnumpy(), 0, 1))
    as_list, _ = cell.unroll(2, [x[:, 0], x[:, 1]], layout="NTC")
    assert isinstance(as_list, list)
    _close(as_list[0], merged[:, 0].asnumpy())
    # stepping by hand gives the same as unroll
    h = cell.begin_state(batch_size=4)
    for t in range(2):
        out, h = cell(x[:, t], h)
    _close(out, merged[:, 1].asnumpy())


def test_lstm_cell_equations():
    cell = rnn.LSTMCell(2, input_size=3)
    cell.initialize(mx.init.Uniform(0.5))
    x = mx.nd.random.uniform(-1, 1, shape=(5, 3))
    h0, c0 = mx.nd.random.uniform(shape=(5, 2)), mx.nd.random.uniform(shape=(5, 2))
    out, (h, c) = cell(x, [h0, c0])
    p = {k: v.data().asnumpy() for k, v in cell._collect_params_with_prefix().items()}
    g = x.asnumpy() @ p["i2h_weight"].T + p["i2h_bias"] + h0.asnumpy() @ p["h2h_weight"].T \
        + p["h2h_bias"]
    sig = lambda z: 1 / (1 + np.exp(-z))
    i, f, gg, o = np.split(g, 4, axis=1)
    c_ref = sig(f) * c0.asnumpy() + sig(i) * np.tanh(gg)
    _close(c, c_ref)
    _close(h, sig(o) * np.tanh(c_ref))
    _close(out, h.asnumpy(), 0)


def test_state_info_begin_state_reset():
    cell = rnn.LSTMCell(3, prefix="l_")
    assert cell.state_info(4) == [{"shape": (4, 3), "__layout__": "NC"}] * 2
    states = cell.begin_state(batch_size=4)
    assert [s.shape for s in states] == [(4, 3), (4, 3)]
    syms = cell.begin_state(func=mx.sym.var)
    assert [s.name for s in syms] == ["l_begin_state_2", "l_begin_state_3"]
    cell.reset()
    assert cell._counter == -1 and cell._init_counter == -1
    stack = rnn.HybridSequentialRNNCell()
    stack.add(rnn.RNNCell(2))
    stack.add(rnn.GRUCell(3))
    assert [i["shape"] for i in stack.state_info(5)] == [(5, 2), (5, 3)]
    assert len(stack) == 2 and isinstance(stack[1], rnn.GRUCell)
    assert "RNNCell(None -> 2, tanh)" in repr(stack)


def test_zoneout_residual_dropout_modifiers():
    base = rnn.RNNCell(3, input_size=3)
    zone = rnn.ZoneoutCell(base, zoneout_outputs=0.5, zoneout_states=0.5)
    zone.initialize()
    x = mx.nd.random.uniform(shape=(2, 4, 3))
    with pytest.raises(AssertionError, match="modifier"):
        base.begin_state(batch_size=2)
    z_out, _ = zone.unroll(4, x, merge_outputs=True)
    base._modified = False
    b_out, _ = base.unroll(4, x, merge_outputs=True)
    _close(z_out, b_out.asnumpy())            # predict mode: zoneout keeps every new value
    with autograd.record():
        z_train, _ = zone.unroll(4, x, merge_outputs=True)
    kept = np.isclose(z_train.asnumpy(), b_out.asnumpy())
    assert 0 < kept.mean() < 1
    base._modified = False
    res = rnn.ResidualCell(base)
    r_out, _ = res.unroll(4, x, merge_outputs=True)
    _close(r_out, b_out.asnumpy() + x.asnumpy())
    step, _ = res(x[:, 0], res.begin_state(batch_size=2, func=mx.nd.zeros))
    _close(step, r_out[:, 0].asnumpy())
    drop = rnn.DropoutCell(0.5)
    out, states = drop.unroll(4, x, merge_outputs=True)
    _close(out, x.asnumpy(), 0)
    assert states == []


@pytest.mark.parametrize("layout", ["NTC", "TNC"])
def test_hybrid_block_unrolling_symbolically(layout):
    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.cell = rnn.HybridSequentialRNNCell()
                self.cell.add(rnn.LSTMCell(3, input_size=2))
                self.cell.add(rnn.GRUCell(2, input_size=3))

        def hybrid_forward(self, F, x):
            # the stack passes the merged sequence on: begin states come from its batch
            out, _ = self.cell.unroll(4, x, layout=layout, merge_outputs=True)
            return out

    net = Net()
    net.initialize()
    x = mx.nd.random.uniform(shape=(3, 4, 2) if layout == "NTC" else (4, 3, 2))
    x.attach_grad()
    with autograd.record():
        expected = net(x)
    expected.backward()
    grad = x.grad.asnumpy().copy()
    net.hybridize()
    with autograd.record():
        got = net(x)
    got.backward()
    _close(got, expected.asnumpy())
    _close(x.grad, grad)


def test_cell_in_sequential_rnn_cell_steps():
    stack = rnn.SequentialRNNCell()
    stack.add(rnn.LSTMCell(3, input_size=2))
    stack.add(rnn.RNNCell(2, input_size=3))
    stack.initialize()
    states = stack.begin_state(batch_size=2)
    assert len(states) == 3
    out, new_states = stack(mx.nd.ones((2, 2)), states)
    assert out.shape == (2, 2) and [s.shape for s in new_states] == [(2, 3)] * 2 + [(2, 2)]
    with pytest.raises(NotImplementedError):
        rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2))(mx.nd.ones((1, 2)), [])
