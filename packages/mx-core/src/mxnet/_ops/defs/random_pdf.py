"""Densities of the sampling distributions (MXNet's ``src/operator/random/pdf_op.cc``).

``_random_pdf_<dist>(sample, *params, is_log)``: the parameters have the leading
shape of ``sample`` (one distribution per parameter element, any number of samples
each). Gradients flow to ``sample`` (continuous distributions) and to the parameters
through ``_backward_pdf_<dist>``, as in MXNet.
"""
from ..params import Bool
from ..registry import register
from . import _special

_LOG_2PI = 1.8378770664093453


# Each entry: (parameter names, log density, gradients of the log density w.r.t. the
# sample and each parameter, continuous?), written for broadcast float64 arrays.
def _uniform_log(xp, x, low, high):
    inside = (x >= low) & (x <= high)
    return xp.where(inside, -xp.log(high - low), -xp.inf)


def _uniform_grads(xp, x, low, high):
    width = high - low
    return xp.zeros_like(x), 1.0 / width + 0 * x, -1.0 / width + 0 * x


def _normal_log(xp, x, mu, sigma):
    return -0.5 * ((x - mu) / sigma) ** 2 - xp.log(sigma) - 0.5 * _LOG_2PI


def _normal_grads(xp, x, mu, sigma):
    z = (x - mu) / sigma
    return -z / sigma, z / sigma, (z * z - 1.0) / sigma


def _gamma_log(xp, x, alpha, beta):      # beta is the rate here (MXNet's pdf_gamma)
    return (alpha * xp.log(beta) + (alpha - 1) * xp.log(x) - beta * x
            - _special.gammaln(xp, alpha))


def _gamma_grads(xp, x, alpha, beta):
    return ((alpha - 1) / x - beta, xp.log(beta) + xp.log(x) - _special.digamma(xp, alpha),
            alpha / beta - x)


def _exponential_log(xp, x, lam):
    return xp.log(lam) - lam * x


def _exponential_grads(xp, x, lam):
    return -lam + 0 * x, 1.0 / lam - x


def _poisson_log(xp, x, lam):
    return x * xp.log(lam) - lam - _special.gammaln(xp, x + 1)


def _poisson_grads(xp, x, lam):
    return xp.zeros_like(x), x / lam - 1.0


def _nb_log(xp, x, k, p):                 # p^k (1 - p)^x C(x + k - 1, x)
    return (_special.gammaln(xp, x + k) - _special.gammaln(xp, x + 1)
            - _special.gammaln(xp, k) + k * xp.log(p) + x * xp.log(1 - p))


def _nb_grads(xp, x, k, p):
    dk = _special.digamma(xp, x + k) - _special.digamma(xp, k) + xp.log(p)
    return xp.zeros_like(x), dk, k / p - x / (1 - p)


def _gnb_log(xp, x, mu, alpha):           # negative binomial, k = 1/alpha, p = 1/(1 + alpha mu)
    k = 1.0 / alpha
    return _nb_log(xp, x, k, 1.0 / (1.0 + alpha * mu))


def _gnb_grads(xp, x, mu, alpha):
    k = 1.0 / alpha
    am = 1.0 + alpha * mu
    dmu = (x - mu) / (mu * am)
    dalpha = ((_special.digamma(xp, k) - _special.digamma(xp, x + k) + xp.log(am)) * k * k
              + x / alpha - mu * (x + k) / am)
    return xp.zeros_like(x), dmu, dalpha


_DISTS = {
    "uniform": (("low", "high"), _uniform_log, _uniform_grads),
    "normal": (("mu", "sigma"), _normal_log, _normal_grads),
    "gamma": (("alpha", "beta"), _gamma_log, _gamma_grads),
    "exponential": (("lam",), _exponential_log, _exponential_grads),
    "poisson": (("lam",), _poisson_log, _poisson_grads),
    "negative_binomial": (("k", "p"), _nb_log, _nb_grads),
    "generalized_negative_binomial": (("mu", "alpha"), _gnb_log, _gnb_grads),
}
_IS_LOG = Bool("is_log", False, "If set, compute the density of the log-probability "
               "instead of the probability.")


def _spread(xp, sample, params):
    """float64 sample and parameters reshaped to broadcast against it."""
    x = sample.astype("float64")
    extra = (1,) * (sample.ndim - params[0].ndim)
    return x, [p.astype("float64").reshape(p.shape + extra) for p in params]


def _sum_to(xp, grad, shape):
    axes = tuple(range(len(shape), grad.ndim))
    return grad.sum(axis=axes) if axes else grad


def _declare(dist):
    names, log_fn, grad_fn = _DISTS[dist]

    def forward(xp, sample, *params, is_log):
        x, ps = _spread(xp, sample, params)
        log_p = log_fn(xp, x, *ps)
        return (log_p if is_log else xp.exp(log_p)).astype(sample.dtype)
    forward.__doc__ = (f"The density (log-density with ``is_log``) of ``sample`` under "
                       f"{dist} distributions with parameters {', '.join(names)}.")
    op = register(f"_random_pdf_{dist}", inputs=("sample",) + names,
                  aliases=(f"random_pdf_{dist}",), params=(_IS_LOG,),
                  shape=lambda attrs, s: (s, [s[0]]),
                  dtype=lambda attrs, d: (d, [d[0]]))(forward)

    def backward(xp, ograd, sample, *params, is_log):
        x, ps = _spread(xp, sample, params)
        log_p = log_fn(xp, x, *ps)
        # d pdf = pdf * d log pdf; d log pdf as is
        scale = ograd.astype("float64") * (1.0 if is_log else xp.exp(log_p))
        grads = grad_fn(xp, x, *ps)
        out = [(scale * grads[0]).astype(sample.dtype)]
        out += [_sum_to(xp, scale * g, p.shape).astype(p.dtype)
                for g, p in zip(grads[1:], params)]
        return tuple(out)
    backward.__doc__ = f"Gradients of ``_random_pdf_{dist}``."
    register(f"_backward_pdf_{dist}", inputs=("ograd", "sample") + names, params=(_IS_LOG,),
             num_outputs=1 + len(names), differentiable=False)(backward)

    @op.gradient
    def _(F, inputs, outputs, ograds, is_log):   # closed-form, see the *_grads functions
        res = getattr(F._internal, f"_backward_pdf_{dist}")(ograds[0], *inputs,
                                                           is_log=is_log)
        return tuple(res) if isinstance(res, (list, tuple)) else (res,)


for _dist in _DISTS:
    _declare(_dist)


def _dirichlet_spread(xp, sample, alpha):
    x = sample.astype("float64")
    extra = (1,) * (sample.ndim - alpha.ndim)
    a = alpha.astype("float64")
    return x, a.reshape(a.shape[:-1] + extra + a.shape[-1:])


@register("_random_pdf_dirichlet", inputs=("sample", "alpha"), params=(_IS_LOG,),
          aliases=("random_pdf_dirichlet",), dtype=lambda attrs, d: (d, [d[0]]),
          shape=lambda attrs, s: (
              s, [None if s[0] is None else tuple(s[0][:-1])]))
def pdf_dirichlet(xp, sample, alpha, *, is_log):
    """The density of ``sample`` (last axis: the K components) under Dirichlet
    distributions with concentrations ``alpha`` (last axis K)."""
    x, a = _dirichlet_spread(xp, sample, alpha)
    log_p = (((a - 1) * xp.log(x)).sum(axis=-1) + _special.gammaln(xp, a.sum(axis=-1))
             - _special.gammaln(xp, a).sum(axis=-1))
    return (log_p if is_log else xp.exp(log_p)).astype(sample.dtype)


@pdf_dirichlet.gradient
def _(F, inputs, outputs, ograds, is_log):   # d log p / d x_k = (a_k - 1) / x_k
    return tuple(F._internal._backward_pdf_dirichlet(ograds[0], *inputs, is_log=is_log))


@register("_backward_pdf_dirichlet", inputs=("ograd", "sample", "alpha"), params=(_IS_LOG,),
          num_outputs=2, differentiable=False)
def backward_pdf_dirichlet(xp, ograd, sample, alpha, *, is_log):
    """Gradients of ``_random_pdf_dirichlet`` w.r.t. the sample and alpha."""
    x, a = _dirichlet_spread(xp, sample, alpha)
    scale = ograd.astype("float64")
    if not is_log:
        scale = scale * pdf_dirichlet.forward(xp, sample, alpha, is_log=False)
    scale = scale[..., None]
    dx = scale * (a - 1) / x
    # d log p / d a_k = log x_k + digamma(sum a) - digamma(a_k)
    da = scale * (xp.log(x) + _special.digamma(xp, a.sum(axis=-1, keepdims=True))
                  - _special.digamma(xp, a))
    axes = tuple(range(alpha.ndim - 1, sample.ndim - 1))
    da = da.sum(axis=axes) if axes else da
    return dx.astype(sample.dtype), da.reshape(alpha.shape).astype(alpha.dtype)
