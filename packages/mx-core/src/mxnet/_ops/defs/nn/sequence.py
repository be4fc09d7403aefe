"""SequenceMask, SequenceLast, SequenceReverse (MXNet's ``sequence_*.cc``).

``data`` is time-major along ``axis`` (0, batch on axis 1) or batch-major (``axis=1``,
batch on axis 0); ``sequence_length`` gives each batch element's valid length."""
from ....base import MXNetError
from ...params import Bool, Float, Int
from ...registry import register

_LEN = (Bool("use_sequence_length", False),)


def _inputs(attrs):
    return ("data", "sequence_length") if attrs["use_sequence_length"] else ("data",)


def _time_major(x, axis):
    """``x`` with time first and batch second."""
    if axis not in (0, 1):
        raise MXNetError(f"Sequence operators: axis must be 0 or 1, got {axis}")
    return x.swapaxes(0, 1) if axis == 1 else x


def _lengths(xp, data_tm, length):
    """Valid length per batch element (the full length when not given), int64."""
    if length is None:
        return xp.full((data_tm.shape[1],), data_tm.shape[0], dtype="int64")
    return length.astype("int64")


def _valid(xp, data_tm, length):
    """Boolean (T, B, 1...) mask of the valid time steps."""
    t = xp.arange(data_tm.shape[0]).reshape(-1, 1)
    keep = t < _lengths(xp, data_tm, length).reshape(1, -1)
    return keep.reshape(keep.shape + (1,) * (data_tm.ndim - 2))


# -- SequenceMask ---------------------------------------------------------------
_MASK = _LEN + (Float("value", 0.0), Int("axis", 0))


@register("SequenceMask", inputs=("data", "sequence_length"), input_filter=_inputs,
          params=_MASK, shape=lambda a, s: (s, [s[0]]))
def sequence_mask(xp, data, sequence_length=None, *, use_sequence_length, value, axis):
    """Sets the time steps at and after each sequence's length to ``value``."""
    if not use_sequence_length:
        return data.copy()
    x = _time_major(data, axis)
    out = xp.where(_valid(xp, x, sequence_length), x, xp.asarray(value, dtype=x.dtype))
    return xp.ascontiguousarray(_time_major(out, axis))


@sequence_mask.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = 1 on the valid steps, 0 on the masked ones
    if not params["use_sequence_length"]:
        return (ograds[0],)
    zero = dict(params, value=0.0)
    return F.SequenceMask(ograds[0], inputs[1], **zero), None


# -- SequenceLast ---------------------------------------------------------------
_LAST = _LEN + (Int("axis", 0),)


def _last_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    ax = attrs["axis"]
    return in_shapes, [tuple(data[:ax]) + tuple(data[ax + 1:])]


@register("SequenceLast", inputs=("data", "sequence_length"), input_filter=_inputs,
          params=_LAST, shape=_last_shape)
def sequence_last(xp, data, sequence_length=None, *, use_sequence_length, axis):
    """Takes each sequence's last valid time step (``data[length - 1]``)."""
    x = _time_major(data, axis)
    last = _lengths(xp, x, sequence_length) - 1
    return x[last, xp.arange(x.shape[1])]


@sequence_last.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = g at each sequence's last valid step, 0 elsewhere
    grad = F._internal._backward_SequenceLast(ograds[0], *inputs, **params)
    return (grad, None) if params["use_sequence_length"] else (grad,)


@register("_backward_SequenceLast", inputs=("ograd", "data", "sequence_length"),
          input_filter=lambda a: ("ograd",) + _inputs(a), params=_LAST,
          differentiable=False)
def _backward_sequence_last(xp, ograd, data, sequence_length=None, *,
                            use_sequence_length, axis):
    """Gradient of SequenceLast with respect to its data."""
    dx = xp.zeros(data.shape, dtype=ograd.dtype)
    view = _time_major(dx, axis)
    last = _lengths(xp, view, sequence_length) - 1
    view[last, xp.arange(view.shape[1])] = ograd
    return dx


# -- SequenceReverse ------------------------------------------------------------
_REV = _LEN + (Int("axis", 0),)


def _reverse(xp, data, length, axis):
    if axis != 0:
        raise MXNetError(f"Operator SequenceReverse: only axis 0 is supported, got {axis}")
    t = xp.arange(data.shape[0]).reshape(-1, 1)
    n = _lengths(xp, data, length).reshape(1, -1)
    src = xp.where(t < n, n - 1 - t, t)
    return data[src, xp.arange(data.shape[1]).reshape(1, -1)]


@register("SequenceReverse", inputs=("data", "sequence_length"), input_filter=_inputs,
          params=_REV, shape=lambda a, s: (s, [s[0]]))
def sequence_reverse(xp, data, sequence_length=None, *, use_sequence_length, axis):
    """Reverses the first ``length`` time steps of each sequence (the rest stay)."""
    return _reverse(xp, data, sequence_length, axis)


@sequence_reverse.gradient
def _(F, inputs, outputs, ograds, **params):
    # the reversal is a permutation, its own inverse: d/dx = reverse(g)
    if not params["use_sequence_length"]:
        return (F.SequenceReverse(ograds[0], **params),)
    return F.SequenceReverse(ograds[0], inputs[1], **params), None
