"""Matrix products (MXNet's ``dot.cc``): dot and batch_dot."""
from ..params import Bool, Optional, Str
from ..registry import register

_PARAMS = (Bool("transpose_a", False), Bool("transpose_b", False),
           Optional(Str("forward_stype", None)))


def _t(xp, x, flag):
    return xp.swapaxes(x, -1, -2) if flag else x


def _dot_shape(attrs, in_shapes):
    a, b = in_shapes
    if a is None or b is None:
        return in_shapes, [None]
    a = a[::-1] if attrs["transpose_a"] else a
    b = b[::-1] if attrs["transpose_b"] else b
    return in_shapes, [tuple(a[:-1]) + tuple(b[1:])]


@register("dot", inputs=("lhs", "rhs"), params=_PARAMS, shape=_dot_shape)
def dot(xp, lhs, rhs, *, transpose_a, transpose_b, forward_stype):
    """Dot product: contracts the last axis of ``lhs`` with the first axis of ``rhs``
    (N-D by flattening); ``transpose_a``/``transpose_b`` transpose 2-D inputs first.
    """
    if lhs.ndim <= 2 and rhs.ndim <= 2:
        return xp.dot(lhs.T if transpose_a else lhs, rhs.T if transpose_b else rhs)
    # N-D: MXNet flattens to 2-D around the contracted axis, then reshapes back
    if transpose_a:
        lead, a2 = lhs.shape[1:], lhs.reshape(lhs.shape[0], -1).T
    else:
        lead, a2 = lhs.shape[:-1], lhs.reshape(-1, lhs.shape[-1])
    if transpose_b:
        tail, b2 = rhs.shape[:-1], rhs.reshape(-1, rhs.shape[-1]).T
    else:
        tail, b2 = rhs.shape[1:], rhs.reshape(rhs.shape[0], -1)
    return xp.dot(a2, b2).reshape(tuple(lead) + tuple(tail))


@dot.gradient
def _(F, inputs, outputs, ograds, transpose_a, transpose_b, forward_stype):
    # C = op(A) op(B): dA = G op(B)^T (transposed back if A was), dB likewise
    a, b = inputs
    g = ograds[0]
    if transpose_a:
        ga = F.dot(b, g, transpose_a=transpose_b, transpose_b=True)
    else:
        ga = F.dot(g, b, transpose_b=not transpose_b)
    if transpose_b:
        gb = F.dot(g, a, transpose_a=True, transpose_b=transpose_a)
    else:
        gb = F.dot(a, g, transpose_a=not transpose_a)
    return ga, gb


@register("batch_dot", inputs=("lhs", "rhs"), params=_PARAMS)
def batch_dot(xp, lhs, rhs, *, transpose_a, transpose_b, forward_stype):
    """Batched matrix product of 3-D arrays (batch, M, K) x (batch, K, N)."""
    return xp.matmul(_t(xp, lhs, transpose_a), _t(xp, rhs, transpose_b))


@batch_dot.gradient
def _(F, inputs, outputs, ograds, transpose_a, transpose_b, forward_stype):
    a, b = inputs
    g = ograds[0]
    if transpose_a:
        ga = F.batch_dot(b, g, transpose_a=transpose_b, transpose_b=True)
    else:
        ga = F.batch_dot(g, b, transpose_b=not transpose_b)
    if transpose_b:
        gb = F.batch_dot(g, a, transpose_a=True, transpose_b=transpose_a)
    else:
        gb = F.batch_dot(a, g, transpose_a=not transpose_a)
    return ga, gb
