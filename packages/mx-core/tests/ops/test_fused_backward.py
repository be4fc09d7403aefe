"""Fused backward kernels (Activation, FullyConnected, RNN) give the composed gradients'
values; gradients nobody keeps are skipped; backward hands fresh gradient buffers over."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd


def _arr(rng, *shape):
    return mx.nd.array(rng.standard_normal(shape).astype(np.float32))


def _grads(fn, arrays, head):
    for a in arrays:
        a.attach_grad()
    with autograd.record():
        y = fn(*arrays)
    y.backward(head)
    return [a.grad.asnumpy() for a in arrays]


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh"])
def test_activation_fused_gradient_matches_composed(act):
    rng = np.random.default_rng(0)
    x, head = _arr(rng, 4, 5), _arr(rng, 4, 5)
    x[0, 0] = 0.0
    fused = _grads(lambda a: mx.nd.Activation(a, act_type=act), [x], head)[0]
    y = mx.nd.Activation(x, act_type=act)
    g, yv = head.asnumpy(), y.asnumpy()
    expect = {"relu": g * (x.asnumpy() > 0), "sigmoid": g * yv * (1 - yv),
              "tanh": g * (1 - yv * yv)}[act]
    np.testing.assert_array_equal(fused, expect.astype(np.float32))


def test_activation_second_order_still_differentiates():
    x = mx.nd.array([0.3, -0.2, 1.5])
    x.attach_grad()
    with autograd.record():
        y = mx.nd.Activation(x, act_type="tanh")
        (gx,) = autograd.grad(y.sum(), [x], create_graph=True)
        total = gx.sum()
    total.backward()
    t = np.tanh(x.asnumpy())
    np.testing.assert_allclose(x.grad.asnumpy(), -2 * t * (1 - t * t), rtol=1e-5)


@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("no_bias", [False, True])
def test_fully_connected_fused_gradient_matches_composed(flatten, no_bias):
    rng = np.random.default_rng(1)
    x, w, b = _arr(rng, 4, 3, 5), _arr(rng, 6, 15 if flatten else 5), _arr(rng, 6)
    args = [x, w] + ([] if no_bias else [b])
    out = mx.nd.FullyConnected(*args, num_hidden=6, no_bias=no_bias, flatten=flatten)
    head = _arr(rng, *out.shape)
    got = _grads(lambda *a: mx.nd.FullyConnected(*a, num_hidden=6, no_bias=no_bias,
                                                 flatten=flatten), args, head)
    x2 = x.asnumpy().reshape(4, -1) if flatten else x.asnumpy().reshape(-1, 5)
    g2 = head.asnumpy().reshape(-1, 6)
    np.testing.assert_array_equal(got[0], (g2 @ w.asnumpy()).reshape(x.shape))
    np.testing.assert_array_equal(got[1], g2.T @ x2)
    if not no_bias:
        np.testing.assert_array_equal(got[2], g2.sum(axis=0))


def test_fully_connected_skips_the_data_gradient_nobody_keeps(monkeypatch):
    rng = np.random.default_rng(2)
    x, w = _arr(rng, 3, 4), _arr(rng, 5, 4)
    seen = []
    w.attach_grad()
    with autograd.record():
        y = mx.nd.FullyConnected(x, w, num_hidden=5, no_bias=True)
    op = mx.nd._internal._backward_FullyConnected

    def spy(*args, **kw):
        seen.append(kw["need_data_grad"])
        return op(*args, **kw)
    monkeypatch.setattr(mx.nd._internal, "_backward_FullyConnected", spy)
    y.backward(mx.nd.ones((3, 5)))
    assert seen == [False]
    np.testing.assert_allclose(w.grad.asnumpy(), np.ones((3, 5)).T @ x.asnumpy(), rtol=1e-6)


def _lstm_grads(attach_data):
    rng = np.random.default_rng(3)
    h, i, t, n = 4, 3, 5, 2
    x = _arr(rng, t, n, i)
    p = mx.nd.array(rng.standard_normal(4 * h * (i + h) + 8 * h).astype(np.float32) * 0.3)
    h0, c0 = mx.nd.zeros((1, n, h)), mx.nd.zeros((1, n, h))
    p.attach_grad()
    if attach_data:
        x.attach_grad()
    with autograd.record():
        y = mx.nd.RNN(x, p, h0, c0, state_size=h, num_layers=1, mode="lstm")
    y.backward(mx.nd.ones(y.shape))
    return p.grad.asnumpy(), (x.grad.asnumpy() if attach_data else None)


def test_rnn_parameter_gradient_is_the_same_without_the_data_gradient():
    with_data, dx = _lstm_grads(True)
    without, _ = _lstm_grads(False)
    np.testing.assert_array_equal(with_data, without)
    assert np.abs(dx).sum() > 0


def test_backward_hands_the_fresh_gradient_over_without_aliasing():
    rng = np.random.default_rng(4)
    x, w = _arr(rng, 3, 4), _arr(rng, 4, 2)
    w.attach_grad()
    for _ in range(2):
        with autograd.record():
            y = mx.nd.dot(x, w)
        y.backward()
        np.testing.assert_allclose(w.grad.asnumpy(), x.asnumpy().T @ np.ones((3, 2)),
                                   rtol=1e-6)
    # a head gradient given by the caller is copied, never shared
    x.attach_grad()
    head = mx.nd.ones((3, 4)) * 2
    with autograd.record():
        z = x.reshape((3, 4))
    z.backward(head)
    assert not np.shares_memory(x.grad.asnumpy(), head._data)
    head[:] = 5
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full((3, 4), 2, np.float32))
    # a gradient buffer someone else views keeps receiving the values in place
    view = w.grad[0:1]
    with autograd.record():
        y = mx.nd.dot(x, w) * 3
    y.backward()
    np.testing.assert_allclose(view.asnumpy(), 3 * (x.asnumpy().T @ np.ones((3, 2)))[0:1],
                               rtol=1e-6)
