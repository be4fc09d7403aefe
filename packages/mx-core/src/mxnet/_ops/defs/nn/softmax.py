"""softmax, log_softmax, softmin (MXNet's ``nn/softmax.cc``), with temperature and length."""
from ...infer import same
from ...params import Bool, DType, Int, Optional, Float
from ...registry import register

_PARAMS = (Int("axis", -1), Optional(Float("temperature", None)),
           Optional(DType("dtype", None)), Optional(Bool("use_length", False)))


def _inputs(attrs):
    return ("data", "length") if attrs["use_length"] else ("data",)


def _masked(xp, data, length, axis):
    """Mask of positions < length along ``axis`` (length has data's shape minus axis)."""
    axis = axis % data.ndim
    pos = xp.arange(data.shape[axis]).reshape((-1,) + (1,) * (data.ndim - axis - 1))
    return pos < xp.expand_dims(length, axis)


def _softmax(xp, data, length, axis, temperature, log, negate=False):
    x = data.astype("float32") if data.dtype == "float16" else data
    if negate:
        x = -x
    if temperature is not None and temperature != 1.0:
        x = x / temperature
    mask = None
    if length is not None:
        mask = _masked(xp, x, length, axis)
        x = xp.where(mask, x, -xp.inf)
    x = x - x.max(axis=axis, keepdims=True)
    e = xp.exp(x)
    s = e.sum(axis=axis, keepdims=True)
    out = x - xp.log(s) if log else e / s
    if mask is not None:
        out = xp.where(mask, out, 0)
    return out


def _declare(name, log, negate, doc):
    def forward(xp, data, length=None, *, axis, temperature, dtype, use_length):
        out = _softmax(xp, data, length, axis, temperature, log, negate)
        return out.astype(dtype or data.dtype)
    forward.__doc__ = doc
    op = register(name, inputs=("data", "length"), input_filter=_inputs, params=_PARAMS,
                  shape=lambda attrs, s: same(attrs, s[:1]) if not attrs["use_length"]
                  else (s, [s[0]]),
                  dtype=lambda attrs, d: (d, [attrs["dtype"] or d[0]]))(forward)

    @op.gradient
    def _(F, inputs, outputs, ograds, axis, temperature, dtype, use_length):
        y, g = outputs[0], ograds[0]
        t = 1.0 if temperature is None else temperature
        if log:     # d/dx = (g - softmax * sum(g)) / T
            gx = (g - F.exp(y) * F.sum(g, axis=axis, keepdims=True)) / t
        else:       # d/dx = y (g - sum(g y)) / T
            gx = y * (g - F.sum(g * y, axis=axis, keepdims=True)) / t
        if negate:
            gx = -gx
        grads = (gx,) if not use_length else (gx, F.zeros_like(inputs[1]))
        return grads
    return op


_declare("softmax", False, False, "Applies the softmax function along ``axis``:\n"
         ":math:`softmax(x)_i = exp(x_i / T) / sum_j exp(x_j / T)`.")
_declare("log_softmax", True, False, "Computes the log of the softmax along ``axis``.")
_declare("softmin", False, True, "Applies the softmin function: softmax of ``-x``.")
