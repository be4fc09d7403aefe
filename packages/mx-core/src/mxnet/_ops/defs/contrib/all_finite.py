"""all_finite / multi_all_finite (``contrib/all_finite.cc``) and multi_sum_sq
(``contrib/multi_sum_sq.cc``): checks and norms used by mixed-precision training."""
from ...params import Bool, Int
from ...registry import register


@register("all_finite", inputs=("data",), params=(Bool("init_output", True),),
          shape=lambda attrs, s: (s, [(1,)]), differentiable=False)
def all_finite(xp, data, *, init_output):
    """float32 [1.] when every element is finite, else [0.]."""
    return xp.asarray([bool(xp.isfinite(data).all())], dtype="float32")


@register("multi_all_finite", inputs=("data",), varargs="num_arrays",
          params=(Int("num_arrays", 1), Bool("init_output", True)),
          shape=lambda attrs, s: (s, [(1,)]), differentiable=False)
def multi_all_finite(xp, *data, num_arrays, init_output):
    """float32 [1.] when every element of every input is finite, else [0.]."""
    ok = all(bool(xp.isfinite(a).all()) for a in data)
    return xp.asarray([ok], dtype="float32")


@register("multi_sum_sq", inputs=("data",), varargs="num_arrays",
          params=(Int("num_arrays"),), differentiable=False,
          shape=lambda attrs, s: (s, [(attrs["num_arrays"],)]))
def multi_sum_sq(xp, *data, num_arrays):
    """float32 sum of squares of each input, one entry per array."""
    sums = [(a.astype("float32") ** 2).sum() for a in data]
    return xp.stack(sums).astype("float32") if sums else xp.zeros(0, dtype="float32")
