"""quantize / dequantize (MXNet's ``quantization/quantize.cc``, ``dequantize.cc``).

int8 is symmetric: ``q = sign(x) * min(|x| * 127 / R + 0.5, 127)`` with
``R = max(|min_range|, |max_range|)``, and the output range becomes (-R, R); uint8 maps
[min_range, max_range] onto [0, 255]: ``q = (x - min) * 255 / (max - min) + 0.5``."""
from ...params import Enum
from ...registry import register


def _range_shape(attrs, in_shapes):
    return in_shapes, [in_shapes[0], (1,), (1,)]


def _dtype(attrs, in_dtypes):
    return in_dtypes, [attrs["out_type"], "float32", "float32"]


@register("_contrib_quantize", inputs=("data", "min_range", "max_range"),
          params=(Enum("out_type", ("int8", "uint8"), "uint8"),), num_outputs=3,
          shape=_range_shape, dtype=_dtype, differentiable=False)
def quantize(xp, data, min_range, max_range, *, out_type):
    """Quantize float data given its range; returns (quantized, min, max)."""
    lo, hi = min_range.astype("float32"), max_range.astype("float32")
    x = data.astype("float32")
    if out_type == "int8":
        real = xp.maximum(xp.abs(lo), xp.abs(hi))
        q = xp.sign(x) * xp.minimum(xp.abs(x) * (127.0 / real) + 0.5, 127.0)
        q = xp.trunc(q).astype("int8")
        return q, (-real).reshape(1), real.reshape(1)
    q = xp.clip((x - lo) * (255.0 / (hi - lo)) + 0.5, 0, 255)
    return xp.trunc(q).astype("uint8"), lo.reshape(1), hi.reshape(1)


@register("_contrib_dequantize", inputs=("data", "min_range", "max_range"),
          params=(Enum("out_type", ("float32",), "float32"),),
          shape=lambda a, s: (s, [s[0]]), dtype=lambda a, d: (d, ["float32"]),
          differentiable=False)
def dequantize(xp, data, min_range, max_range, *, out_type):
    """Map int8/uint8 data back to float32 over [min_range, max_range]."""
    lo, hi = min_range.astype("float32"), max_range.astype("float32")
    q = data.astype("float32")
    if data.dtype == "int8":
        return q * (xp.maximum(xp.abs(lo), xp.abs(hi)) / 127.0)
    return lo + q * ((hi - lo) / 255.0)
