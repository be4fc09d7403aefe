"""Regenerate the RNN golden files with the real MXNet 1.9.1 (never imported by tests).

Run: /work/ref/bin/python packages/mx-gluon/tests/data/rnn/make_rnn_fixtures.py

Each case ``<name>.npz`` holds ``x`` (input), ``s<i>`` (begin states), ``head`` and
``hs<i>`` (head gradients of output and out states), ``out`` and ``os<i>`` (outputs),
``p:<structural name>`` (parameters, as ``save_parameters`` names them) and
``g:x``, ``g:s<i>``, ``g:<structural name>`` (gradients). Cells record the unrolled
output and states (no head gradients for states). ``*.params`` are files written by
``save_parameters`` for the layer/cell of the same name; ``lstm_bi2_legacy.params``
is the older ``ParameterDict.save`` form (``l0_i2h_weight`` keys).
"""
import os

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon

HERE = os.path.dirname(os.path.abspath(__file__))

LAYERS = {
    "lstm_bi2": (lambda: gluon.rnn.LSTM(4, num_layers=2, bidirectional=True), "TNC"),
    "gru_ntc2": (lambda: gluon.rnn.GRU(4, num_layers=2, layout="NTC"), "NTC"),
    "rnn_relu_bi": (lambda: gluon.rnn.RNN(3, activation="relu", bidirectional=True), "TNC"),
    "rnn_tanh": (lambda: gluon.rnn.RNN(3, activation="tanh", layout="NTC"), "NTC"),
    "lstmp_bi": (lambda: gluon.rnn.LSTM(5, bidirectional=True, projection_size=3), "TNC"),
}


def _arrays(shape_list, rng):
    return [mx.nd.array(rng.uniform(-1, 1, s).astype("float32")) for s in shape_list]


def make_layer(name, factory, layout, rng):
    layer = factory()
    layer.initialize(mx.init.Uniform(0.5))
    t, n, c = 3, 2, 3
    shape = (t, n, c) if layout == "TNC" else (n, t, c)
    x = _arrays([shape], rng)[0]
    states = _arrays([i["shape"] for i in layer.state_info(n)], rng)
    layer(x, states)   # finish deferred init
    params = layer._collect_params_with_prefix()
    if layer._projection_size:   # MXNet 1.9.1 has no CPU training for LSTMP
        out, out_states = layer(x, states)
        rec = {"x": x, "out": out}
        rec.update({f"s{i}": s for i, s in enumerate(states)})
        rec.update({f"os{i}": s for i, s in enumerate(out_states)})
        rec.update({"p:" + key: p.data() for key, p in params.items()})
        _save(layer, name, rec)
        return
    for a in [x] + states:
        a.attach_grad()
    with autograd.record():
        out, out_states = layer(x, states)
    heads = _arrays([out.shape] + [s.shape for s in out_states], rng)
    autograd.backward([out] + out_states, heads)
    rec = {"x": x, "out": out, "head": heads[0], "g:x": x.grad}
    for i, (s, o, h) in enumerate(zip(states, out_states, heads[1:])):
        rec.update({f"s{i}": s, f"os{i}": o, f"hs{i}": h, f"g:s{i}": s.grad})
    for key, p in params.items():
        rec["p:" + key] = p.data()
        rec["g:" + key] = p.grad()
    _save(layer, name, rec)


def _save(layer, name, rec):
    np.savez(os.path.join(HERE, name + ".npz"), **{k: v.asnumpy() for k, v in rec.items()})
    layer.save_parameters(os.path.join(HERE, name + ".params"))
    if name == "lstm_bi2":   # the legacy format: prefix-stripped names (l0_i2h_weight)
        layer.collect_params().save(os.path.join(HERE, name + "_legacy.params"),
                                    strip_prefix=layer.prefix)


def make_cells(rng):
    """A stack of every cell kind, unrolled with valid_length, plus a bidirectional cell."""
    stack = gluon.rnn.SequentialRNNCell(prefix="stack_")
    with stack.name_scope():
        stack.add(gluon.rnn.LSTMCell(4))
        stack.add(gluon.rnn.DropoutCell(0.0))
        stack.add(gluon.rnn.ResidualCell(gluon.rnn.GRUCell(4)))
        stack.add(gluon.rnn.RNNCell(3, activation="relu"))
    bi = gluon.rnn.BidirectionalCell(gluon.rnn.LSTMCell(2, prefix="bl_"),
                                     gluon.rnn.GRUCell(2, prefix="br_"))
    for cell in (stack, bi):
        cell.initialize(mx.init.Uniform(0.5))
    x = _arrays([(2, 4, 3)], rng)[0]   # NTC
    x4 = _arrays([(2, 4, 4)], rng)[0]
    valid = mx.nd.array([4, 2])
    rec = {"x": x, "x4": x4, "valid": valid}
    out, states = stack.unroll(4, x, layout="NTC", merge_outputs=True, valid_length=valid)
    rec["stack_out"] = out
    rec.update({f"stack_s{i}": s for i, s in enumerate(states)})
    out, states = bi.unroll(4, x4, layout="NTC", merge_outputs=True, valid_length=valid)
    rec["bi_out"] = out
    rec.update({f"bi_s{i}": s for i, s in enumerate(states)})
    for cell, tag in ((stack, "stack"), (bi, "bi")):
        for key, p in cell._collect_params_with_prefix().items():
            rec[f"{tag}:p:{key}"] = p.data()
        cell.save_parameters(os.path.join(HERE, f"cells_{tag}.params"))
    np.savez(os.path.join(HERE, "cells.npz"), **{k: v.asnumpy() for k, v in rec.items()})


def main():
    mx.random.seed(7)
    rng = np.random.RandomState(7)
    for name, (factory, layout) in LAYERS.items():
        make_layer(name, factory, layout, rng)
    make_cells(rng)


def make_contrib(rng):
    """contrib.rnn cells unrolled (conv_*.params, lstmp.params) and pixel shuffles."""
    from mxnet.gluon.contrib import nn as cnn
    from mxnet.gluon.contrib import rnn as crnn
    cells = {
        "conv2d_lstm": (crnn.Conv2DLSTMCell((2, 5, 5), 3, (3, 3), (3, 3), i2h_pad=(1, 1),
                                            prefix="c2l_"), (2, 3, 2, 5, 5)),
        "conv1d_gru": (crnn.Conv1DGRUCell((2, 6), 2, 3, 3, prefix="c1g_"), (2, 3, 2, 6)),
        "conv1d_rnn": (crnn.Conv1DRNNCell((2, 6), 2, 3, 5, i2h_dilate=2, h2h_dilate=1,
                                          prefix="c1r_"), (2, 3, 2, 6)),
        "lstmp": (crnn.LSTMPCell(4, 2, prefix="lp_"), (2, 3, 3)),
    }
    rec = {}
    for name, (cell, shape) in cells.items():
        cell.initialize(mx.init.Uniform(0.5))
        x = _arrays([shape], rng)[0]
        out, states = cell.unroll(3, x, layout="NTC", merge_outputs=True)
        rec[f"{name}:x"], rec[f"{name}:out"] = x, out
        rec.update({f"{name}:s{i}": s for i, s in enumerate(states)})
        cell.save_parameters(os.path.join(HERE, f"contrib_{name}.params"))
    x = _arrays([(2, 12, 3, 2)], rng)[0]
    rec["ps2d:x"], rec["ps2d:out"] = x, cnn.PixelShuffle2D((2, 3))(x)
    x = _arrays([(1, 8, 2, 2, 2)], rng)[0]
    rec["ps3d:x"], rec["ps3d:out"] = x, cnn.PixelShuffle3D(2)(x)
    np.savez(os.path.join(HERE, "contrib.npz"), **{k: v.asnumpy() for k, v in rec.items()})


if __name__ == "__main__":
    main()
    make_contrib(np.random.RandomState(11))
