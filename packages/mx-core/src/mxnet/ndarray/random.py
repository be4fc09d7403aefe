"""``mx.nd.random``: sampling front-ends (operators ``_random_*`` / ``_sample_*``).

The functions here are MXNet's hand-written front-ends: numbers as parameters call a
``_random_*`` operator (a ``shape`` of new samples on ``ctx``), NDArrays call the
matching ``_sample_*`` operator (``shape`` samples per distribution). The generated
operators (``uniform_like``, ``normal_like``...) are added next to them by
:mod:`mxnet.ndarray._gen`, which leaves these hand-written names alone.
"""
from ..base import _Null, numeric_types
from ..context import current_context

__all__ = ["uniform", "normal", "randn", "poisson", "exponential", "gamma",
           "multinomial", "negative_binomial", "generalized_negative_binomial",
           "shuffle", "randint"]


def _internal():
    from . import _internal as module
    return module


def _random_helper(random, sampler, params, shape, dtype, ctx, out, kwargs):
    """Dispatch to ``_random_<dist>`` (number parameters) or ``_sample_<dist>`` (NDArrays)."""
    from .ndarray import NDArray
    ops = _internal()
    if isinstance(params[0], NDArray):
        if sampler is None:
            raise ValueError(f"{random[len('_random_'):]} takes numbers as parameters, "
                             "not NDArrays")
        for p in params[1:]:
            if not isinstance(p, NDArray):
                raise ValueError("Distribution parameters must all have the same type, "
                                 f"but got both {type(params[0])} and {type(p)}.")
        if dtype is _Null and out is not None:
            dtype = out.dtype
        return getattr(ops, sampler)(*params, shape=() if shape is _Null else shape,
                                     dtype=dtype, out=out, **kwargs)
    if isinstance(params[0], numeric_types):
        for p in params[1:]:
            if not isinstance(p, numeric_types):
                raise ValueError("Distribution parameters must all have the same type, "
                                 f"but got both {type(params[0])} and {type(p)}.")
        if ctx is None:
            ctx = out.context if out is not None else current_context()
        if shape is _Null:
            shape = 1 if out is None else out.shape
        if dtype is _Null and out is not None:
            dtype = out.dtype
        return getattr(ops, random)(*params, shape=shape, dtype=dtype, ctx=ctx, out=out,
                                    **kwargs)
    raise ValueError("Distribution parameters must be either NDArray or numbers, "
                     f"but got {type(params[0])}.")


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from a uniform distribution over ``[low, high)``.

    ``low``/``high`` numbers: ``shape`` samples (default ``(1,)``) on ``ctx``.
    ``low``/``high`` NDArrays of one shape ``s``: ``shape`` samples from each
    distribution, output shape ``s + shape``. ``dtype`` is float16/32/64 (default float32).
    """
    return _random_helper("_random_uniform", "_sample_uniform", [low, high], shape, dtype,
                          ctx, out, kwargs)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from a normal distribution of mean ``loc``, standard deviation ``scale``.

    Numbers or NDArrays as parameters, as in :func:`uniform`.
    """
    return _random_helper("_random_normal", "_sample_normal", [loc, scale], shape, dtype,
                          ctx, out, kwargs)


def randn(*shape, **kwargs):
    """Draw standard normal samples of shape ``shape`` (``loc``/``scale`` keywords allowed).

    ``mx.nd.random.randn(2, 3)`` has shape ``(2, 3)``.
    """
    loc = kwargs.pop("loc", 0)
    scale = kwargs.pop("scale", 1)
    dtype = kwargs.pop("dtype", _Null)
    ctx = kwargs.pop("ctx", None)
    out = kwargs.pop("out", None)
    from .ndarray import NDArray
    if not isinstance(loc, numeric_types + (NDArray,)) or \
            not isinstance(scale, numeric_types + (NDArray,)):
        raise ValueError("loc and scale must be numbers or NDArrays")
    if not shape and out is None and isinstance(loc, numeric_types):
        from ..base import MXNetError
        raise MXNetError("randn needs a shape, e.g. randn(2, 3)")
    return _random_helper("_random_normal", "_sample_normal", [loc, scale],
                          shape if shape else _Null, dtype, ctx, out, kwargs)


def poisson(lam=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from a Poisson distribution of rate ``lam`` (returned as floats)."""
    return _random_helper("_random_poisson", "_sample_poisson", [lam], shape, dtype, ctx,
                          out, kwargs)


def exponential(scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from an exponential distribution of scale ``scale`` (rate 1/scale)."""
    return _random_helper("_random_exponential", "_sample_exponential", [1.0 / scale],
                          shape, dtype, ctx, out, kwargs)


def gamma(alpha=1, beta=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from a gamma distribution of shape ``alpha`` and scale ``beta``."""
    return _random_helper("_random_gamma", "_sample_gamma", [alpha, beta], shape, dtype,
                          ctx, out, kwargs)


def negative_binomial(k=1, p=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw samples from a negative binomial distribution.

    ``k``: limit of unsuccessful experiments, ``p``: failure probability in each
    experiment; the mean is ``k (1 - p) / p``.
    """
    return _random_helper("_random_negative_binomial", "_sample_negative_binomial",
                          [k, p], shape, dtype, ctx, out, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=_Null, dtype=_Null, ctx=None,
                                  out=None, **kwargs):
    """Draw samples from a generalized negative binomial distribution.

    ``mu``: mean, ``alpha``: dispersion (variance ``mu + alpha mu^2``); ``alpha=0``
    gives a Poisson distribution.
    """
    return _random_helper("_random_generalized_negative_binomial",
                          "_sample_generalized_negative_binomial", [mu, alpha], shape,
                          dtype, ctx, out, kwargs)


def multinomial(data, shape=_Null, get_prob=False, out=None, dtype="int32", **kwargs):
    """Draw category indices from the multinomial distributions on ``data``'s last axis.

    With ``get_prob=True`` also returns the log probability of each draw, whose gradient
    reaches ``data`` (as in REINFORCE).
    """
    return _internal()._sample_multinomial(data, shape=() if shape is _Null else shape,
                                           get_prob=get_prob, out=out, dtype=dtype,
                                           **kwargs)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its elements shuffled along the first axis."""
    return _internal()._shuffle(data, **kwargs)


def randint(low, high, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Draw random integers uniformly from ``[low, high)`` (int32 unless ``dtype='int64'``)."""
    return _random_helper("_random_randint", None, [low, high], shape, dtype, ctx, out,
                          kwargs)
