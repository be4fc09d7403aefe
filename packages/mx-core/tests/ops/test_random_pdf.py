"""Densities ``_random_pdf_*`` (``_ops/defs/random_pdf.py``) against MXNet 1.9.1.

``data/random/pdf_mxnet_1.9.1.npz`` holds, per distribution and ``is_log``, the
densities MXNet 1.9.1 computed and the gradients it gave the sample and the
parameters for the head gradient ``1, 2, 3, ...``.
"""
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = np.load(pathlib.Path(__file__).resolve().parent.parent / "data" / "random" /
               "pdf_mxnet_1.9.1.npz")
DISTS = ["uniform", "normal", "gamma", "exponential", "poisson", "negative_binomial",
         "generalized_negative_binomial", "dirichlet"]


@pytest.mark.parametrize("is_log", [False, True])
@pytest.mark.parametrize("dist", DISTS)
def test_density_and_gradients_match_mxnet(dist, is_log):
    sample = mx.nd.array(DATA[f"{dist}.sample"], dtype="float64")
    params = [mx.nd.array(DATA[f"{dist}.param{i}"], dtype="float64")
              for i in range(3) if f"{dist}.param{i}" in DATA.files]
    for x in [sample] + params:
        x.attach_grad()
    with mx.autograd.record():
        y = getattr(mx.nd, f"random_pdf_{dist}")(sample, *params, is_log=is_log)
    head = np.arange(1, y.size + 1, dtype=np.float64).reshape(y.shape)
    y.backward(mx.nd.array(head, dtype="float64"))
    key = f"{dist}_{int(is_log)}"
    np.testing.assert_allclose(y.asnumpy(), DATA[f"{key}.y"], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(sample.grad.asnumpy(), DATA[f"{key}.gs"], rtol=1e-6,
                               atol=1e-12)
    for i, p in enumerate(params):
        np.testing.assert_allclose(p.grad.asnumpy(), DATA[f"{key}.gp{i}"], rtol=1e-6,
                                   atol=1e-12)


def test_normal_density_float32_many_samples():
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)
    mu, sigma = np.array([0.0, 1.0], np.float32), np.array([1.0, 2.0], np.float32)
    out = mx.nd._internal._random_pdf_normal(mx.nd.array(x), mx.nd.array(mu),
                                             mx.nd.array(sigma))
    m, s = mu[:, None, None], sigma[:, None, None]
    want = np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-5)


def test_dirichlet_batched_alpha():
    rng = np.random.default_rng(1)
    alpha = rng.uniform(0.5, 3.0, size=(2, 3))
    x = rng.dirichlet([1, 1, 1], size=(2, 4))
    out = mx.nd.random_pdf_dirichlet(mx.nd.array(x, dtype="float64"),
                                     mx.nd.array(alpha, dtype="float64"), is_log=True)
    from math import lgamma
    want = np.array([[((alpha[b] - 1) * np.log(x[b, n])).sum() + lgamma(alpha[b].sum())
                      - sum(lgamma(a) for a in alpha[b]) for n in range(4)]
                     for b in range(2)])
    assert out.shape == (2, 4)
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-10)
