"""gluon.contrib.nn and gluon.contrib.rnn: vs MXNet 1.9.1 golden files and NumPy."""
import os

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon
from mxnet.gluon.contrib import nn as cnn
from mxnet.gluon.contrib import rnn as crnn

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "rnn")


@pytest.fixture(scope="module")
def case():
    with np.load(os.path.join(DATA, "contrib.npz")) as f:
        return dict(f)


def _close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(actual.asnumpy(), expected, rtol=tol, atol=tol)


# the cells make_rnn_fixtures.py saved from MXNet 1.9.1
CELLS = {
    "conv2d_lstm": lambda: crnn.Conv2DLSTMCell((2, 5, 5), 3, (3, 3), (3, 3), i2h_pad=(1, 1),
                                               prefix="c2l_"),
    "conv1d_gru": lambda: crnn.Conv1DGRUCell((2, 6), 2, 3, 3, prefix="c1g_"),
    "conv1d_rnn": lambda: crnn.Conv1DRNNCell((2, 6), 2, 3, 5, i2h_dilate=2, h2h_dilate=1,
                                             prefix="c1r_"),
    "lstmp": lambda: crnn.LSTMPCell(4, 2, prefix="lp_"),
}


@pytest.mark.parametrize("hybridize", [False, True])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_contrib_cells_match_mxnet(case, name, hybridize):
    cell = CELLS[name]()
    cell.load_parameters(os.path.join(DATA, f"contrib_{name}.params"))
    if hybridize:
        cell.hybridize()
    out, states = cell.unroll(3, mx.nd.array(case[f"{name}:x"]), layout="NTC",
                              merge_outputs=True)
    _close(out, case[f"{name}:out"])
    for i, s in enumerate(states):
        _close(s, case[f"{name}:s{i}"])


def test_conv_cell_shapes_and_repr():
    cell = crnn.Conv2DGRUCell((3, 8, 8), 4, (3, 3), (5, 5), i2h_pad=(1, 1))
    assert cell.i2h_weight.shape == (12, 3, 3, 3)
    assert cell.h2h_weight.shape == (12, 4, 5, 5)
    assert cell.state_info(2) == [{"shape": (2, 4, 8, 8), "__layout__": "NCHW"}]
    assert repr(cell) == "Conv2DGRUCell(3 -> 12, tanh, NCHW)"
    lstm = crnn.Conv3DLSTMCell((1, 4, 4, 4), 2, 3, 3)
    assert [i["shape"] for i in lstm.state_info(1)] == [(1, 2, 2, 2, 2)] * 2
    with pytest.raises(AssertionError, match="odd"):
        crnn.Conv1DRNNCell((1, 5), 2, 3, 2)


def test_lstmp_cell_matches_lstmp_layer():
    cell = crnn.LSTMPCell(5, 3, input_size=2, prefix="l0_")
    cell.initialize(mx.init.Uniform(0.5))
    layer = gluon.rnn.LSTM(5, projection_size=3, input_size=2, prefix="lstm_")
    layer.initialize()
    for name in ("i2h_weight", "h2h_weight", "h2r_weight", "i2h_bias", "h2h_bias"):
        getattr(layer, "l0_" + name).set_data(getattr(cell, name).data())
    x = mx.nd.random.uniform(shape=(4, 2, 2))
    c_out, c_states = cell.unroll(4, x, layout="TNC", merge_outputs=True)
    out, states = layer(x, layer.begin_state(2))
    _close(out, c_out.asnumpy())
    _close(states[1][0], c_states[1].asnumpy())


def test_variational_dropout_cell():
    base = gluon.rnn.GRUCell(3, input_size=2)
    cell = crnn.VariationalDropoutCell(base, drop_inputs=0.5, drop_outputs=0.5)
    cell.initialize()
    x = mx.nd.ones((2, 6, 2))
    out, _ = cell.unroll(6, x, merge_outputs=True)
    base._modified = False
    ref, _ = base.unroll(6, x, merge_outputs=True)
    base._modified = True
    _close(out, ref.asnumpy())                   # no dropout outside training
    with autograd.record():
        out, _ = cell.unroll(6, x, merge_outputs=True)
    zeros = out.asnumpy() == 0
    # one mask for the whole sequence: a dropped output unit is dropped at every step
    assert zeros.any() and (zeros == zeros[:, :1]).all()
    states_cell = crnn.VariationalDropoutCell(gluon.rnn.RNNCell(3, input_size=2),
                                              drop_states=0.5)
    states_cell.initialize()
    with autograd.record():
        out, states = states_cell.unroll(6, x, merge_outputs=True)
    assert out.shape == (2, 6, 3) and states[0].shape == (2, 3)


def test_variational_dropout_in_hybridized_block_tnc():
    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.cell = crnn.VariationalDropoutCell(gluon.rnn.LSTMCell(3, input_size=2),
                                                        drop_inputs=0.3)

        def hybrid_forward(self, F, x):
            return self.cell.unroll(4, x, layout="TNC", merge_outputs=True)[0]

    net = Net()
    net.initialize()
    x = mx.nd.random.uniform(shape=(4, 5, 2))
    expected = net(x).asnumpy()
    net.hybridize()
    out = net(x)
    assert out.shape == (4, 5, 3)
    _close(out, expected)


def test_dynamic_unroll_matches_unroll():
    cell = gluon.rnn.LSTMCell(3, input_size=2)
    cell.initialize()
    x = mx.nd.random.uniform(shape=(5, 2, 2))            # TNC
    valid = mx.nd.array([5, 3])
    begin = cell.begin_state(batch_size=2)
    out, states = crnn.rnn_cell.dynamic_unroll(cell, x, begin, valid_length=valid)
    ref, ref_states = cell.unroll(5, x, begin, layout="TNC", merge_outputs=True,
                                  valid_length=valid)
    _close(out, ref.asnumpy())
    for a, b in zip(states, ref_states):
        _close(a, b.asnumpy())


def test_concurrent_and_identity():
    net = cnn.HybridConcurrent(axis=1)
    with net.name_scope():
        net.add(gluon.nn.Dense(3, in_units=2))
        net.add(cnn.Identity())
    net.initialize()
    x = mx.nd.random.uniform(shape=(4, 2))
    out = net(x)
    assert out.shape == (4, 5)
    _close(out[:, 3:], x.asnumpy(), 0)
    net.hybridize()
    _close(net(x), out.asnumpy())
    plain = cnn.Concurrent(axis=0)
    plain.add(cnn.Identity())
    plain.add(cnn.Identity())
    assert plain(x).shape == (8, 2)


def test_pixel_shuffle_matches_mxnet(case):
    _close(cnn.PixelShuffle2D((2, 3))(mx.nd.array(case["ps2d:x"])), case["ps2d:out"], 0)
    _close(cnn.PixelShuffle3D(2)(mx.nd.array(case["ps3d:x"])), case["ps3d:out"], 0)
    x = np.arange(12, dtype="float32").reshape(1, 4, 3)
    out = cnn.PixelShuffle1D(2)(mx.nd.array(x)).asnumpy()
    np.testing.assert_array_equal(out, x.reshape(1, 2, 2, 3).transpose(0, 1, 3, 2)
                                  .reshape(1, 2, 6))
    assert repr(cnn.PixelShuffle2D(2)) == "PixelShuffle2D((2, 2))"


def test_sparse_embedding_and_sync_batch_norm():
    emb = cnn.SparseEmbedding(5, 3)
    emb.initialize()
    idx = mx.nd.array([[0, 4], [4, 4]])
    with autograd.record():
        out = emb(idx)
    out.backward()
    _close(out[0, 1], emb.weight.data()[4].asnumpy(), 0)
    grad = emb.weight.grad().asnumpy()
    np.testing.assert_array_equal(grad.sum(axis=1), [3, 0, 0, 0, 9])
    assert repr(emb) == "SparseEmbedding(5 -> 3, float32)"
    with pytest.warns(UserWarning, match="num_devices"):
        cnn.SyncBatchNorm()
    sync = cnn.SyncBatchNorm(in_channels=2, num_devices=1)
    bn = gluon.nn.BatchNorm(in_channels=2)
    sync.initialize()
    bn.initialize()
    x = mx.nd.random.uniform(shape=(3, 2, 4))
    with autograd.record():
        a, b = sync(x), bn(x)
    _close(a, b.asnumpy())
    _close(sync.running_mean.data(), bn.running_mean.data().asnumpy())
