"""Random sampling operators (``_ops/defs/random.py``): moments, shapes, dtypes, errors.

Moments are checked on 20,000 draws against the distribution's mean and variance with a
tolerance of about 6 standard errors, under a fixed seed (so the test is deterministic).
"""
import math

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

N = 20000
nd = mx.nd


@pytest.fixture(autouse=True)
def _seeded():
    mx.random.seed(1234)


def _check_moments(x, mean, var):
    x = np.asarray(x, dtype=np.float64)
    assert abs(x.mean() - mean) < 6 * math.sqrt(var / x.size) + 1e-6, (x.mean(), mean)
    # the variance's standard error needs the fourth moment; 10% is loose enough for these
    assert abs(x.var() - var) <= 0.1 * var + 1e-6, (x.var(), var)


# (distribution, kwargs of _random_<dist>, mean, variance, integer valued)
DISTS = [
    ("uniform", dict(low=-2.0, high=3.0), 0.5, 25 / 12, False),
    ("normal", dict(loc=1.5, scale=2.0), 1.5, 4.0, False),
    ("gamma", dict(alpha=3.0, beta=0.5), 1.5, 0.75, False),
    ("exponential", dict(lam=4.0), 0.25, 1 / 16, False),
    ("poisson", dict(lam=3.5), 3.5, 3.5, True),
    ("negative_binomial", dict(k=3, p=0.4), 4.5, 11.25, True),
    ("generalized_negative_binomial", dict(mu=2.0, alpha=0.5), 2.0, 4.0, True),
]


@pytest.mark.parametrize("dist,kwargs,mean,var,integral", DISTS, ids=[d[0] for d in DISTS])
def test_random_moments(dist, kwargs, mean, var, integral):
    out = getattr(nd._internal, f"_random_{dist}")(shape=(N // 100, 100), **kwargs)
    assert out.shape == (N // 100, 100) and out.dtype == np.float32
    x = out.asnumpy()
    if integral:
        assert np.all(x == np.round(x)) and x.min() >= 0
    _check_moments(x, mean, var)


@pytest.mark.parametrize("dist,kwargs,mean,var,integral", DISTS, ids=[d[0] for d in DISTS])
def test_sample_moments_per_distribution(dist, kwargs, mean, var, integral):
    # two distributions: the given parameters, and the defaults of MXNet's op
    names = list(kwargs)
    params = [nd.array([kwargs[n], kwargs[n]], dtype="float64") for n in names]
    out = getattr(nd._internal, f"_sample_{dist}")(*params, shape=(N,))
    assert out.shape == (2, N) and out.dtype == np.float32
    for row in out.asnumpy():
        _check_moments(row, mean, var)


def test_sample_rows_follow_their_parameters():
    out = nd.random.normal(nd.array([[0.0, 10.0]]), nd.array([[1.0, 0.1]]), shape=(N,))
    assert out.shape == (1, 2, N)
    x = out.asnumpy()
    _check_moments(x[0, 0], 0.0, 1.0)
    _check_moments(x[0, 1], 10.0, 0.01)


def test_sample_without_shape_draws_one_per_distribution():
    out = nd._internal._sample_uniform(nd.zeros((3, 2)), nd.ones((3, 2)))
    assert out.shape == (3, 2)
    x = out.asnumpy()
    assert np.all((x >= 0) & (x < 1))


def test_generalized_negative_binomial_alpha_zero_is_poisson():
    x = nd._internal._random_generalized_negative_binomial(mu=3.0, alpha=0.0, shape=(N,))
    _check_moments(x.asnumpy(), 3.0, 3.0)
    y = nd._internal._sample_generalized_negative_binomial(nd.array([3.0]), nd.array([0.0]),
                                                           shape=(N,))
    _check_moments(y.asnumpy()[0], 3.0, 3.0)


def test_uniform_range_and_degenerate_interval():
    x = nd._internal._random_uniform(low=2.0, high=2.5, shape=(1000,)).asnumpy()
    assert x.min() >= 2.0 and x.max() < 2.5
    same = nd._internal._random_uniform(low=1.0, high=1.0, shape=(4,)).asnumpy()
    np.testing.assert_array_equal(same, np.ones(4, np.float32))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_random_dtypes(dtype):
    for op in ("_random_uniform", "_random_normal", "_random_poisson"):
        out = getattr(nd._internal, op)(shape=(3, 4), dtype=dtype)
        assert out.dtype == np.dtype(dtype) and out.shape == (3, 4)
    out = nd._internal._sample_gamma(nd.ones((2,)), nd.ones((2,)), shape=(3,), dtype=dtype)
    assert out.dtype == np.dtype(dtype) and out.shape == (2, 3)


def test_sample_dtype_defaults_to_float32_not_the_input_dtype():
    # MXNet 1.9.1 compat: float64 parameters still give float32 samples
    out = nd._internal._sample_uniform(nd.zeros((2,), dtype="float64"),
                                       nd.ones((2,), dtype="float64"))
    assert out.dtype == np.float32


def test_randint():
    x = nd._internal._random_randint(low=-3, high=4, shape=(N,))
    assert x.dtype == np.int32
    values = x.asnumpy()
    assert set(np.unique(values)) == set(range(-3, 4))
    _check_moments(values, 0.0, (7 ** 2 - 1) / 12)
    assert nd._internal._random_randint(low=0, high=5, shape=(2,), dtype="int64").dtype \
        == np.int64


@pytest.mark.parametrize("call", [
    lambda: nd._internal._random_uniform(low=2.0, high=1.0, shape=(3,)),
    lambda: nd._internal._random_normal(scale=0.0, shape=(3,)),
    lambda: nd._internal._random_gamma(alpha=-1.0, shape=(3,)),
    lambda: nd._internal._random_gamma(beta=-1.0, shape=(3,)),
    lambda: nd._internal._random_exponential(lam=-1.0, shape=(3,)),
    lambda: nd._internal._random_poisson(lam=-1.0, shape=(3,)),
    lambda: nd._internal._random_negative_binomial(k=-1, p=0.5, shape=(3,)),
    lambda: nd._internal._random_negative_binomial(k=1, p=-0.5, shape=(3,)),
    lambda: nd._internal._random_generalized_negative_binomial(mu=-1.0, shape=(3,)),
    lambda: nd._internal._random_generalized_negative_binomial(alpha=-1.0, shape=(3,)),
    lambda: nd._internal._random_randint(low=5, high=2, shape=(3,)),
    lambda: nd._internal._random_randint(low=2, high=2, shape=(3,)),
    lambda: nd._internal._random_randint(low=0, high=2, shape=(3,), dtype="float32"),
    lambda: nd._internal._random_uniform(shape=(3,), dtype="int32"),
    lambda: nd._internal._random_uniform(),
    lambda: nd._internal._sample_uniform(nd.zeros((2,)), nd.ones((3,))),
    lambda: nd.random.normal_like(nd.ones((2,), dtype="int32")),
    lambda: nd._internal._sample_multinomial(nd.array([0.5, 0.5]), dtype="int64"),
], ids=lambda f: "")
def test_bad_parameters_raise(call):
    # parameter checks MXNet makes in the kernel raise when the result is waited for
    with pytest.raises(MXNetError):
        call()
        nd.waitall()


def test_error_names_the_operator_and_values():
    with pytest.raises(MXNetError, match=r"_random_uniform.*low must be less or equal"):
        nd._internal._random_uniform(low=2.0, high=1.0, shape=(3,)).wait_to_read()


@pytest.mark.parametrize("dist,kwargs", [
    ("uniform", dict(low=0.0, high=2.0)), ("normal", dict(loc=1.0, scale=0.5)),
    ("gamma", dict(alpha=2.0, beta=1.0)), ("exponential", dict(lam=2.0)),
    ("poisson", dict(lam=2.0)), ("negative_binomial", dict(k=2, p=0.5)),
    ("generalized_negative_binomial", dict(mu=2.0, alpha=0.5))])
def test_like_ops_take_shape_and_dtype_of_data(dist, kwargs):
    data = nd.zeros((3, 5), dtype="float64")
    out = getattr(nd.random, f"{dist}_like")(data, **kwargs)
    assert out.shape == (3, 5) and out.dtype == np.float64


def test_like_and_sample_ops_have_zero_gradients():
    x = nd.array([1.0, 2.0])
    high = nd.array([3.0, 4.0])
    x.attach_grad()
    high.attach_grad()
    with mx.autograd.record():
        y = nd.random.uniform_like(x) * 2 + nd._internal._sample_uniform(x, high) * 3
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [0, 0])
    np.testing.assert_array_equal(high.grad.asnumpy(), [0, 0])


def test_multinomial_counts_match_probabilities():
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.0, 0.5]], dtype=np.float32)
    out = nd._internal._sample_multinomial(nd.array(probs), shape=(N,))
    assert out.shape == (2, N) and out.dtype == np.int32
    for row, p in zip(out.asnumpy(), probs):
        freq = np.bincount(row, minlength=3) / N
        assert np.all(np.abs(freq - p) < 6 * np.sqrt(p * (1 - p) / N) + 1e-9), (freq, p)


def test_multinomial_shapes_and_dtype():
    assert nd._internal._sample_multinomial(nd.array([0.2, 0.8])).shape == (1,)
    assert nd._internal._sample_multinomial(nd.array([0.2, 0.8]), shape=3).shape == (3,)
    two = nd.array([[0.2, 0.8], [0.5, 0.5]])
    assert nd._internal._sample_multinomial(two).shape == (2,)
    out = nd._internal._sample_multinomial(two, shape=(2, 3), dtype="float32")
    assert out.shape == (2, 2, 3) and out.dtype == np.float32


def test_multinomial_get_prob_and_its_gradient():
    probs = nd.array([[0.2, 0.8], [0.5, 0.5]])
    probs.attach_grad()
    with mx.autograd.record():
        sample, logp = nd._internal._sample_multinomial(probs, shape=(4,), get_prob=True)
    s = sample.asnumpy()
    p = probs.asnumpy()
    expected_logp = np.log(np.take_along_axis(p, s.astype(np.int64), axis=1))
    np.testing.assert_allclose(logp.asnumpy(), expected_logp, rtol=1e-6)
    logp.backward()
    # d sum(log p[s]) / d p[j] = (number of draws of j) / p[j]
    counts = np.stack([np.bincount(r, minlength=2) for r in s])
    np.testing.assert_allclose(probs.grad.asnumpy(), counts / p, rtol=1e-6)


def test_shuffle_permutes_along_first_axis():
    data = np.arange(40, dtype=np.float32).reshape(10, 4)
    out = nd._internal._shuffle(nd.array(data)).asnumpy()
    assert out.shape == data.shape
    # rows stay whole, every row appears once
    assert sorted(out[:, 0].tolist()) == data[:, 0].tolist()
    np.testing.assert_array_equal(out - out[:, :1], data - data[:, :1])
    orders = {tuple(nd.shuffle(nd.array(data)).asnumpy()[:, 0]) for _ in range(5)}
    assert len(orders) > 1
    one = nd.array([3.0])
    np.testing.assert_array_equal(nd._internal._shuffle(one).asnumpy(), [3.0])


def test_aliases_match_mxnet():
    for alias in ("uniform", "normal", "random_uniform", "random_normal", "random_gamma",
                  "random_exponential", "random_poisson", "random_negative_binomial",
                  "random_generalized_negative_binomial", "random_randint", "sample_uniform",
                  "sample_normal", "sample_gamma", "sample_exponential", "sample_poisson",
                  "sample_negative_binomial", "sample_generalized_negative_binomial",
                  "sample_multinomial", "shuffle"):
        assert callable(getattr(nd, alias)), alias


def test_unique_zipfian():
    samples, tries = nd._internal._sample_unique_zipfian(range_max=50, shape=(3, 10))
    assert samples.shape == (3, 10) and samples.dtype == np.int64
    assert tries.shape == (3,) and np.all(tries.asnumpy() >= 10)
    for row in samples.asnumpy():
        assert len(set(row.tolist())) == 10 and row.min() >= 0 and row.max() < 50


def test_param_strings_parse_like_mxnet():
    out = nd._internal._random_uniform(low="0", high="2", shape="(2, 3)", dtype="float64")
    assert out.shape == (2, 3) and out.dtype == np.float64
    op = mx.nd._internal._random_uniform.opdef
    attrs = op.parse({"shape": (2, 3), "low": 0})
    assert op.attrs_to_strings(attrs)["shape"] == "(2, 3)"


def test_shape_and_dtype_rules_for_the_symbolic_api():
    ops = {name: getattr(nd._internal, name).opdef for name in
           ("_random_uniform", "_random_randint", "_sample_normal", "_random_normal_like",
            "_sample_multinomial", "_shuffle")}
    uni = ops["_random_uniform"]
    attrs = uni.parse({"shape": (2, 3), "dtype": "float64"})
    assert uni.shape_rule(attrs, []) == ([], [(2, 3)])
    assert uni.dtype_rule(attrs, []) == ([], ["float64"])
    assert ops["_random_randint"].dtype_rule(ops["_random_randint"].parse(
        {"low": 0, "high": 3}), [])[1] == ["int32"]
    samp = ops["_sample_normal"]
    attrs = samp.parse({"shape": (4,)})
    assert samp.shape_rule(attrs, [(2, 3), None]) == ([(2, 3), (2, 3)], [(2, 3, 4)])
    assert samp.dtype_rule(attrs, ["float64", "float64"])[1] == ["float32"]
    like = ops["_random_normal_like"]
    assert like.dtype_rule(like.parse({}), ["float16"])[1] == ["float16"]
    multi = ops["_sample_multinomial"]
    attrs = multi.parse({"shape": (5,), "get_prob": True})
    assert multi.shape_rule(attrs, [(2, 3)]) == ([(2, 3)], [(2, 5), (2, 5)])
    assert multi.dtype_rule(attrs, ["float32"])[1] == ["int32", "float32"]
    assert ops["_shuffle"].shape_rule({}, [(4, 2)]) == ([(4, 2)], [(4, 2)])


def test_sample_ops_reject_parameters_the_generator_cannot_use():
    with pytest.raises(MXNetError, match="_sample_poisson"):
        nd._internal._sample_poisson(nd.array([-1.0]))
    with pytest.raises(MXNetError, match="_sample_gamma"):
        nd._internal._sample_gamma(nd.array([-1.0]), nd.array([1.0]))
