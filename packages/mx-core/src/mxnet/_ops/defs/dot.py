"""Matrix products (MXNet's ``dot.cc``): dot and batch_dot."""
from ...base import MXNetError
from ..params import Bool, Optional, Str
from ..registry import register

_PARAMS = (Bool("transpose_a", False), Bool("transpose_b", False),
           Optional(Str("forward_stype", None)))


def _t(xp, x, flag):
    return xp.swapaxes(x, -1, -2) if flag else x


def _dot_2d(a, b, ta, tb):
    """(stored 2-D shape of lhs, of rhs, output shape) of MXNet's N-D dot, which
    flattens everything but the contracted axis."""
    def rest(shape):
        n = 1
        for s in shape:
            n *= s
        return n
    if len(a) == 1:
        a2, lead = ((a[0], 1) if ta else (1, a[0])), ()
    elif ta:
        a2, lead = (a[0], rest(a[1:])), tuple(a[1:])
    else:
        a2, lead = (rest(a[:-1]), a[-1]), tuple(a[:-1])
    if len(b) == 1:
        b2, tail = ((1, b[0]) if tb else (b[0], 1)), ()
    elif tb:
        b2, tail = (rest(b[:-1]), b[-1]), tuple(b[:-1])
    else:
        b2, tail = (b[0], rest(b[1:])), tuple(b[1:])
    k_a = a2[0] if ta else a2[1]
    k_b = b2[1] if tb else b2[0]
    if k_a != k_b:
        raise MXNetError(f"Operator dot: shapes {tuple(a)} and {tuple(b)} are not aligned "
                         f"(transpose_a={ta}, transpose_b={tb}): {k_a} != {k_b}")
    return a2, b2, (lead + tail) or (1,)


def _dot_shape(attrs, in_shapes):
    a, b = in_shapes
    if a is None or b is None:
        return in_shapes, [None]
    return in_shapes, [_dot_2d(a, b, attrs["transpose_a"], attrs["transpose_b"])[2]]


@register("dot", inputs=("lhs", "rhs"), params=_PARAMS, shape=_dot_shape)
def dot(xp, lhs, rhs, *, transpose_a, transpose_b, forward_stype):
    """Dot product: contracts the last axis of ``lhs`` with the first axis of ``rhs``
    (N-D inputs are flattened around them; ``transpose_a``/``transpose_b`` transpose
    the flattened 2-D forms first). 1-D with 1-D gives an inner product of shape (1,).
    """
    a2, b2, out = _dot_2d(lhs.shape, rhs.shape, transpose_a, transpose_b)
    a, b = lhs.reshape(a2), rhs.reshape(b2)
    return xp.dot(a.T if transpose_a else a, b.T if transpose_b else b).reshape(out)


@dot.gradient
def _(F, inputs, outputs, ograds, transpose_a, transpose_b, forward_stype):
    # C = op(A) op(B) on the 2-D forms: dA = G op(B)^T (transposed back if A was), dB alike
    a, b = inputs
    a2, b2, _ = _dot_2d(a.shape, b.shape, transpose_a, transpose_b)
    m = a2[1] if transpose_a else a2[0]
    n = b2[0] if transpose_b else b2[1]
    g = F.reshape(ograds[0], shape=(m, n))
    a, b = F.reshape(a, shape=a2), F.reshape(b, shape=b2)
    if transpose_a:
        ga = F.dot(b, g, transpose_a=transpose_b, transpose_b=True)
    else:
        ga = F.dot(g, b, transpose_b=not transpose_b)
    if transpose_b:
        gb = F.dot(g, a, transpose_a=True, transpose_b=transpose_a)
    else:
        gb = F.dot(a, g, transpose_a=not transpose_a)
    return F.reshape_like(ga, inputs[0]), F.reshape_like(gb, inputs[1])


def _batch_dot_shape(attrs, in_shapes):
    a, b = in_shapes
    if a is None or b is None:
        return in_shapes, [None]
    m = a[-1] if attrs["transpose_a"] else a[-2]
    n = b[-2] if attrs["transpose_b"] else b[-1]
    return in_shapes, [tuple(a[:-2]) + (m, n)]


@register("batch_dot", inputs=("lhs", "rhs"), params=_PARAMS, shape=_batch_dot_shape)
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
