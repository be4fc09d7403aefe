"""diag (MXNet's ``diag_op.cc``): a diagonal of an array, or a matrix from a vector."""
from ...base import MXNetError
from ..infer import normalize_axis
from ..params import Int
from ..registry import register


def _diag_out(shape, k, axis1, axis2):
    if len(shape) == 1:
        n = shape[0] + abs(k)
        return (n, n)
    a1 = normalize_axis(axis1, len(shape), "diag")
    a2 = normalize_axis(axis2, len(shape), "diag")
    if a1 == a2:
        raise MXNetError("Operator diag: axis1 and axis2 cannot refer to the same axis")
    n1, n2 = shape[a1], shape[a2]
    size = max(0, min(n1, n2 - k) if k >= 0 else min(n1 + k, n2))
    rest = tuple(s for i, s in enumerate(shape) if i not in (a1, a2))
    return rest + (size,)


_PARAMS = (Int("k", 0), Int("axis1", 0), Int("axis2", 1))


@register("diag", inputs=("data",), params=_PARAMS,
          shape=lambda attrs, s: (s, [None if s[0] is None else _diag_out(
              tuple(s[0]), attrs["k"], attrs["axis1"], attrs["axis2"])]))
def diag(xp, data, *, k, axis1, axis2):
    """The ``k``-th diagonal of ``data`` over (axis1, axis2) (a new last axis), or for
    a 1-D input the square matrix with ``data`` on its ``k``-th diagonal."""
    if data.ndim == 0:
        raise MXNetError("Operator diag: the input must be at least 1-D")
    if data.ndim == 1:
        return xp.diag(data, k)
    _diag_out(data.shape, k, axis1, axis2)
    return xp.ascontiguousarray(xp.diagonal(data, k, axis1, axis2))


@diag.gradient
def _(F, inputs, outputs, ograds, k, axis1, axis2):   # put g back on the diagonal
    x = inputs[0]
    if x.ndim == 1:
        return (F.diag(ograds[0], k=k),)
    return (F._internal._backward_diag(ograds[0], x, k=k, axis1=axis1, axis2=axis2),)


@register("_backward_diag", inputs=("ograd", "like"), params=_PARAMS,
          shape=lambda attrs, s: (s, [s[1]]))
def backward_diag(xp, ograd, like, *, k, axis1, axis2):
    """Zeros shaped like ``like`` with ``ograd`` written on the ``k``-th diagonal."""
    out = xp.zeros(like.shape, dtype=ograd.dtype)
    view = xp.diagonal(out, k, axis1, axis2)
    a1 = normalize_axis(axis1, like.ndim, "diag")
    a2 = normalize_axis(axis2, like.ndim, "diag")
    moved = xp.moveaxis(out, (a1, a2), (-2, -1))     # a view into out
    n = view.shape[-1]
    rows = xp.arange(n) + max(-k, 0)
    moved[..., rows, rows + k] = ograd
    return out


@backward_diag.gradient
def _(F, inputs, outputs, ograds, k, axis1, axis2):   # adjoint: take the diagonal
    return F.diag(ograds[0], k=k, axis1=axis1, axis2=axis2), None
