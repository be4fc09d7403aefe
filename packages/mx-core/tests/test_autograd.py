"""Autograd beyond what MXNet 1.9.1 itself can do, and its error paths."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


def test_second_order_of_products():
    # MXNet 1.9.1 refuses this (mul's backward has no gradient); we differentiate it.
    a = mx.nd.array([1.0, 2.0, 3.0])
    a.attach_grad()
    with mx.autograd.record():
        y = a * a * a
        g = mx.autograd.grad(y, [a], create_graph=True)[0]
    g.backward()
    np.testing.assert_allclose(g.asnumpy(), 3 * np.array([1, 4, 9]))
    np.testing.assert_allclose(a.grad.asnumpy(), 6 * np.array([1, 2, 3]))


def test_third_order_of_tanh_matches_closed_form():
    x0 = np.array([0.3, -0.7], dtype=np.float64)
    a = mx.nd.array(x0, dtype="float64")
    a.attach_grad()
    with mx.autograd.record():
        y = mx.nd.tanh(a)
        g1 = mx.autograd.grad(y, [a], create_graph=True)[0]
        g2 = mx.autograd.grad(g1, [a], create_graph=True)[0]
    g2.backward()
    t = np.tanh(x0)
    np.testing.assert_allclose(g2.asnumpy(), -2 * t * (1 - t ** 2))
    np.testing.assert_allclose(a.grad.asnumpy(), (1 - t ** 2) * (6 * t ** 2 - 2))


def test_null_grad_req_leaves_grad_untouched():
    a = mx.nd.array([1.0, 2.0])
    a.attach_grad(grad_req="null")
    with mx.autograd.record():
        y = a * 2
    y.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), [0, 0])


def test_backward_without_graph_raises():
    a = mx.nd.array([1.0])
    with pytest.raises(MXNetError, match="not in a computational graph"):
        a.backward()


def test_train_mode_reaches_operators_and_backward():
    seen = []

    class Probe(mx.autograd.Function):
        def forward(self, x):
            seen.append(mx.autograd.is_training())
            return x * 1

        def backward(self, dy):
            seen.append(mx.autograd.is_training())
            return dy

    a = mx.nd.array([1.0])
    a.attach_grad()
    with mx.autograd.record(train_mode=False):
        y = Probe()(a)
    y.backward(train_mode=True)
    assert seen == [False, True]


def test_function_instances_are_single_use_and_check_grad_count():
    class Two(mx.autograd.Function):
        def forward(self, x, y):
            return x + y

        def backward(self, dz):
            return (dz,)             # one gradient for two inputs: an error

    f = Two()
    a, b = mx.nd.array([1.0]), mx.nd.array([2.0])
    a.attach_grad()
    with mx.autograd.record():
        z = f(a, b)
    with pytest.raises(MXNetError, match="returned 1 gradients for 2 inputs"):
        z.backward()
    with pytest.raises(MXNetError, match="only be called once"):
        f(a, b)


def test_recorded_graph_is_freed_and_reused_outputs_become_constants():
    a = mx.nd.array([2.0])
    a.attach_grad()
    with mx.autograd.record():
        h = a * a
        loss = h * 1
    loss.backward()
    with mx.autograd.record():      # h's graph was freed: it is a constant now
        loss2 = h * a
    loss2.backward()
    np.testing.assert_allclose(a.grad.asnumpy(), [4.0])


def test_mark_variables_checks_lengths():
    with pytest.raises(MXNetError, match="must match"):
        mx.autograd.mark_variables([mx.nd.ones(1)], [])


def test_gradients_through_fully_connected_match_numpy():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5,))
    head = rng.normal(size=(4, 5))
    X, W, B = (mx.nd.array(v, dtype="float64") for v in (x, w, b))
    for v in (X, W, B):
        v.attach_grad()
    with mx.autograd.record():
        out = mx.nd.FullyConnected(X, W, B, num_hidden=5)
    out.backward(mx.nd.array(head, dtype="float64"))
    np.testing.assert_allclose(out.asnumpy(), x @ w.T + b)
    np.testing.assert_allclose(X.grad.asnumpy(), head @ w)
    np.testing.assert_allclose(W.grad.asnumpy(), head.T @ x)
    np.testing.assert_allclose(B.grad.asnumpy(), head.sum(0))
