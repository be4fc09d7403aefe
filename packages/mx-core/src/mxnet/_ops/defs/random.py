"""Random sampling operators (MXNet's ``src/operator/random/``).

``_random_*`` (``sample_op.cc``): scalar parameters, a ``shape`` and a ``ctx``.
``_random_*_like``: the shape and dtype of an input array.
``_sample_*`` (``multisample_op.cc``): one distribution per element of the parameter
arrays, ``shape`` samples from each. ``_sample_multinomial`` (``sample_multinomial_op.cc``)
and ``_shuffle`` (``shuffle_op.cc``).

Every forward takes ``rng``, the device's generator (NumPy's ``Generator`` API), so a
seed (``mx.random.seed``) reproduces the numbers on that device.
"""
import math

from ...base import KernelError, MXNetError
from ..infer import check_shape
from ..params import Any, Bool, DType, Float, Int, Shape
from ..registry import register

_CTX = Any("ctx", None, "Context of output, in format [cpu|gpu|cpu_pinned](n). "
           "Only used for imperative calls.")
_FLOATS = ("float16", "float32", "float64")


class _DTypeOf(DType):
    """A dtype restricted to MXNet's choices for the operator (``None`` allowed)."""

    def __init__(self, name, choices, default=None, doc=""):
        super().__init__(name, default, doc)
        self.choices = tuple(choices)
        self.kind = "one of " + ", ".join(repr(c) for c in ("None",) + self.choices)

    def _parse(self, value):
        value = super()._parse(value)
        if value is not None and value not in self.choices:
            raise ValueError(f"got {value!r}")
        return value


def _out_dtype(dtype):
    return "float32" if dtype is None else dtype


def _draw_dtype(dtype):
    # NumPy/CuPy generators draw float32 or float64; float16 is drawn as float32
    return "float64" if dtype == "float64" else "float32"


def _require(ok, op_name, text, error=MXNetError):
    if not ok:
        raise error(f"Operator {op_name}: {text}")


# -- samplers: rng, xp, parameters (scalars or arrays broadcastable to size), size -------
def _uniform(xp, rng, size, dd, low, high):
    return low + (high - low) * rng.random(size, dtype=dd)


def _normal(xp, rng, size, dd, loc, scale):
    return loc + scale * rng.standard_normal(size, dtype=dd)


def _gamma(xp, rng, size, dd, alpha, beta):
    return rng.standard_gamma(alpha, size, dtype=dd) * beta


def _exponential(xp, rng, size, dd, lam):
    return rng.standard_exponential(size, dtype=dd) / lam


def _poisson(xp, rng, size, dd, lam):
    return rng.poisson(lam, size)


def _negative_binomial(xp, rng, size, dd, k, p):
    # a Poisson whose rate is Gamma(k, (1 - p) / p): mean k (1 - p) / p
    p = xp.asarray(p, dtype="float64")
    scale = xp.clip((1.0 - p) / xp.maximum(p, 1e-300), 0.0, None)
    return rng.poisson(rng.standard_gamma(k, size) * scale, size)


def _generalized_negative_binomial(xp, rng, size, dd, mu, alpha):
    # a Poisson whose rate is Gamma(1 / alpha, alpha mu); plain Poisson(mu) where alpha == 0
    alpha = xp.asarray(alpha, dtype="float64")
    safe = xp.where(alpha > 0, alpha, 1.0)
    rate = rng.standard_gamma(1.0 / safe, size) * safe * mu
    return rng.poisson(xp.where(alpha > 0, rate, mu), size)


# name: (sampler, param names, defaults, MXNet's checks on scalar params, doc)
_DISTS = {
    "uniform": (_uniform, ("low", "high"), (0.0, 1.0),
                lambda a, b: (b >= a, "low must be less or equal to high in uniform "
                              "distribution"),
                "Draw samples from a uniform distribution over [low, high)."),
    "normal": (_normal, ("loc", "scale"), (0.0, 1.0),
               lambda a, b: (b > 0, "scale parameter in gaussian has to be positive"),
               "Draw samples from a normal (Gaussian) distribution (loc: mean, "
               "scale: standard deviation)."),
    "gamma": (_gamma, ("alpha", "beta"), (1.0, 1.0),
              lambda a, b: (a > 0 and b > 0, "alpha and beta parameters in gamma "
                            "distribution have to be positive"),
              "Draw samples from a gamma distribution (alpha: shape, beta: scale)."),
    "exponential": (_exponential, ("lam",), (1.0,),
                    lambda lam: (lam > 0, "lambda parameter in exponential distribution "
                                 "has to be positive"),
                    "Draw samples from an exponential distribution of rate lam."),
    "poisson": (_poisson, ("lam",), (1.0,),
                lambda lam: (lam >= 0, "lambda parameter in poisson distribution has to "
                             "be non-negative"),
                "Draw samples from a Poisson distribution of rate lam (as floats)."),
    "negative_binomial": (
        _negative_binomial, ("k", "p"), (1, 1.0),
        lambda k, p: (k >= 0 and p > 0, "k parameter in negative binomial distribution has "
                      "to be non-negative and p positive"),
        "Draw samples from a negative binomial distribution (k: limit of unsuccessful "
        "experiments, p: failure probability in each experiment)."),
    "generalized_negative_binomial": (
        _generalized_negative_binomial, ("mu", "alpha"), (1.0, 1.0),
        lambda mu, alpha: (mu >= 0 and alpha >= 0, "mu and alpha parameters in generalized "
                           "negative binomial distribution have to be non-negative"),
        "Draw samples from a generalized negative binomial distribution (mu: mean, "
        "alpha: dispersion)."),
}


def _attr_dtype(default):
    def rule(attrs, in_dtypes):
        return in_dtypes, [attrs.get("dtype") or default]
    return rule


def _like_dtype(attrs, in_dtypes):
    return in_dtypes, [in_dtypes[0]]


def _fixed_shape(attrs, in_shapes):
    shape = attrs.get("shape")
    return in_shapes, [None if not shape else tuple(shape)]


def _like_shape(attrs, in_shapes):
    return in_shapes, [in_shapes[0]]


def _multi_shape(attrs, in_shapes):
    known = next((s for s in in_shapes if s is not None), None)
    if known is None:
        return in_shapes, [None]
    for s in in_shapes:
        check_shape("_sample", "distribution parameters", known, s)
    return [known] * len(in_shapes), [tuple(known) + tuple(attrs["shape"] or ())]


def _declare_random(dist):
    sampler, names, defaults, check, doc = _DISTS[dist]
    specs = tuple(Int(n, d) if n == "k" else Float(n, d) for n, d in zip(names, defaults))
    op_name = f"_random_{dist}"

    def forward(xp, *, shape, ctx, dtype, rng, **values):
        args = [values[n] for n in names]
        ok, text = check(*args)
        _require(ok, op_name, text, KernelError)     # MXNet checks in the kernel
        _require(shape, op_name, "the output shape is not given (pass shape=...)")
        return sampler(xp, rng, tuple(shape), _draw_dtype(dtype), *args).astype(
            _out_dtype(dtype))
    forward.__doc__ = doc
    register(op_name, inputs=(), differentiable=False, shape=_fixed_shape,
             dtype=_attr_dtype("float32"),
             aliases=(f"random_{dist}",) + ((dist,) if dist in ("uniform", "normal") else ()),
             params=specs + (Shape("shape", None, "Shape of the output."), _CTX,
                             _DTypeOf("dtype", _FLOATS)))(forward)

    def forward_like(xp, data, *, rng, **values):
        args = [values[n] for n in names]
        ok, text = check(*args)
        _require(ok, op_name + "_like", text, KernelError)
        _require(data.dtype.kind == "f", op_name + "_like",
                 f"this operation only supports floating point types, not {data.dtype}",
                 KernelError)
        return sampler(xp, rng, data.shape, _draw_dtype(data.dtype.name),
                       *args).astype(data.dtype)
    forward_like.__doc__ = doc[:-1] + ", with the shape and dtype of ``data``."
    like = register(op_name + "_like", inputs=("data",), shape=_like_shape, dtype=_like_dtype,
                    params=specs)(forward_like)

    @like.gradient
    def _(F, inputs, outputs, ograds, **params):   # samples do not depend on data: 0
        return (F.zeros_like(inputs[0]),)

    def forward_multi(xp, *arrays, shape, dtype, rng):
        first = arrays[0].shape
        for a in arrays[1:]:
            _require(a.shape == first, f"_sample_{dist}", "all distribution parameters "
                     f"must have one shape, got {first} and {a.shape}")
        shape = tuple(shape or ())
        dd = _draw_dtype(dtype)
        params = [a.astype(dd).reshape(first + (1,) * len(shape)) for a in arrays]
        try:
            out = sampler(xp, rng, first + shape, dd, *params)
        except ValueError as err:      # the generator rejects a parameter (negative rate)
            raise MXNetError(f"Operator _sample_{dist}: invalid distribution parameters "
                             f"({err})") from None
        return out.astype(_out_dtype(dtype))
    forward_multi.__doc__ = ("Concurrent sampling from several distributions, one per "
                             "element of the parameter arrays: " + doc[0].lower() + doc[1:])
    # MXNet 1.9.1 compat: sample_normal's inputs are mu and sigma (random_normal: loc, scale)
    multi_names = ("mu", "sigma") if dist == "normal" else names
    multi = register(f"_sample_{dist}", inputs=multi_names, shape=_multi_shape,
                     dtype=_attr_dtype("float32"),
                     aliases=(f"sample_{dist}",),
                     params=(Shape("shape", (), "Shape to be sampled from each random "
                                   "distribution."), _DTypeOf("dtype", _FLOATS)))(
        forward_multi)

    @multi.gradient
    def _(F, inputs, outputs, ograds, **params):   # MXNet 1.9.1 compat: zero gradients
        return tuple(F.zeros_like(x) for x in inputs)


for _dist in _DISTS:
    _declare_random(_dist)


@register("_random_randint", inputs=(), differentiable=False, shape=_fixed_shape,
          dtype=_attr_dtype("int32"),
          aliases=("random_randint",),
          params=(Int("low"), Int("high"), Shape("shape", None, "Shape of the output."),
                  _CTX, _DTypeOf("dtype", ("int32", "int64"))))
def random_randint(xp, *, low, high, shape, ctx, dtype, rng):
    """Draw random integers uniformly from [low, high)."""
    _require(high >= low, "_random_randint", f"low must be less or equal to high "
             f"(low={low}, high={high})", KernelError)
    _require(high > low, "_random_randint", f"the interval [{low}, {high}) is empty")
    _require(shape, "_random_randint", "the output shape is not given (pass shape=...)")
    dtype = dtype or "int32"
    return rng.integers(low, high, tuple(shape), dtype="int64").astype(dtype)


def _multinomial_outputs(attrs):
    return 2 if attrs["get_prob"] else 1


def _multinomial_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * _multinomial_outputs(attrs)
    out = tuple(data[:-1]) + tuple(attrs["shape"] or ()) or (1,)
    return in_shapes, [out] * _multinomial_outputs(attrs)


@register("_sample_multinomial", inputs=("data",), aliases=("sample_multinomial",),
          num_outputs=_multinomial_outputs, shape=_multinomial_shape,
          dtype=lambda attrs, d: (d, [attrs["dtype"], d[0]][:_multinomial_outputs(attrs)]),
          params=(Shape("shape", (), "Shape to be sampled from each random distribution."),
                  Bool("get_prob", False, "Whether to also return the log probability of "
                       "sampled result."),
                  DType("dtype", "int32", "DType of the output.")))
def sample_multinomial(xp, data, *, shape, get_prob, dtype, rng):
    """Draw samples from multiple multinomial distributions (probabilities on the last axis).

    ``data`` of shape ``(n..., k)`` gives ``k`` probabilities per distribution; the
    output has shape ``(n...) + shape`` and holds category indices in ``[0, k)``.
    """
    _require(dtype in ("float16", "float32", "float64", "int32", "uint8"),
             "_sample_multinomial", f"dtype must be one of float16, float32, float64, "
             f"int32, uint8, got {dtype}")
    _require(data.ndim >= 1 and data.shape[-1] > 0, "_sample_multinomial",
             f"data must have a non-empty last axis, got shape {data.shape}")
    k = data.shape[-1]
    shape = tuple(shape or ())
    probs = data.reshape(-1, k).astype("float64")
    rows, per_row = probs.shape[0], math.prod(shape)
    cdf = xp.cumsum(probs, axis=1)
    u = rng.random((rows, per_row))
    # one sorted search for all rows: shift row r's values by r * offset (offset > cdf max)
    offset = float(cdf.max()) + 1.0 if cdf.size else 1.0
    shift = xp.arange(rows, dtype="float64")[:, None] * offset
    flat = (cdf + shift).ravel()
    idx = xp.searchsorted(flat, (u + shift).ravel(), side="right").reshape(rows, per_row)
    # MXNet 1.9.1 compat: a draw past the last cumulative probability yields k
    idx = idx - xp.arange(rows)[:, None] * k
    out_shape = tuple(data.shape[:-1]) + shape or (1,)
    sample = idx.reshape(out_shape).astype(dtype)
    if not get_prob:
        return sample
    picked = xp.take_along_axis(probs, xp.clip(idx, 0, k - 1), axis=1)
    return sample, xp.log(picked).reshape(out_shape).astype(data.dtype)


@sample_multinomial.gradient
def _(F, inputs, outputs, ograds, shape, get_prob, dtype):
    # d log p[s] / d p[s] = 1 / p[s], summed over the draws of each category
    if not get_prob:
        return (F.zeros_like(inputs[0]),)
    return (F._internal._backward_sample_multinomial(ograds[1], inputs[0], outputs[0]),)


@register("_backward_sample_multinomial", inputs=("ograd", "data", "sample"),
          differentiable=False, shape=lambda attrs, s: (s, [s[1]]))
def backward_sample_multinomial(xp, ograd, data, sample):
    """Gradient of ``_sample_multinomial``'s log probabilities w.r.t. ``data``."""
    k = data.shape[-1]
    probs = data.reshape(-1, k)
    rows = probs.shape[0]
    idx = xp.clip(sample.reshape(rows, -1).astype("int64"), 0, k - 1)
    g = ograd.reshape(rows, -1) / xp.take_along_axis(probs, idx, axis=1)
    flat = (idx + xp.arange(rows)[:, None] * k).ravel()
    # a weighted bincount sums repeated draws of one category (NumPy and CuPy alike)
    grad = xp.bincount(flat, weights=g.ravel().astype("float64"), minlength=rows * k)
    return grad.astype(data.dtype).reshape(data.shape)


@register("_shuffle", inputs=("data",), aliases=("shuffle",), differentiable=False,
          dtype=_like_dtype,
          shape=lambda attrs, s: (s, [s[0]]))
def shuffle(xp, data, *, rng):
    """Randomly shuffle the elements along the first axis (a copy)."""
    if data.ndim == 0 or data.shape[0] < 2:
        return data.copy()
    order = xp.argsort(rng.random(data.shape[0]))
    return data[order]


@register("_sample_unique_zipfian", inputs=(), differentiable=False, num_outputs=2,
          dtype=lambda attrs, d: (d, ["int64", "int64"]),
          shape=lambda attrs, s: (s, [tuple(attrs["shape"]), (attrs["shape"][0],)]),
          params=(Int("range_max", doc="The number of possible classes."),
                  Shape("shape", None, "2-D shape of the output: (batch size, number of "
                        "candidates per batch).")))
def sample_unique_zipfian(xp, *, range_max, shape, rng):
    """Draw unique classes per row from an approximately log-uniform (Zipfian) law.

    ``P(class) = (log(class + 2) - log(class + 1)) / log(range_max + 1)``. Also returns
    the number of draws each row needed to find its unique classes.
    """
    _require(shape is not None and len(shape) == 2, "_sample_unique_zipfian",
             f"shape must have 2 dimensions, got {shape}")
    batch, num = shape
    _require(num <= range_max, "_sample_unique_zipfian", f"cannot draw {num} unique "
             f"classes out of range_max={range_max}")
    log_range = math.log(range_max + 1)
    out = xp.empty((batch, num), dtype="int64")
    tries = xp.empty((batch,), dtype="int64")
    for b in range(batch):
        seen, order, count = set(), [], 0
        while len(order) < num:
            draws = rng.random(max(2 * (num - len(order)), 16))
            values = (xp.exp(draws * log_range).astype("int64") - 1) % range_max
            for v in values.tolist():
                count += 1
                if v not in seen:
                    seen.add(v)
                    order.append(v)
                    if len(order) == num:
                        break
        out[b] = xp.asarray(order, dtype="int64")
        tries[b] = count
    return out, tries
