"""Linear algebra operators (MXNet's ``tensor/la_op.cc``): ``mx.nd.linalg.*``.

Every operator works on the trailing two axes and is batched over the leading ones
(``gemm``/``gemm2`` take the row axis from ``axis``). Gradients follow MXNet's
``la_op-inl.h``: products and triangular solves are written with these operators, so
they differentiate again; the factorizations (potrf, potri, gelqf, syevd) and the
determinants (in ``linalg_decomp.py``) use ``_backward_linalg_*`` operators, as
MXNet does.
"""
from ...base import MXNetError
from ..params import Bool, Float, Int
from ..registry import register

_T = (Bool("transpose_a", False), Bool("transpose_b", False))
_TRI = (Bool("transpose", False), Bool("rightside", False), Bool("lower", True),
        Float("alpha", 1.0))


def _mT(xp, x):
    return xp.swapaxes(x, -1, -2)


def _check_matrix(name, a, square=False):
    if a.ndim < 2:
        raise MXNetError(f"Operator {name}: input must have at least 2 dimensions, "
                         f"got shape {a.shape}")
    if square and a.shape[-1] != a.shape[-2]:
        raise MXNetError(f"Operator {name}: input must be square matrices, got shape "
                         f"{a.shape}")


def _tri(xp, a, lower, k=0):
    return xp.tril(a, k) if lower else xp.triu(a, -k)


def _batch_scalar_shape(shape):
    # MXNet 1.9.1 compat: a single matrix reduces to shape (1,), not ()
    return tuple(shape[:-2]) or (1,)


def _known(rule):
    """A shape rule applied once every input shape is known."""
    def wrapped(attrs, in_shapes):
        if any(x is None for x in in_shapes):
            return in_shapes, [None]
        out = rule(attrs, *in_shapes)
        return in_shapes, list(out) if isinstance(out, list) else [tuple(out)]
    return wrapped


same_shape = _known(lambda attrs, a, *rest: a)
batch_scalar = _known(lambda attrs, a: _batch_scalar_shape(a))


def _mask_tri(F, x, lower):
    """Keep the lower (upper) triangle of ``x``, differentiably."""
    return F.linalg.maketrian(F.linalg.extracttrian(x, lower=lower), lower=lower)


# -- gemm / gemm2 ---------------------------------------------------------------------
def _matmul(xp, a, b, ta, tb, alpha, axis):
    if axis != -2:
        a, b = xp.swapaxes(a, axis, -2), xp.swapaxes(b, axis, -2)
    out = alpha * xp.matmul(_mT(xp, a) if ta else a, _mT(xp, b) if tb else b)
    return out, (lambda r: xp.swapaxes(r, axis, -2)) if axis != -2 else (lambda r: r)


def _gemm2_shape(attrs, in_shapes):
    a, b = in_shapes
    if a is None or b is None:
        return in_shapes, [None]
    ax = attrs["axis"] % len(a)
    rows = a[-1] if attrs["transpose_a"] else a[ax]
    cols = b[ax] if attrs["transpose_b"] else b[-1]
    out = list(a)
    out[ax], out[-1] = rows, cols
    return in_shapes, [tuple(out)]


@register("_linalg_gemm2", inputs=("A", "B"), aliases=("linalg_gemm2",),
          params=_T + (Float("alpha", 1.0), Int("axis", -2)), shape=_gemm2_shape)
def linalg_gemm2(xp, A, B, *, transpose_a, transpose_b, alpha, axis):
    """Matrix product ``alpha * op(A) @ op(B)`` over the trailing two axes
    (``axis`` names the row axis), batched over the others."""
    out, back = _matmul(xp, A, B, transpose_a, transpose_b, alpha, axis)
    return back(out).astype(A.dtype, copy=False)


def _gemm_grads(F, a, b, g, ta, tb, alpha, axis):
    # C = alpha op(A) op(B): dA = alpha G op(B)^T (or its transpose), dB likewise
    mm = F.linalg.gemm2
    ga = mm(b, g, transpose_a=tb, transpose_b=True, alpha=alpha, axis=axis) if ta \
        else mm(g, b, transpose_b=not tb, alpha=alpha, axis=axis)
    gb = mm(g, a, transpose_a=True, transpose_b=ta, alpha=alpha, axis=axis) if tb \
        else mm(a, g, transpose_a=not ta, alpha=alpha, axis=axis)
    return ga, gb


@linalg_gemm2.gradient
def _(F, inputs, outputs, ograds, transpose_a, transpose_b, alpha, axis):
    return _gemm_grads(F, inputs[0], inputs[1], ograds[0], transpose_a, transpose_b,
                       alpha, axis)


@register("_linalg_gemm", inputs=("A", "B", "C"), aliases=("linalg_gemm",),
          params=_T + (Float("alpha", 1.0), Float("beta", 1.0), Int("axis", -2)),
          shape=lambda attrs, s: (s, _gemm2_shape(attrs, s[:2])[1]))
def linalg_gemm(xp, A, B, C, *, transpose_a, transpose_b, alpha, beta, axis):
    """``alpha * op(A) @ op(B) + beta * C`` over the trailing two axes, batched."""
    out, back = _matmul(xp, A, B, transpose_a, transpose_b, alpha, axis)
    return (back(out) + beta * C).astype(A.dtype, copy=False)


@linalg_gemm.gradient
def _(F, inputs, outputs, ograds, transpose_a, transpose_b, alpha, beta, axis):
    # D = alpha op(A) op(B) + beta C: as gemm2 for A, B; dC = beta G
    ga, gb = _gemm_grads(F, inputs[0], inputs[1], ograds[0], transpose_a, transpose_b,
                         alpha, axis)
    return ga, gb, ograds[0] * beta


# -- triangular products and solves -----------------------------------------------------
def _op_a(xp, A, transpose, lower):
    a = _tri(xp, A, lower)
    return _mT(xp, a) if transpose else a


@register("_linalg_trmm", inputs=("A", "B"), aliases=("linalg_trmm",), params=_TRI,
          shape=lambda attrs, s: (s, [s[1]]))
def linalg_trmm(xp, A, B, *, transpose, rightside, lower, alpha):
    """Triangular product ``alpha * op(A) @ B`` (``B @ op(A)`` if ``rightside``);
    only the lower (upper) triangle of ``A`` is read."""
    _check_matrix("_linalg_trmm", A, square=True)
    a = _op_a(xp, A, transpose, lower)
    out = xp.matmul(B, a) if rightside else xp.matmul(a, B)
    return (alpha * out).astype(B.dtype, copy=False)


@linalg_trmm.gradient
def _(F, inputs, outputs, ograds, transpose, rightside, lower, alpha):
    # C = alpha op(A) B: dA = tri(alpha G B^T) (arranged per side/transpose),
    # dB = alpha op(A)^T G (trmm with the transpose flag flipped)
    A, B = inputs
    g = ograds[0]
    if rightside == transpose:
        ga = F.linalg.gemm2(g, B, transpose_a=transpose, transpose_b=not transpose,
                            alpha=alpha)
    else:
        ga = F.linalg.gemm2(B, g, transpose_a=not transpose, transpose_b=transpose,
                            alpha=alpha)
    gb = F.linalg.trmm(A, g, transpose=not transpose, rightside=rightside, lower=lower,
                       alpha=alpha)
    return _mask_tri(F, ga, lower), gb


@register("_linalg_trsm", inputs=("A", "B"), aliases=("linalg_trsm",), params=_TRI,
          shape=lambda attrs, s: (s, [s[1]]))
def linalg_trsm(xp, A, B, *, transpose, rightside, lower, alpha):
    """Triangular solve: ``X`` with ``op(A) @ X = alpha * B`` (``X @ op(A) = alpha * B``
    if ``rightside``); only the lower (upper) triangle of ``A`` is read."""
    _check_matrix("_linalg_trsm", A, square=True)
    a = _op_a(xp, A, transpose, lower)
    if rightside:
        a, rhs = _mT(xp, a), _mT(xp, B)
        return _mT(xp, alpha * xp.linalg.solve(a, rhs)).astype(B.dtype, copy=False)
    return (alpha * xp.linalg.solve(a, B)).astype(B.dtype, copy=False)


@linalg_trsm.gradient
def _(F, inputs, outputs, ograds, transpose, rightside, lower, alpha):
    # C = alpha op(A)^-1 B: dB = alpha op(A)^-T G, dA = tri(-op(A)^-T G C^T / alpha-ish)
    A = inputs[0]
    C = outputs[0]
    gb = F.linalg.trsm(A, ograds[0], transpose=not transpose, rightside=rightside,
                       lower=lower, alpha=alpha)
    scale = -1.0 / alpha
    if rightside == transpose:
        ga = F.linalg.gemm2(gb, C, transpose_a=transpose, transpose_b=not transpose,
                            alpha=scale)
    else:
        ga = F.linalg.gemm2(C, gb, transpose_a=not transpose, transpose_b=transpose,
                            alpha=scale)
    return _mask_tri(F, ga, lower), gb


@register("_linalg_syrk", inputs=("A",), aliases=("linalg_syrk",),
          params=(Bool("transpose", False), Float("alpha", 1.0)),
          shape=_known(lambda attrs, a: a[:-2] + ((a[-1],) * 2 if attrs["transpose"]
                                                   else (a[-2],) * 2)))
def linalg_syrk(xp, A, *, transpose, alpha):
    """``alpha * A @ A^T`` (``alpha * A^T @ A`` if ``transpose``), batched."""
    _check_matrix("_linalg_syrk", A)
    out = xp.matmul(_mT(xp, A), A) if transpose else xp.matmul(A, _mT(xp, A))
    return (alpha * out).astype(A.dtype, copy=False)


@linalg_syrk.gradient
def _(F, inputs, outputs, ograds, transpose, alpha):
    # B = alpha A A^T: dA = alpha (G + G^T) A; for A^T A: dA = alpha A (G + G^T)
    a, g = inputs[0], ograds[0]
    mm = F.linalg.gemm2
    if transpose:
        return (mm(a, g, alpha=alpha) + mm(a, g, transpose_b=True, alpha=alpha),)
    return (mm(g, a, alpha=alpha) + mm(g, a, transpose_a=True, alpha=alpha),)


# -- diagonals and triangles --------------------------------------------------------------
def _diag_index(xp, n, offset):
    k = n - abs(offset)
    i = xp.arange(k)
    return (i - min(offset, 0), i + max(offset, 0))


@register("_linalg_extractdiag", inputs=("A",), aliases=("linalg_extractdiag",),
          params=(Int("offset", 0),),
          shape=_known(lambda attrs, a: a[:-2] + (a[-1] - abs(attrs["offset"]),)))
def linalg_extractdiag(xp, A, *, offset):
    """The ``offset``-th diagonal of each matrix (0 the main one, >0 above, <0 below)."""
    _check_matrix("_linalg_extractdiag", A, square=True)
    rows, cols = _diag_index(xp, A.shape[-1], offset)
    return A[..., rows, cols]


@linalg_extractdiag.gradient
def _(F, inputs, outputs, ograds, offset):
    # B = diag_k(A): dA = makediag_k(G)
    return (F.linalg.makediag(ograds[0], offset=offset),)


@register("_linalg_makediag", inputs=("A",), aliases=("linalg_makediag",),
          params=(Int("offset", 0),),
          shape=_known(lambda attrs, a: a[:-1] + (a[-1] + abs(attrs["offset"]),) * 2))
def linalg_makediag(xp, A, *, offset):
    """Square matrices with ``A``'s trailing axis on the ``offset``-th diagonal."""
    n = A.shape[-1] + abs(offset)
    out = xp.zeros(A.shape[:-1] + (n, n), dtype=A.dtype)
    rows, cols = _diag_index(xp, n, offset)
    out[..., rows, cols] = A
    return out


@linalg_makediag.gradient
def _(F, inputs, outputs, ograds, offset):
    # B = makediag_k(A): dA = diag_k(G)
    return (F.linalg.extractdiag(ograds[0], offset=offset),)


def _trian_index(xp, n, offset, lower):
    """(rows, cols) of the triangle in MXNet's packing order."""
    k = n - abs(offset)
    r, c = xp.tril_indices(k)
    r = r + abs(offset)
    if offset > 0 or (offset == 0 and not lower):
        # MXNet packs the upper triangle as the lower one of the transpose
        return c, r
    return r, c


def _packed_len(n, offset):
    k = n - abs(offset)
    return k * (k + 1) // 2


def _side(m):
    """Side of the triangle packed into ``m`` entries (None if ``m`` is not k(k+1)/2)."""
    k = int(round(((8 * m + 1) ** 0.5 - 1) / 2))
    return k if k * (k + 1) // 2 == m else None


@register("_linalg_extracttrian", inputs=("A",), aliases=("linalg_extracttrian",),
          params=(Int("offset", 0), Bool("lower", True)),
          shape=_known(lambda attrs, a: a[:-2] + (_packed_len(a[-1], attrs["offset"]),)))
def linalg_extracttrian(xp, A, *, offset, lower):
    """The triangle of each matrix (lower or upper, shifted by ``offset``), packed into
    a vector row by row."""
    _check_matrix("_linalg_extracttrian", A, square=True)
    rows, cols = _trian_index(xp, A.shape[-1], offset, lower)
    return A[..., rows, cols]


@linalg_extracttrian.gradient
def _(F, inputs, outputs, ograds, offset, lower):
    # B = pack(tri(A)): dA = unpack(G)
    return (F.linalg.maketrian(ograds[0], offset=offset, lower=lower),)


def _maketrian_shape(attrs, a):
    k = _side(a[-1])
    return a[:-1] + ((k + abs(attrs["offset"]),) * 2 if k is not None else (None, None))


@register("_linalg_maketrian", inputs=("A",), aliases=("linalg_maketrian",),
          params=(Int("offset", 0), Bool("lower", True)), shape=_known(_maketrian_shape))
def linalg_maketrian(xp, A, *, offset, lower):
    """Triangular matrices from packed vectors (the inverse of extracttrian)."""
    m = A.shape[-1]
    k = _side(m)
    if k is None:
        raise MXNetError(f"Operator _linalg_maketrian: the trailing axis ({m}) is not a "
                         "triangular number")
    n = k + abs(offset)
    out = xp.zeros(A.shape[:-1] + (n, n), dtype=A.dtype)
    rows, cols = _trian_index(xp, n, offset, lower)
    out[..., rows, cols] = A
    return out


@linalg_maketrian.gradient
def _(F, inputs, outputs, ograds, offset, lower):
    # B = unpack(A): dA = pack(G)
    return (F.linalg.extracttrian(ograds[0], offset=offset, lower=lower),)


@register("_linalg_sumlogdiag", inputs=("A",), aliases=("linalg_sumlogdiag",),
          shape=batch_scalar)
def linalg_sumlogdiag(xp, A):
    """Sum of the logarithms of each matrix's diagonal."""
    _check_matrix("_linalg_sumlogdiag", A, square=True)
    out = xp.log(xp.diagonal(A, axis1=-2, axis2=-1)).sum(axis=-1)
    return out.reshape(_batch_scalar_shape(A.shape)).astype(A.dtype, copy=False)


@linalg_sumlogdiag.gradient
def _(F, inputs, outputs, ograds):
    # b = sum log a_ii: dA = diag(g / a_ii)
    return (F._internal._backward_linalg_sumlogdiag(ograds[0], inputs[0]),)


# -- inverse -----------------------------------------------------------------------------
@register("_linalg_inverse", inputs=("A",), aliases=("linalg_inverse",),
          shape=same_shape)
def linalg_inverse(xp, A):
    """Inverse of each square matrix."""
    _check_matrix("_linalg_inverse", A, square=True)
    return xp.linalg.inv(A).astype(A.dtype, copy=False)


@linalg_inverse.gradient
def _(F, inputs, outputs, ograds):
    # B = A^-1: dA = -B^T G B^T
    b = outputs[0]
    tmp = F.linalg.gemm2(ograds[0], b, transpose_b=True)
    return (F.linalg.gemm2(b, tmp, transpose_a=True, alpha=-1.0),)

