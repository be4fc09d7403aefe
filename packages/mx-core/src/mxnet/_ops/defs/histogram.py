"""_histogram (MXNet's ``histogram.cc``): counts (int64) and bin edges."""
from ...base import MXNetError
from ..params import FloatTuple, Int, Optional
from ..registry import register


def _inputs(attrs):
    return ("data",) if attrs["bin_cnt"] is not None else ("data", "bins")


@register("_histogram", inputs=("data", "bins"), input_filter=_inputs, num_outputs=2,
          params=(Optional(Int("bin_cnt", None)), Optional(FloatTuple("range", None))),
          shape=lambda attrs, s: (s, [(attrs["bin_cnt"],), (attrs["bin_cnt"] + 1,)]
                                  if attrs["bin_cnt"] is not None else
                                  [None if s[1] is None else (s[1][0] - 1,), s[1]]),
          differentiable=False)
def histogram(xp, data, bins=None, *, bin_cnt, range):
    """Counts of ``data`` in ``bin_cnt`` equal bins over ``range`` (or in the bins whose
    edges are given); the last bin includes its right edge, values outside are dropped."""
    if bins is None:
        if range is None:
            raise MXNetError("Operator _histogram: range must be given with bin_cnt")
        lo, hi = range
        edges = xp.linspace(lo, hi, bin_cnt + 1, dtype="float64")
        out_edges = edges.astype(data.dtype)
    else:
        edges, out_edges = bins.astype("float64"), bins
    x = data.reshape(-1).astype("float64")
    idx = xp.searchsorted(edges, x, side="right") - 1
    nbins = edges.size - 1
    idx = xp.where(x == edges[-1], nbins - 1, idx)
    valid = (idx >= 0) & (idx < nbins)
    counts = xp.bincount(idx[valid], minlength=nbins).astype("int64")
    return counts, out_edges
