"""amp_cast / amp_multicast (MXNet's ``amp_cast.cc``): casts for mixed precision."""
from ..infer import same
from ..params import Bool, DType, Int
from ..registry import register


@register("amp_cast", inputs=("data",), params=(DType("dtype"),), shape=same,
          dtype=lambda attrs, d: (d, [attrs["dtype"]]))
def amp_cast(xp, data, *, dtype):
    """Casts a floating-point input to ``dtype`` (other dtypes pass unchanged)."""
    return data.astype(dtype) if data.dtype.kind == "f" else data.copy()


@amp_cast.gradient
def _(F, inputs, outputs, ograds, dtype):     # d/dx = 1, cast back to the input's dtype
    return (F.amp_cast(ograds[0], dtype=inputs[0].dtype),)


_WIDTH = {"float16": 0, "float32": 1, "float64": 2}


@register("amp_multicast", inputs=("data",), varargs="num_outputs",
          params=(Int("num_outputs"), Bool("cast_narrow", False)),
          num_outputs=lambda attrs: attrs["num_outputs"],
          shape=lambda attrs, s: (s, list(s)))
def amp_multicast(xp, *data, num_outputs, cast_narrow):
    """Casts every floating input to the widest (``cast_narrow``: narrowest) float dtype
    among them."""
    floats = [a.dtype.name for a in data if a.dtype.name in _WIDTH]
    if not floats:
        return tuple(a.copy() for a in data)
    pick = min if cast_narrow else max
    target = pick(floats, key=_WIDTH.get)
    return tuple(a.astype(target) if a.dtype.name in _WIDTH else a.copy() for a in data)


@amp_multicast.gradient
def _(F, inputs, outputs, ograds, num_outputs, cast_narrow):   # cast each g back
    return tuple(F.amp_cast(g, dtype=x.dtype) for x, g in zip(inputs, ograds))
