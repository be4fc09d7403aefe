"""A hybridized block under autograd records one tape node running its compiled
backward, with the same gradients as the imperative block."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.base import MXNetError


def _net():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(8, activation="tanh", in_units=5), gluon.nn.BatchNorm(in_channels=8),
            gluon.nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier())
    return net


def _grads(net, x, hybrid):
    if hybrid:
        net.hybridize()
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        out = net(x)
        loss = (out * out).sum()
    loss.backward()
    params = net.collect_params()
    return out, x.grad.asnumpy(), {k: p.grad().asnumpy() for k, p in params.items()
                                   if p.grad_req != "null"}


def test_hybrid_training_matches_imperative_and_is_one_node():
    x = mx.nd.array(np.random.default_rng(0).normal(size=(4, 5)))
    net = _net()
    params = net.collect_params()
    saved = {k: p.data().copy() for k, p in params.items()}
    out_i, dx_i, g_i = _grads(net, x, hybrid=False)
    for k, p in params.items():
        p.set_data(saved[k])
    out_h, dx_h, g_h = _grads(net, x, hybrid=True)
    assert out_h._node.op is None          # the whole graph is one recorded node
    np.testing.assert_allclose(out_h.asnumpy(), out_i.asnumpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dx_h, dx_i, rtol=1e-4, atol=1e-6)
    for k in g_i:
        np.testing.assert_allclose(g_h[k], g_i[k], rtol=1e-4, atol=1e-6, err_msg=k)


def test_retain_graph_is_refused_clearly():
    net = _net()
    net.hybridize()
    x = mx.nd.ones((2, 5))
    with autograd.record():
        loss = net(x).sum()
    loss.backward(retain_graph=True)
    with pytest.raises(MXNetError, match="already differentiated"):
        loss.backward()
