"""mx.sym.contrib.foreach / while_loop / cond: values and gradients against NumPy and
the imperative versions (values checked against MXNet 1.9.1 runs)."""
import numpy as np
import pytest

import mxnet as mx


def test_foreach_rnn_step_forward_and_backward():
    rng = np.random.RandomState(0)
    w_val, d_val, h_val = rng.uniform(-1, 1, (3, 5)), rng.uniform(-1, 1, (4, 2, 5)), \
        rng.uniform(-1, 1, (2, 3))
    w = mx.sym.var("w")

    def step(x, states):
        h = mx.sym.tanh(mx.sym.FullyConnected(x, weight=w, no_bias=True, num_hidden=3)
                        + states[0])
        return h * 2, [h]
    outs, states = mx.sym.contrib.foreach(step, mx.sym.var("data"), [mx.sym.var("h0")])
    g = mx.sym.Group([outs, states[0]])
    assert g.list_arguments() == ["data", "h0", "w"]
    assert g.list_outputs() == ["_foreach0_output0", "_foreach0_output1"]
    assert g.infer_shape(data=(4, 2, 5), h0=(2, 3))[0][2] == (3, 5)
    exe = g.bind(mx.cpu(), {"data": mx.nd.array(d_val), "h0": mx.nd.array(h_val),
                            "w": mx.nd.array(w_val)},
                 args_grad={n: mx.nd.zeros(s) for n, s in
                            (("data", (4, 2, 5)), ("h0", (2, 3)), ("w", (3, 5)))})
    out, final = exe.forward(is_train=True)
    h, expected = h_val, []
    for t in range(4):
        h = np.tanh(d_val[t] @ w_val.T + h)
        expected.append(h * 2)
    np.testing.assert_allclose(out.asnumpy(), np.stack(expected), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final.asnumpy(), h, rtol=1e-5, atol=1e-6)
    exe.backward([mx.nd.ones((4, 2, 3)), mx.nd.ones((2, 3))])
    # the same gradients as autograd through the imperative foreach
    data, h0, wt = (mx.nd.array(v) for v in (d_val, h_val, w_val))
    for x in (data, h0, wt):
        x.attach_grad()
    with mx.autograd.record():
        o, s = mx.nd.contrib.foreach(
            lambda x, st: ((lambda hh: (hh * 2, [hh]))(mx.nd.tanh(
                mx.nd.FullyConnected(x, wt, no_bias=True, num_hidden=3) + st[0]))),
            data, [h0])
        total = o.sum() + s[0].sum()
    total.backward()
    for name, x in (("data", data), ("h0", h0), ("w", wt)):
        np.testing.assert_allclose(exe.grad_dict[name].asnumpy(), x.grad.asnumpy(),
                                   rtol=1e-4, atol=1e-5)


def test_while_loop_pads_outputs_and_back_propagates():
    i, s = mx.sym.var("i"), mx.sym.var("s")
    out, final = mx.sym.contrib.while_loop(
        lambda i, s: i < 5, lambda i, s: (i + s, [i + 1, s + i]), [i, s], max_iterations=8)
    g = mx.sym.Group([out] + final)
    exe = g.bind(mx.cpu(), {"i": mx.nd.array([1]), "s": mx.nd.array([2])},
                 args_grad={"i": mx.nd.zeros(1), "s": mx.nd.zeros(1)})
    res = exe.forward(is_train=True)
    assert res[0].asnumpy().ravel().tolist() == [3, 5, 8, 12, 0, 0, 0, 0]
    assert res[1].asscalar() == 5 and res[2].asscalar() == 12
    exe.backward([mx.nd.ones((8, 1)), mx.nd.ones(1), mx.nd.ones(1)])
    assert exe.grad_dict["i"].asscalar() == 15 and exe.grad_dict["s"].asscalar() == 5


def test_while_loop_that_never_runs_keeps_its_variables():
    i = mx.sym.var("i")
    out, final = mx.sym.contrib.while_loop(lambda i: i > 10, lambda i: (i * 2, [i + 1]),
                                           [i], max_iterations=3)
    res = mx.sym.Group([out] + final).eval(i=mx.nd.array([1]))
    assert res[0].asnumpy().ravel().tolist() == [0, 0, 0]
    assert res[1].asscalar() == 1
    with pytest.raises(ValueError, match="max_iterations"):
        mx.sym.contrib.while_loop(lambda i: i > 1, lambda i: (i, [i]), [i])


def test_cond_picks_a_branch_and_its_gradient():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = mx.sym.contrib.cond(a > b, lambda: a * 2, lambda: b - a)
    for av, bv, value, ga, gb in ((3, 1, 6, 2, 0), (1, 3, 2, -1, 1)):
        exe = c.bind(mx.cpu(), {"a": mx.nd.array([av]), "b": mx.nd.array([bv])},
                     args_grad={"a": mx.nd.zeros(1), "b": mx.nd.zeros(1)})
        assert exe.forward(is_train=True)[0].asscalar() == value
        exe.backward([mx.nd.ones(1)])
        assert (exe.grad_dict["a"].asscalar(), exe.grad_dict["b"].asscalar()) == (ga, gb)


def test_foreach_partial_shapes_and_json_round_trip():
    data = mx.sym.var("data", shape=(0, 3, 4))
    outs, _ = mx.sym.contrib.foreach(lambda x, st: (x + st[0], [st[0] * 2]), data,
                                     [mx.sym.var("state")])
    assert outs.infer_shape_partial()[1] == [(0, 3, 4)]
    text = outs.tojson()
    assert mx.sym.load_json(text).tojson() == text


def test_hybridized_gluon_block_with_foreach_matches_imperative():
    pytest.importorskip("mxnet.gluon", reason="needs mx-gluon")
    class Layer(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x, states):
            out, _ = F.contrib.foreach(lambda d, s: (d + s[0], [s[0] * 2]), x, states)
            return out
    x, s = mx.nd.array(np.arange(6).reshape(3, 2)), mx.nd.array([1.0, 2.0])
    plain = Layer()
    hybrid = Layer()
    hybrid.hybridize()
    np.testing.assert_allclose(plain(x, [s]).asnumpy(), hybrid(x, [s]).asnumpy())
    assert hybrid(x, [s]).asnumpy().tolist() == [[1, 3], [4, 7], [8, 13]]
