"""_contrib_SyncBatchNorm against values recorded from MXNet 1.9.1."""
import numpy as np
import pytest

import mxnet as mx


def test_sync_batch_norm_matches_mxnet():
    x = mx.nd.array(np.random.RandomState(0).randn(2, 3, 4))
    gamma, beta = mx.nd.ones(3) * 2, mx.nd.ones(3)
    mean, var = mx.nd.zeros(3), mx.nd.ones(3)
    for a in (gamma, beta, x):
        a.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.SyncBatchNorm(x, gamma, beta, mean, var, key="k",
                                          fix_gamma=False, output_mean_var=True)
    assert len(out) == 3
    np.testing.assert_allclose(out[0].asnumpy().ravel()[:3],
                               [3.5117888, -0.36558235, 1.2792453], rtol=1e-5)
    np.testing.assert_allclose(out[1].asnumpy(), [0.88051134, 0.30461302, 0.01607457],
                               rtol=1e-5)
    # the third output is the (biased) variance, not BatchNorm's 1/std
    np.testing.assert_allclose(out[2].asnumpy(), [0.49393398, 0.9659954, 1.3194838],
                               rtol=1e-5)
    out[0].backward(x)
    np.testing.assert_allclose(x.grad.asnumpy().ravel()[:4],
                               [0.00507545, -0.00275946, 0.0005641, 0.00781441],
                               rtol=2e-3, atol=1e-6)
    np.testing.assert_allclose(gamma.grad.asnumpy(), [5.6167507, 7.8587384, 9.186024],
                               rtol=1e-5)
    # the backward updated the moving statistics, as BatchNorm's CPU kernel
    np.testing.assert_allclose(mean.asnumpy(), [0.08805116, 0.03046131, 0.00160746],
                               rtol=1e-5)
    np.testing.assert_allclose(var.asnumpy(), [0.9493934, 0.99659956, 1.0319483],
                               rtol=1e-5)


def test_sync_batch_norm_symbol_has_batch_norm_arguments():
    pytest.importorskip("mxnet.symbol", reason="needs mx-symbol")
    sym = mx.sym.contrib.SyncBatchNorm(mx.sym.var("d"), key="k", name="bn")
    assert sym.list_arguments() == ["d", "bn_gamma", "bn_beta"]
    assert sym.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert sym.infer_shape(d=(2, 3, 4))[1] == [(2, 3, 4)]


def test_sync_batch_norm_gradient_matches_finite_differences():
    from mxnet._test_utils import finite_diff as fd
    rs = np.random.RandomState(2)

    def op(x, gamma, beta):
        return mx.nd.contrib.SyncBatchNorm(x, gamma, beta, mx.nd.zeros(3, dtype=x.dtype),
                                           mx.nd.ones(3, dtype=x.dtype), key="k",
                                           fix_gamma=False)
    fd.check_grad(op, [rs.randn(4, 3, 2), rs.rand(3) + 0.5, rs.randn(3)], rtol=1e-4,
                  atol=1e-6)
