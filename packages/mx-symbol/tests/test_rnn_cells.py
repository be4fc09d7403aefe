"""``mx.rnn`` legacy symbolic cells against NumPy recurrences."""
import numpy as np

import mxnet as mx


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_lstm_unroll_matches_numpy():
    rng = np.random.RandomState(0)
    n, t, c, h = 2, 3, 4, 5
    cell = mx.rnn.LSTMCell(h, prefix="l_")
    out, states = cell.unroll(t, inputs=mx.sym.var("data"), merge_outputs=True)
    sym = mx.sym.Group([out] + states)
    params = {"l_i2h_weight": rng.randn(4 * h, c), "l_i2h_bias": rng.randn(4 * h),
              "l_h2h_weight": rng.randn(4 * h, h), "l_h2h_bias": rng.randn(4 * h)}
    x = rng.randn(n, t, c)
    feed = {k: mx.nd.array(v) for k, v in params.items()}
    res = sym.eval(data=mx.nd.array(x), **feed)
    hs, cs = np.zeros((n, h)), np.zeros((n, h))
    steps = []
    for k in range(t):
        g = x[:, k] @ params["l_i2h_weight"].T + params["l_i2h_bias"] + \
            hs @ params["l_h2h_weight"].T + params["l_h2h_bias"]
        i, f, cc, o = np.split(g, 4, axis=1)
        cs = _sigmoid(f) * cs + _sigmoid(i) * np.tanh(cc)
        hs = _sigmoid(o) * np.tanh(cs)
        steps.append(hs)
    np.testing.assert_allclose(res[0].asnumpy(), np.stack(steps, 1), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(res[2].asnumpy(), cs, rtol=1e-4, atol=1e-5)


def test_names_and_shapes_of_stacked_and_bidirectional_cells():
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.GRUCell(6, prefix="g0_"))
    stack.add(mx.rnn.DropoutCell(0.5))
    stack.add(mx.rnn.ResidualCell(mx.rnn.GRUCell(6, prefix="g1_")))
    inputs = [mx.sym.var("t%d" % i) for i in range(2)]
    outs, states = stack.unroll(2, inputs)
    assert len(outs) == 2 and len(states) == 2
    assert sorted(stack.params._params) == sorted(
        "g%d_%s_%s" % (i, g, k) for i in (0, 1) for g in ("i2h", "h2h")
        for k in ("weight", "bias"))
    bi = mx.rnn.BidirectionalCell(mx.rnn.RNNCell(3, prefix="l_"),
                                  mx.rnn.RNNCell(3, prefix="r_"), output_prefix="bi_")
    outs, _ = bi.unroll(2, inputs)
    group = mx.sym.Group(outs)
    assert group.list_outputs() == ["bi_t0_output", "bi_t1_output"]
    assert group.infer_shape(t0=(4, 7), t1=(4, 7))[1] == [(4, 6), (4, 6)]


def test_pack_unpack_weights_round_trip():
    cell = mx.rnn.LSTMCell(3, prefix="l_")
    args = {"l_i2h_weight": mx.nd.array(np.arange(24).reshape(12, 2)),
            "l_i2h_bias": mx.nd.arange(12), "l_h2h_weight": mx.nd.ones((12, 3)),
            "l_h2h_bias": mx.nd.zeros((12,))}
    unpacked = cell.unpack_weights(args)
    assert unpacked["l_i2h_f_weight"].asnumpy().tolist() == [[6, 7], [8, 9], [10, 11]]
    packed = cell.pack_weights(unpacked)
    for name, value in args.items():
        np.testing.assert_array_equal(packed[name].asnumpy(), value.asnumpy())


def test_fused_cell_unfuse_and_weight_slices():
    fused = mx.rnn.FusedRNNCell(4, num_layers=2, mode="gru", prefix="f_")
    total = (3 + 4 + 2) * 4 * 3 + (4 + 4 + 2) * 4 * 3
    args = fused.unpack_weights({"f_parameters": mx.nd.arange(total)})
    assert args["f_l0_i2h_r_weight"].shape == (4, 3)
    assert args["f_l1_h2h_o_bias"].shape == (4,)
    assert fused.pack_weights(args)["f_parameters"].asnumpy().tolist() == \
        list(range(total))
    outs, _ = fused.unfuse().unroll(2, [mx.sym.var("a"), mx.sym.var("b")])
    assert mx.sym.Group(outs).infer_shape(a=(2, 3), b=(2, 3))[1] == [(2, 4), (2, 4)]


def test_bucket_sentence_iter_and_encode():
    coded, vocab = mx.rnn.encode_sentences([["a", "b"], ["b", "c", "a"]], invalid_label=0,
                                           start_label=1)
    assert coded == [[1, 2], [2, 3, 1]] and vocab["\n"] == 0
    it = mx.rnn.BucketSentenceIter([[1, 2, 3], [4, 5, 6], [1, 2]], batch_size=2,
                                   buckets=[3], invalid_label=0)
    batch = next(iter(it))
    assert batch.bucket_key == 3 and batch.data[0].shape == (2, 3)
    label = batch.label[0].asnumpy()
    assert (label[:, -1] == 0).all()


def test_conv_lstm_cell_shapes_and_values():
    # sums checked against MXNet 1.9.1 on the same inputs
    cell = mx.rnn.ConvLSTMCell(input_shape=(2, 3, 5, 4), num_hidden=2, prefix="c_")
    outs, states = cell.unroll(2, [mx.sym.var("a"), mx.sym.var("b")], merge_outputs=True)
    g = mx.sym.Group([outs] + states)
    shapes = dict(zip(g.list_arguments(),
                      g.infer_shape(a=(2, 3, 5, 4), b=(2, 3, 5, 4))[0]))
    assert shapes["c_h2h_weight"] == (8, 2, 3, 3)
    rng = np.random.RandomState(0)
    args = {k: mx.nd.array(rng.uniform(-1, 1, s)) for k, s in sorted(shapes.items())}
    res = g.eval(**args)
    assert [r.shape for r in res] == [(2, 2, 2, 5, 4), (2, 2, 5, 4), (2, 2, 5, 4)]
    np.testing.assert_allclose([float(r.asnumpy().sum()) for r in res],
                               [14.8516, 8.5436, 21.9881], atol=2e-3)
