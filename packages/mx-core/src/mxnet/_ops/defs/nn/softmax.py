"""softmax, log_softmax, softmin (MXNet's ``nn/softmax.cc``), with temperature and length."""
from .... import autograd as _autograd
from ...infer import same
from ..elemwise_unary import _exp as _exact_exp
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
    # every step after the first copy works in place: same values, fewer temporaries
    x = data.astype("float32") if data.dtype == "float16" else data
    fresh = x is not data
    if negate:
        x, fresh = -x, True
    if temperature is not None and temperature != 1.0:
        x, fresh = x / temperature, True
    mask = None
    if length is not None:
        mask = _masked(xp, x, length, axis)
        x, fresh = xp.where(mask, x, -xp.inf), True
    top = x.max(axis=axis, keepdims=True)
    x = xp.subtract(x, top, out=x) if fresh else x - top
    if log:
        s = xp.exp(x).sum(axis=axis, keepdims=True)
        out = xp.subtract(x, xp.log(s), out=x)
    else:
        e = xp.exp(x, out=x)
        out = xp.divide(e, e.sum(axis=axis, keepdims=True), out=e)
    if mask is not None:
        out = xp.where(mask, out, 0)
    return out


def _grad_kernel(xp, y, g, axis, temperature, log, negate):
    """d/dx of (log_)softmax given the output ``y`` and head ``g``, in one fresh array."""
    if log:     # g - softmax * sum(g); the exp of mx.nd.exp, so the values match it
        gx = _exact_exp(xp, y)
        gx *= g.sum(axis=axis, keepdims=True)
        xp.subtract(g, gx, out=gx)
    else:       # y (g - sum(g y))
        gx = xp.multiply(g, y)
        s = gx.sum(axis=axis, keepdims=True)
        xp.subtract(g, s, out=gx)
        gx *= y
    if temperature is not None and temperature != 1.0:
        gx /= temperature
    if negate:
        xp.negative(gx, out=gx)
    return gx


def _declare(name, log, negate, doc):
    def forward(xp, data, length=None, *, axis, temperature, dtype, use_length):
        out = _softmax(xp, data, length, axis, temperature, log, negate)
        return out.astype(dtype or data.dtype, copy=False)
    forward.__doc__ = doc
    op = register(name, inputs=("data", "length"), input_filter=_inputs, params=_PARAMS,
                  shape=lambda attrs, s: same(attrs, s[:1]) if not attrs["use_length"]
                  else (s, [s[0]]),
                  dtype=lambda attrs, d: (d, [attrs["dtype"] or d[0]]))(forward)

    @register("_backward_" + name, inputs=("ograd", "output"), params=_PARAMS,
              differentiable=False)
    def backward(xp, ograd, output, *, axis, temperature, dtype, use_length):
        """Gradient of the operator with respect to its data, from its output."""
        return _grad_kernel(xp, output, ograd, axis, temperature, log, negate)

    @op.gradient
    def _(F, inputs, outputs, ograds, axis, temperature, dtype, use_length):
        y, g = outputs[0], ograds[0]
        if _autograd.is_recording():     # create_graph: a gradient that differentiates
            gx = _composed(F, y, g, axis, temperature, log, negate)
        else:                            # one fused kernel, the same values
            gx = getattr(F._internal, "_backward_" + name)(
                g, y, axis=axis, temperature=temperature, dtype=dtype, use_length=use_length)
        return (gx,) if not use_length else (gx, F.zeros_like(inputs[1]))
    return op


def _composed(F, y, g, axis, temperature, log, negate):
    if log:     # d/dx = (g - softmax * sum(g)) / T
        gx = g - F.exp(y) * F.sum(g, axis=axis, keepdims=True)
    else:       # d/dx = y (g - sum(g y)) / T
        gx = y * (g - F.sum(g * y, axis=axis, keepdims=True))
    if temperature is not None and temperature != 1.0:
        gx = gx / temperature
    return -gx if negate else gx


_declare("softmax", False, False, "Applies the softmax function along ``axis``:\n"
         ":math:`softmax(x)_i = exp(x_i / T) / sum_j exp(x_j / T)`.")
_declare("log_softmax", True, False, "Computes the log of the softmax along ``axis``.")
_declare("softmin", False, True, "Applies the softmin function: softmax of ``-x``.")
