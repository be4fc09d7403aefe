"""``mx.random`` and ``mx.nd.random``: seeding and MXNet's hand-written front-ends."""
import inspect

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

nd = mx.nd


def _draw():
    return mx.random.normal(shape=(3, 4)).asnumpy()


def test_same_seed_same_numbers_different_seed_different_numbers():
    mx.random.seed(42)
    a = _draw()
    mx.random.seed(42)
    b = _draw()
    mx.random.seed(43)
    c = _draw()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_seed_one_context():
    mx.random.seed(7, ctx=mx.cpu())
    a = nd.random.uniform(shape=(5,)).asnumpy()
    mx.random.seed(7, ctx=mx.cpu(0))
    b = nd.random.uniform(shape=(5,)).asnumpy()
    np.testing.assert_array_equal(a, b)


def test_seed_reproduces_every_sampler():
    def draws():
        return [mx.random.uniform(shape=4), mx.random.randint(0, 9, shape=4),
                mx.random.gamma(2, 1, shape=4), mx.random.poisson(2, shape=4),
                mx.random.multinomial(nd.array([0.3, 0.7]), shape=4),
                mx.random.shuffle(nd.arange(8)),
                mx.random.normal(nd.zeros((2,)), nd.ones((2,)), shape=3)]
    mx.random.seed(3)
    first = [x.asnumpy() for x in draws()]
    mx.random.seed(3)
    second = [x.asnumpy() for x in draws()]
    for x, y in zip(first, second):
        np.testing.assert_array_equal(x, y)


def test_seed_rejects_non_integers():
    with pytest.raises(ValueError):
        mx.random.seed(1.5)


def test_mx_random_is_nd_random():
    for name in ("uniform", "normal", "randn", "randint", "exponential", "gamma", "poisson",
                 "negative_binomial", "generalized_negative_binomial", "multinomial",
                 "shuffle"):
        assert getattr(mx.random, name) is getattr(nd.random, name)
        assert getattr(nd.random, name).__module__ == "mxnet.ndarray.random"


def test_signatures_are_mxnets():
    sig = inspect.signature(nd.random.uniform)
    assert list(sig.parameters) == ["low", "high", "shape", "dtype", "ctx", "out", "kwargs"]
    assert sig.parameters["low"].default == 0 and sig.parameters["high"].default == 1
    assert list(inspect.signature(nd.random.multinomial).parameters) == \
        ["data", "shape", "get_prob", "out", "dtype", "kwargs"]
    assert list(inspect.signature(nd.random.exponential).parameters)[0] == "scale"


def test_generated_like_ops_live_in_nd_random():
    for name in ("uniform_like", "normal_like", "gamma_like", "exponential_like",
                 "poisson_like", "negative_binomial_like",
                 "generalized_negative_binomial_like"):
        assert getattr(nd.random, name).opdef.name == "_random_" + name


def test_default_shape_and_dtype():
    x = nd.random.uniform()
    assert x.shape == (1,) and x.dtype == np.float32
    assert nd.random.randint(0, 5).dtype == np.int32
    assert nd.random.randn(2, 3).shape == (2, 3)
    assert nd.random.normal(0, 1, shape=(2, 2), dtype="float16").dtype == np.float16


def test_numbers_go_to_random_ops_ndarrays_to_sample_ops():
    out = nd.random.uniform(nd.array([0.0, 10.0]), nd.array([1.0, 11.0]), shape=(50,))
    assert out.shape == (2, 50)
    x = out.asnumpy()
    assert np.all((x[0] >= 0) & (x[0] < 1)) and np.all((x[1] >= 10) & (x[1] < 11))
    with pytest.raises(ValueError):
        nd.random.uniform(0, nd.array([1.0]))
    with pytest.raises(ValueError):
        nd.random.uniform("a", "b")
    with pytest.raises(ValueError):
        nd.random.randint(nd.array([0]), nd.array([3]))


def test_exponential_takes_the_scale():
    mx.random.seed(0)
    x = nd.random.exponential(scale=4.0, shape=(20000,)).asnumpy()
    assert abs(x.mean() - 4.0) < 0.2
    y = nd.random.exponential(nd.array([4.0]), shape=(20000,)).asnumpy()
    assert abs(y.mean() - 4.0) < 0.2


def test_ctx_and_out():
    x = nd.random.normal(shape=(2, 2), ctx=mx.cpu(0))
    assert x.context == mx.cpu(0)
    out = nd.zeros((3, 2), dtype="float64")
    res = nd.random.uniform(-1, 0, out=out)
    assert res is out and out.dtype == np.float64
    values = out.asnumpy()
    assert np.all((values >= -1) & (values < 0))
    dst = nd.zeros((2, 4))
    nd.random.normal(nd.zeros((2,)), nd.ones((2,)), shape=(4,), out=dst)
    assert np.all(dst.asnumpy() != 0)


def test_randn_with_keywords():
    x = nd.random.randn(4000, loc=5.0, scale=0.1)
    assert x.shape == (4000,) and abs(float(x.asnumpy().mean()) - 5.0) < 0.02
    with pytest.raises(MXNetError):
        nd.random.randn()


def test_multinomial_and_shuffle_front_ends():
    s, p = nd.random.multinomial(nd.array([[0.0, 1.0]]), shape=3, get_prob=True)
    np.testing.assert_array_equal(s.asnumpy(), [[1, 1, 1]])
    np.testing.assert_allclose(p.asnumpy(), np.zeros((1, 3)))
    data = nd.arange(12).reshape((6, 2))
    out = nd.random.shuffle(data)
    assert sorted(out.asnumpy()[:, 0].tolist()) == list(range(0, 12, 2))


def test_negative_binomial_front_ends():
    mx.random.seed(5)
    x = nd.random.negative_binomial(k=2, p=0.5, shape=(20000,)).asnumpy()
    assert abs(x.mean() - 2.0) < 0.1
    y = nd.random.generalized_negative_binomial(mu=3, alpha=0.2, shape=(20000,)).asnumpy()
    assert abs(y.mean() - 3.0) < 0.1 and abs(y.var() - (3 + 0.2 * 9)) < 0.5
