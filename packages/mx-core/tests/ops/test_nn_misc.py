"""LeakyReLU, Dropout, loss heads, SoftmaxActivation, Sequence*, RNN, CTCLoss, the
spatial samplers and the contrib vision operators: values and finite differences."""
import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils.finite_diff import check_grad

R = np.random.default_rng(0)


def _check_grad(fn, inputs, wrt=None, rtol=1e-4, atol=1e-6, eps=1e-6, train=True):
    """Autograd against central differences of sum(head * fn(*inputs)), float64."""
    check_grad(fn, inputs, rtol=rtol, atol=atol, eps=eps, wrt=wrt, train=train)


@pytest.mark.parametrize("kw", [{"act_type": "leaky", "slope": 0.1}, {"act_type": "elu"},
                                {"act_type": "gelu"}])
def test_leaky_relu_gradients(kw):
    x = R.standard_normal((3, 4))
    x[np.abs(x) < 1e-3] = 0.5           # keep away from the kink
    _check_grad(lambda a: mx.nd.LeakyReLU(a, **kw), [x])


def test_prelu_gradients_and_rrelu_modes():
    x = R.standard_normal((2, 3, 4))
    _check_grad(lambda a, g: mx.nd.LeakyReLU(a, g, act_type="prelu"), [x, R.uniform(0, 1, 3)])
    xs = mx.nd.array(x)
    out, mask = mx.nd.LeakyReLU(xs, act_type="rrelu")
    np.testing.assert_allclose(out.asnumpy(), np.where(x > 0, x, x * (0.125 + 0.334) / 2),
                               rtol=1e-6)
    with mx.autograd.train_mode():
        out, mask = mx.nd.LeakyReLU(xs, act_type="rrelu")
    m = mask.asnumpy()
    assert ((m >= 0.125) & (m <= 0.334)).all()


def test_dropout_mask_and_gradient():
    x = mx.nd.ones((50, 40))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Dropout(x, p=0.25)
    y.backward()
    out = y.asnumpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.2 < (out == 0).mean() < 0.3
    np.testing.assert_array_equal(x.grad.asnumpy(), out)
    with mx.autograd.record():
        y = mx.nd.Dropout(x, p=0.5, axes=(0,))
    rows = y.asnumpy()
    assert (rows == rows[:1]).all()          # one mask shared along axis 0
    np.testing.assert_array_equal(mx.nd.Dropout(x, p=0.5).asnumpy(), x.asnumpy())


def test_loss_heads_ignore_head_gradient():
    x = R.standard_normal((4, 5))
    label = np.array([0, 3, 1, 4.0])
    xd = mx.nd.array(x)
    xd.attach_grad()
    with mx.autograd.record():
        y = mx.nd.SoftmaxOutput(xd, mx.nd.array(label), normalization="batch")
    y.backward(mx.nd.ones((4, 5)) * 7)
    p = np.exp(x) / np.exp(x).sum(1, keepdims=True)
    np.testing.assert_allclose(y.asnumpy(), p, rtol=1e-5)
    np.testing.assert_allclose(xd.grad.asnumpy(), (p - np.eye(5)[[0, 3, 1, 4]]) / 4,
                               rtol=1e-5, atol=1e-6)
    lab = R.standard_normal((4, 5))
    for op, link, d in (("LinearRegressionOutput", x, x - lab),
                        ("MAERegressionOutput", x, np.sign(x - lab)),
                        ("LogisticRegressionOutput", 1 / (1 + np.exp(-x)),
                         1 / (1 + np.exp(-x)) - lab)):
        xd = mx.nd.array(x)
        xd.attach_grad()
        with mx.autograd.record():
            y = getattr(mx.nd, op)(xd, mx.nd.array(lab))
        y.backward(mx.nd.ones((4, 5)) * 3)
        np.testing.assert_allclose(y.asnumpy(), link, rtol=1e-5)
        np.testing.assert_allclose(xd.grad.asnumpy(), d / 5, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode,shape", [("instance", (2, 3)), ("channel", (2, 3, 2))])
def test_softmax_activation(mode, shape):
    # (MXNet's 'instance' backward on >2-D data reduces over axis 1: not checked here)
    _check_grad(lambda a: mx.nd.SoftmaxActivation(a, mode=mode), [R.standard_normal(shape)])


def test_sequence_ops():
    x = R.standard_normal((4, 3, 2))
    ln = np.array([1.0, 4.0, 2.0])
    _check_grad(lambda a: mx.nd.SequenceMask(a, mx.nd.array(ln, dtype="float64"),
                                             use_sequence_length=True), [x])
    _check_grad(lambda a: mx.nd.SequenceLast(a, mx.nd.array(ln, dtype="float64"),
                                             use_sequence_length=True), [x])
    _check_grad(lambda a: mx.nd.SequenceReverse(a, mx.nd.array(ln, dtype="float64"),
                                                use_sequence_length=True), [x])
    rev = mx.nd.SequenceReverse(mx.nd.array(x), mx.nd.array(ln),
                                use_sequence_length=True).asnumpy()
    np.testing.assert_allclose(rev[:2, 2], x[:2, 2][::-1], rtol=1e-6)
    np.testing.assert_allclose(rev[2:, 2], x[2:, 2], rtol=1e-6)
    last = mx.nd.SequenceLast(mx.nd.array(x)).asnumpy()
    np.testing.assert_allclose(last, x[-1], rtol=1e-6)


@pytest.mark.parametrize("mode,layers,bidir", [("lstm", 2, True), ("gru", 1, True),
                                               ("rnn_tanh", 2, False),
                                               ("rnn_relu", 1, False)])
def test_rnn_gradients(mode, layers, bidir):
    from mxnet._ops.defs.nn.rnn import param_size
    attrs = {"state_size": 2, "num_layers": layers, "bidirectional": bidir, "mode": mode}
    d = 2 if bidir else 1
    data = R.standard_normal((3, 2, 3))
    params = R.standard_normal(param_size(attrs, 3)) * 0.5
    state = R.standard_normal((layers * d, 2, 2))
    inputs = [data, params, state] + ([R.standard_normal(state.shape)] if mode == "lstm" else [])

    def fn(*a):
        outs = mx.nd.RNN(*a, state_outputs=True, **attrs)
        return mx.nd.concat(outs[0].reshape((-1,)), outs[1].reshape((-1,)), dim=0)
    _check_grad(fn, inputs)


def test_lstm_matches_numpy_cell():
    from mxnet._ops.defs.nn.rnn import param_size
    attrs = {"state_size": 2, "num_layers": 1, "mode": "lstm", "bidirectional": False}
    x = R.standard_normal((3, 1, 2))
    h, c = R.standard_normal((1, 1, 2)), R.standard_normal((1, 1, 2))
    p = R.standard_normal(param_size(attrs, 2))
    out = mx.nd.RNN(*[mx.nd.array(v, dtype="float64") for v in (x, p, h, c)], **attrs)
    wi, wh = p[:16].reshape(8, 2), p[16:32].reshape(8, 2)
    bi, bh = p[32:40], p[40:48]
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    hh, cc = h[0], c[0]
    for t in range(3):
        a = x[t] @ wi.T + bi + hh @ wh.T + bh
        i, f, g, o = sig(a[:, :2]), sig(a[:, 2:4]), np.tanh(a[:, 4:6]), sig(a[:, 6:])
        cc = f * cc + i * g
        hh = o * np.tanh(cc)
        np.testing.assert_allclose(out.asnumpy()[t], hh, rtol=1e-10)


def test_ctc_loss_value_and_gradient():
    # two frames, one label: p = y0[1]*y1[1] + y0[0]*y1[1] + y0[1]*y1[0]
    x = R.standard_normal((2, 1, 3))
    y = np.exp(x[:, 0]) / np.exp(x[:, 0]).sum(1, keepdims=True)
    loss = mx.nd.CTCLoss(mx.nd.array(x, dtype="float64"), mx.nd.array([[1.0]])).asnumpy()
    p = y[0, 1] * y[1, 1] + y[0, 0] * y[1, 1] + y[0, 1] * y[1, 0]
    np.testing.assert_allclose(loss, [-np.log(p)])
    x = R.standard_normal((5, 2, 4))
    label = mx.nd.array([[1, 2, 0], [3, 3, 1]], dtype="float64")
    _check_grad(lambda a: mx.nd.contrib.ctc_loss(a, label), [x])


def test_spatial_transformer_family():
    data = R.standard_normal((1, 2, 4, 5))
    theta = np.array([[0.9, 0.1, 0.05, -0.1, 0.75, 0.1]])  # no sample on a pixel edge
    _check_grad(lambda d, t: mx.nd.SpatialTransformer(d, t, target_shape=(3, 4),
                                                      transform_type="affine",
                                                      sampler_type="bilinear"),
                [data, theta], atol=1e-5)
    ident = mx.nd.GridGenerator(mx.nd.array([[1.0, 0, 0, 0, 1, 0]]), transform_type="affine",
                                target_shape=(4, 5))
    same = mx.nd.BilinearSampler(mx.nd.array(data), ident).asnumpy()
    np.testing.assert_allclose(same, data, rtol=1e-5, atol=1e-6)
    flow = R.standard_normal((1, 2, 3, 4))
    _check_grad(lambda f: mx.nd.GridGenerator(f, transform_type="warp"), [flow])


def test_contrib_resize_and_adaptive_pool():
    x = R.standard_normal((1, 2, 5, 6))
    out = mx.nd.contrib.AdaptiveAvgPooling2D(mx.nd.array(x), output_size=1).asnumpy()
    np.testing.assert_allclose(out[..., 0, 0], x.mean(axis=(2, 3)), rtol=1e-5)
    _check_grad(lambda a: mx.nd.contrib.AdaptiveAvgPooling2D(a, output_size=(2, 4)), [x])
    _check_grad(lambda a: mx.nd.contrib.BilinearResize2D(a, height=7, width=4), [x])
    same = mx.nd.contrib.BilinearResize2D(mx.nd.array(x), height=5, width=6).asnumpy()
    np.testing.assert_allclose(same, x, rtol=1e-5, atol=1e-6)


def test_box_iou_and_multibox_prior():
    a = mx.nd.array([[0, 0, 2, 2], [1, 1, 3, 3]])
    iou = mx.nd.contrib.box_iou(a, a).asnumpy()
    np.testing.assert_allclose(iou, [[1, 1 / 7], [1 / 7, 1]], rtol=1e-6)
    anchors = mx.nd.contrib.MultiBoxPrior(mx.nd.zeros((1, 1, 2, 2)), sizes=(0.5,)).asnumpy()
    np.testing.assert_allclose(anchors[0, 0], [0, 0, 0.5, 0.5], atol=1e-7)
    assert anchors.shape == (1, 4, 4)


def test_rnn_dropout_between_layers_matches_explicit_dropout():
    i, h, t, n = 3, 4, 5, 2
    wi0, wh0, wi1, wh1 = (R.standard_normal(s) * 0.5 for s in ((h, i), (h, h), (h, h), (h, h)))
    b0, b1 = R.standard_normal(2 * h), R.standard_normal(2 * h)
    flat = np.concatenate([wi0.ravel(), wh0.ravel(), wi1.ravel(), wh1.ravel(), b0, b1])
    x = R.standard_normal((t, n, i))
    kw = {"state_size": h, "mode": "rnn_tanh"}

    def run(fused):
        data = mx.nd.array(x, dtype="float64")
        data.attach_grad()
        mx.random.seed(7)
        with mx.autograd.record():
            if fused:
                out = mx.nd.RNN(data, mx.nd.array(flat, dtype="float64"),
                                mx.nd.zeros((2, n, h), dtype="float64"), num_layers=2, p=0.5,
                                **kw)
            else:
                p0 = np.concatenate([wi0.ravel(), wh0.ravel(), b0])
                p1 = np.concatenate([wi1.ravel(), wh1.ravel(), b1])
                zero = mx.nd.zeros((1, n, h), dtype="float64")
                mid = mx.nd.RNN(data, mx.nd.array(p0, dtype="float64"), zero, num_layers=1,
                                **kw)
                mid = mx.nd.Dropout(mid, p=0.5)
                out = mx.nd.RNN(mid, mx.nd.array(p1, dtype="float64"), zero, num_layers=1,
                                **kw)
        out.backward(mx.nd.ones_like(out))
        return out.asnumpy(), data.grad.asnumpy()

    fused, ref = run(True), run(False)
    np.testing.assert_allclose(fused[0], ref[0], rtol=1e-10)
    np.testing.assert_allclose(fused[1], ref[1], rtol=1e-10)


@pytest.mark.parametrize("mode", ["lstm", "gru", "rnn_tanh"])
def test_rnn_backward_reuses_the_training_forward(mode, monkeypatch):
    # the backward takes the forward's per-step cache; rerunning the forward (the
    # fallback) must give the same gradients bit for bit
    from mxnet._ops.defs.nn import rnn
    attrs = {"state_size": 3, "num_layers": 2, "bidirectional": True, "mode": mode}
    arrays = [R.standard_normal((4, 2, 3)), R.standard_normal(rnn.param_size(attrs, 3)) * 0.5,
              R.standard_normal((4, 2, 3))] + ([R.standard_normal((4, 2, 3))]
                                               if mode == "lstm" else [])

    def grads(cached):
        inputs = [mx.nd.array(a) for a in arrays]
        for a in inputs:
            a.attach_grad()
        with mx.autograd.record():
            out = mx.nd.RNN(*inputs, **attrs)
        assert id(out._data) in rnn._CACHE
        out.backward(mx.nd.ones_like(out) * 0.3)
        assert (id(out._data) in rnn._CACHE) != cached      # taken by the backward
        return [a.grad.asnumpy() for a in inputs]
    reused = grads(True)
    monkeypatch.setattr(rnn, "_recall", lambda out: None)
    for a, b in zip(reused, grads(False)):
        np.testing.assert_array_equal(a, b)


def test_rnn_cache_goes_with_its_output():
    from mxnet._ops.defs.nn import rnn
    attrs = {"state_size": 2, "num_layers": 1, "bidirectional": False, "mode": "rnn_tanh"}
    x, h = mx.nd.ones((2, 1, 2)), mx.nd.zeros((1, 1, 2))
    p = mx.nd.ones((rnn.param_size(attrs, 2),))
    with mx.autograd.record():
        out = mx.nd.RNN(x, p, h, **attrs)
    key = id(out._data)
    assert key in rnn._CACHE
    del out
    assert key not in rnn._CACHE


@pytest.mark.parametrize("op", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("kw", [{}, {"temperature": 2.0, "axis": 0},
                                {"use_length": True, "axis": 1}])
def test_softmax_fused_backward_matches_composed(op, kw):
    # plain backward runs _backward_<op>; create_graph the F-composed gradient: same bits
    x = mx.nd.array(R.standard_normal((3, 5)))
    x.attach_grad()
    extra = [mx.nd.array([2, 5, 3])] if kw.get("use_length") else []
    head = mx.nd.array(R.standard_normal((3, 5)))
    with mx.autograd.record():
        y = getattr(mx.nd, op)(x, *extra, **kw)
    y.backward(head)
    with mx.autograd.record():
        y = getattr(mx.nd, op)(x, *extra, **kw)
        g = mx.autograd.grad(y, [x], head_grads=head, create_graph=True)[0]
    np.testing.assert_array_equal(x.grad.asnumpy(), g.asnumpy())


def test_softmax_second_order():
    x = mx.nd.array(R.standard_normal((2, 4)), dtype="float64")
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.log_softmax(x)
        g = mx.autograd.grad(y, [x], create_graph=True)[0]
        z = (g * g).sum()
    z.backward()
    s = np.exp(y.asnumpy())
    # g = 1 - 4 s; d/dx sum(g^2) = sum_j 2 g_j dg_j/dx = -8 (s * g - s * sum(s * g))
    gv = 1 - 4 * s
    ref = -8 * (s * gv - s * (s * gv).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(x.grad.asnumpy(), ref, rtol=1e-10, atol=1e-12)
