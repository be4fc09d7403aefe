"""Statistical checks of random generators (:mod:`mxnet.test_utils`)."""
import math

import numpy as np

__all__ = ["gen_buckets_probs_with_ppf", "mean_check", "var_check", "chi_square_check",
           "verify_generator"]


def gen_buckets_probs_with_ppf(ppf, nbuckets):
    """``nbuckets`` equally likely buckets ``(ppf(i/n), ppf((i+1)/n))`` and their
    probabilities, from a quantile function ``ppf``."""
    assert nbuckets > 0
    probs = [1.0 / nbuckets for _ in range(nbuckets)]
    buckets = [(ppf(i / float(nbuckets)), ppf((i + 1) / float(nbuckets)))
               for i in range(nbuckets)]
    return buckets, probs


def mean_check(generator, mu, sigma, nsamples=1000000):
    """Whether the mean of ``generator(nsamples)`` is within 3 standard errors of ``mu``."""
    samples = np.array(generator(nsamples))
    sample_mean = samples.mean()
    bound = 3 * sigma / np.sqrt(nsamples)
    return bool(mu - bound < sample_mean < mu + bound)


def var_check(generator, sigma, nsamples=1000000):
    """Whether the sample variance is within 3 standard errors of ``sigma ** 2``."""
    samples = np.array(generator(nsamples))
    sample_var = samples.var(ddof=1)
    bound = 3 * np.sqrt(2 * sigma ** 4 / (nsamples - 1))
    return bool(sigma ** 2 - bound < sample_var < sigma ** 2 + bound)


def _upper_gamma_q(a, x):
    """Regularized upper incomplete gamma ``Q(a, x)`` (series / continued fraction)."""
    if x <= 0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:      # the series of P(a, x) converges fast here
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-15:
            n += 1
            term *= x / n
            total += term
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Lentz's continued fraction for Q(a, x)
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_front) * h


def _chi2_sf(stat, dof):
    return _upper_gamma_q(dof / 2.0, stat / 2.0)


def chi_square_check(generator, buckets, probs, nsamples=1000000):
    """Chi-square goodness-of-fit test of ``generator(nsamples)``.

    ``buckets``: ``(low, high)`` ranges (continuous distributions) or the possible values
    (discrete ones); ``probs``: their probabilities. Returns ``(p, observed, expected)``.
    """
    assert isinstance(buckets, list)
    assert len(probs) == len(buckets)
    samples = np.asarray(generator(nsamples))
    if isinstance(buckets[0], (list, tuple)):
        edges = np.zeros((len(buckets) * 2,), dtype=np.float64)
        for i, (low, high) in enumerate(buckets):
            assert low <= high
            if i < len(buckets) - 1:
                assert high <= buckets[i + 1][0]
            edges[2 * i], edges[2 * i + 1] = low, high
        ids = np.searchsorted(edges, samples.ravel(), side="right")
        # odd positions fall inside a bucket; even ones between buckets
        obs_freq = np.bincount(ids[ids % 2 == 1] // 2, minlength=len(buckets))
    else:
        flat = samples.ravel()
        obs_freq = np.array([(flat == b).sum() for b in buckets], dtype=np.int64)
    expected = nsamples * np.asarray(probs, dtype=np.float64)
    stat = float((((obs_freq - expected) ** 2) / expected).sum())
    p = _chi2_sf(stat, len(buckets) - 1)
    # MXNet 1.9.1 compat: expected frequencies are returned as int32
    return p, obs_freq, expected.astype(np.int32)


def verify_generator(generator, buckets, probs, nsamples=1000000, nrepeat=5,
                     success_rate=0.2, alpha=0.05):
    """Run :func:`chi_square_check` ``nrepeat`` times; fail unless at least
    ``success_rate`` of the p-values exceed ``alpha``. Returns the p-values."""
    results = [chi_square_check(generator, buckets, probs, nsamples)
               for _ in range(nrepeat)]
    p_values = [r[0] for r in results]
    if (np.array(p_values) > alpha).sum() < nrepeat * success_rate:
        raise AssertionError(
            f"Generator test fails, Chi-square p={p_values}, obs_freq="
            f"{[r[1] for r in results]}, expected_freq={[r[2] for r in results]}."
            f"\nbuckets={buckets}, probs={probs}")
    return p_values
