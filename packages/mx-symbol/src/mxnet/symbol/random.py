"""``mx.sym.random``: MXNet's sampling front-ends over symbols.

Numbers as distribution parameters build a ``_random_<dist>`` node (``shape`` new
samples); Symbols build the matching ``_sample_<dist>`` node (``shape`` samples per
distribution). The generated ``*_like`` operators are added beside these functions.
"""
from mxnet.base import numeric_types

__all__ = ["uniform", "normal", "randn", "poisson", "exponential", "gamma", "multinomial",
           "negative_binomial", "generalized_negative_binomial", "shuffle", "randint"]


def _helper(dist, params, shape, dtype, kwargs, sample=True):
    from . import _internal
    from .symbol import Symbol
    if isinstance(params[0], Symbol):
        if not sample:
            raise ValueError(f"{dist} takes numbers as parameters, not Symbols")
        if any(not isinstance(p, Symbol) for p in params):
            raise ValueError("Distribution parameters must all be Symbols or all numbers")
        return getattr(_internal, f"_sample_{dist}")(
            *params, shape=() if shape is None else shape, dtype=dtype, **kwargs)
    if any(not isinstance(p, numeric_types) for p in params):
        raise ValueError("Distribution parameters must be either Symbols or numbers, got "
                         f"{[type(p).__name__ for p in params]}")
    names = _NAMES[dist]
    values = dict(zip(names, params))
    return getattr(_internal, f"_random_{dist}")(shape=1 if shape is None else shape,
                                                 dtype=dtype, **values, **kwargs)


_NAMES = {"uniform": ("low", "high"), "normal": ("loc", "scale"), "poisson": ("lam",),
          "exponential": ("lam",), "gamma": ("alpha", "beta"),
          "negative_binomial": ("k", "p"),
          "generalized_negative_binomial": ("mu", "alpha"), "randint": ("low", "high")}


def uniform(low=0, high=1, shape=None, dtype=None, **kwargs):
    """Samples from a uniform distribution over ``[low, high)``."""
    return _helper("uniform", [low, high], shape, dtype, kwargs)


def normal(loc=0, scale=1, shape=None, dtype=None, **kwargs):
    """Samples from a normal distribution."""
    return _helper("normal", [loc, scale], shape, dtype, kwargs)


def randn(*shape, **kwargs):
    """Standard normal samples of shape ``shape``."""
    loc, scale = kwargs.pop("loc", 0), kwargs.pop("scale", 1)
    return _helper("normal", [loc, scale], shape or None, kwargs.pop("dtype", None), kwargs)


def poisson(lam=1, shape=None, dtype=None, **kwargs):
    """Samples from a Poisson distribution."""
    return _helper("poisson", [lam], shape, dtype, kwargs)


def exponential(scale=1, shape=None, dtype=None, **kwargs):
    """Samples from an exponential distribution of scale ``scale``."""
    return _helper("exponential", [1.0 / scale], shape, dtype, kwargs)


def gamma(alpha=1, beta=1, shape=None, dtype=None, **kwargs):
    """Samples from a gamma distribution."""
    return _helper("gamma", [alpha, beta], shape, dtype, kwargs)


def negative_binomial(k=1, p=1, shape=None, dtype=None, **kwargs):
    """Samples from a negative binomial distribution."""
    return _helper("negative_binomial", [k, p], shape, dtype, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, **kwargs):
    """Samples from a generalized negative binomial distribution."""
    return _helper("generalized_negative_binomial", [mu, alpha], shape, dtype, kwargs)


def randint(low, high, shape=None, dtype=None, **kwargs):
    """Random integers in ``[low, high)``."""
    return _helper("randint", [low, high], shape, dtype, kwargs, sample=False)


def multinomial(data, shape=None, get_prob=False, dtype="int32", **kwargs):
    """Category indices drawn from the distributions on ``data``'s last axis."""
    from . import _internal
    return _internal._sample_multinomial(data, shape=() if shape is None else shape,
                                         get_prob=get_prob, dtype=dtype, **kwargs)


def shuffle(data, **kwargs):
    """``data`` shuffled along the first axis."""
    from . import _internal
    return _internal._shuffle(data, **kwargs)
