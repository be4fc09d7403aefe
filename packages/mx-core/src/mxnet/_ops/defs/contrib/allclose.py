"""allclose (MXNet's ``contrib/allclose_op.cc``)."""
from ...params import Bool, Float
from ...registry import register


@register("_contrib_allclose", inputs=("a", "b"), differentiable=False,
          params=(Float("rtol", 1e-5), Float("atol", 1e-8), Bool("equal_nan", True)),
          shape=lambda attrs, s: (s, [()]), dtype=lambda attrs, d: (d, ["uint8"]))
def allclose(xp, a, b, *, rtol, atol, equal_nan):
    """1 (uint8, shape ()) when |a - b| <= atol + rtol * |b| everywhere, else 0."""
    ok = xp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return xp.asarray(1 if ok else 0, dtype="uint8")
