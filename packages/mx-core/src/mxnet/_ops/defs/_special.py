"""Special functions written against the array namespace ``xp`` (NumPy has none).

Everything is computed in float64 with fixed-length, vectorised iterations (series,
continued fractions, Lanczos sums); callers cast back to the input dtype. Accuracy
is close to double precision (relative error ~1e-14 on the ranges MXNet tests).
"""
import math
from ..infer import errstate

__all__ = ["erf", "erfinv", "gammaln", "gamma", "digamma", "trigamma"]

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SPLIT = 3.0   # below: exp-weighted Taylor series; above: erfc continued fraction


def _f64(xp, x):
    return xp.asarray(x, dtype="float64")


def erf(xp, x):
    """erf(x): the positive-term series erf(x) = 2/sqrt(pi) e^{-x^2} sum x(2x^2)^n/(2n+1)!!
    for |x| < 3 (no cancellation), 1 - erfc(|x|) by Lentz-free backward continued
    fraction beyond, sign restored."""
    x = _f64(xp, x)
    a = xp.abs(x)
    small = xp.minimum(a, _SPLIT)
    term = small.copy()
    total = small.copy()
    two_x2 = 2.0 * small * small
    for n in range(1, 90):          # terms ratio 2x^2/(2n+1): 90 terms reach 1e-17 at x=3
        term = term * two_x2 / (2 * n + 1)
        total = total + term
    series = _TWO_OVER_SQRT_PI * xp.exp(-small * small) * total
    big = xp.maximum(a, _SPLIT)
    frac = xp.zeros_like(big)
    for k in range(60, 0, -1):      # erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + ...)))
        frac = (k / 2.0) / (big + frac)
    erfc = xp.exp(-big * big) / math.sqrt(math.pi) / (big + frac)
    out = xp.where(a < _SPLIT, series, 1.0 - erfc)
    return xp.where(xp.isnan(x), x, xp.sign(x) * out)


def erfinv(xp, y):
    """Inverse of erf: Giles' single-precision approximation, then Newton steps."""
    y = _f64(xp, y)
    with errstate(xp, divide="ignore", invalid="ignore"):
        w = -xp.log((1.0 - y) * (1.0 + y))
        central = w < 5.0
        wc = w - 2.5
        pc = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            pc = c + pc * wc
        wt = xp.sqrt(xp.maximum(w, 5.0)) - 3.0
        pt = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            pt = c + pt * wt
        x = xp.where(central, pc, pt) * y
        finite = xp.abs(y) < 1.0
        safe = xp.where(finite, x, 0.0)
        for _ in range(3):          # Newton on erf(x) - y; converges quadratically
            err = erf(xp, safe) - y
            safe = safe - err / (_TWO_OVER_SQRT_PI * xp.exp(-safe * safe))
            safe = xp.where(finite, safe, 0.0)
        edge = xp.where(xp.abs(y) == 1.0, xp.sign(y) * xp.inf, xp.nan)
        return xp.where(finite, safe, edge)


_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7)


def _lanczos_log(xp, z):
    """log Gamma(z) for z >= 0.5 (Lanczos, g=7, 9 terms)."""
    z = z - 1.0
    acc = xp.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], start=1):
        acc = acc + c / (z + i)
    t = z + _LANCZOS_G + 0.5
    return 0.5 * math.log(2 * math.pi) + (z + 0.5) * xp.log(t) - t + xp.log(acc)


def gammaln(xp, x):
    """log |Gamma(x)|, with the reflection formula below 0.5."""
    x = _f64(xp, x)
    with errstate(xp, divide="ignore", invalid="ignore"):
        right = _lanczos_log(xp, xp.maximum(x, 0.5))
        left_z = xp.minimum(x, 0.5)
        reflected = (math.log(math.pi) - xp.log(xp.abs(xp.sin(math.pi * left_z)))
                     - _lanczos_log(xp, 1.0 - left_z))
        out = xp.where(x >= 0.5, right, reflected)
        pole = (x <= 0) & (x == xp.floor(x))
        return xp.where(pole, xp.inf, out)


def gamma(xp, x):
    """Gamma(x) = sign * exp(log |Gamma(x)|); the sign alternates between negative poles."""
    x = _f64(xp, x)
    with errstate(xp, over="ignore", invalid="ignore"):
        mag = xp.exp(gammaln(xp, x))
        negative = (x < 0) & (xp.floor(x) % 2 == 1)
        out = xp.where(negative, -mag, mag)
        pole = (x < 0) & (x == xp.floor(x))
        # as C's tgamma: +-inf at +-0, NaN at the negative integers
        out = xp.where(x == 0, xp.copysign(xp.inf, x), out)
        return xp.where(pole, xp.nan, out)


def _shifted(xp, x, fn_tail, step, until=12.0):
    """Recurrence up to x >= ``until``, then an asymptotic series ``fn_tail``."""
    acc = xp.zeros_like(x)
    z = x.copy()
    for _ in range(int(until)):
        low = z < until
        acc = acc + xp.where(low, step(z), 0.0)
        z = xp.where(low, z + 1.0, z)
    return acc + fn_tail(z)


_EULER = 0.57721566490153286061


def digamma(xp, x):
    """psi(x) = d/dx log Gamma(x), following MXNet's Cephes port step for step.

    MXNet 1.9.1 compat: its psi takes ``logf`` (a float32 log) even in float64, so
    float64 gradients of gamma/gammaln carry ~1e-7 relative error; we keep it.
    Integers up to 10 use the exact harmonic sum, as MXNet does.
    """
    x = _f64(xp, x)

    def tail(z):
        z2 = 1.0 / (z * z)
        series = z2 * (1 / 12 - z2 * (1 / 120 - z2 * (1 / 252 - z2 * (
            1 / 240 - z2 * (1 / 132 - z2 * (691 / 32760 - z2 / 12))))))
        # logf: the float32-rounded log of the float32-rounded argument (NumPy's own
        # float32 log is not correctly rounded, glibc's logf is)
        z32 = z.astype("float32").astype("float64")
        log32 = xp.log(z32).astype("float32").astype("float64")
        return log32 - 0.5 / z - series

    with errstate(xp, divide="ignore", invalid="ignore"):
        negative = x <= 0
        # reflection psi(x) = psi(1 - x) - pi cot(pi x), cot taken near the integer
        frac = x - xp.round(x)
        cot = xp.where(xp.abs(frac) == 0.5, 0.0, math.pi / xp.tan(math.pi * frac))
        z = xp.where(negative, 1.0 - x, x)
        general = _shifted(xp, z, tail, lambda s: -1.0 / s, until=10.0)
        harmonic = xp.cumsum(1.0 / xp.arange(1.0, 10.0)) - _EULER
        k = xp.clip(z, 1, 10).astype("int64") - 2
        exact = xp.where(k >= 0, harmonic[xp.maximum(k, 0)], -_EULER)
        integral = (z <= 10.0) & (z == xp.floor(z))
        out = xp.where(integral, exact, general)
        out = xp.where(negative, out - cot, out)
        pole = negative & (x == xp.floor(x))
        return xp.where(pole, 1.7976931348623157e308, out)


def trigamma(xp, x):
    """psi'(x); reflection psi'(1-x) + psi'(x) = pi^2 / sin^2(pi x) below 0.5."""
    x = _f64(xp, x)

    def tail(z):
        z2 = 1.0 / (z * z)
        return 1.0 / z + z2 / 2 + z2 / z * (1 / 6 - z2 * (1 / 30 - z2 * (
            1 / 42 - z2 * (1 / 30))))

    with errstate(xp, divide="ignore", invalid="ignore"):
        right = _shifted(xp, xp.maximum(x, 0.5), tail, lambda z: 1.0 / (z * z))
        left_z = xp.minimum(x, 0.5)
        left = (math.pi / xp.sin(math.pi * left_z)) ** 2 \
            - _shifted(xp, 1.0 - left_z, tail, lambda z: 1.0 / (z * z))
        return xp.where(x >= 0.5, right, left)
