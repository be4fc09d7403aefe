"""Factorizations and determinants of MXNet's ``tensor/la_op.cc``.

potrf, potri, gelqf, syevd, det, slogdet, with their ``_backward_linalg_*``
operators (formulas from MXNet's ``la_op-inl.h``; see arXiv:1710.08717).
"""
from .linalg import _batch_scalar_shape, _check_matrix, _known, _mT, batch_scalar, same_shape
from ..registry import register


def _solve_lower_t(xp, L, X):
    """``L^-T @ X`` for lower-triangular ``L``."""
    return xp.linalg.solve(_mT(xp, L), X)


def _copy_ltu(xp, m):
    """Symmetric matrix from the lower triangle (and diagonal) of ``m``."""
    return xp.tril(m) + _mT(xp, xp.tril(m, -1))


def _vec(xp, g, like):
    """A per-matrix scalar gradient broadcast against a batch of matrices."""
    return g.reshape(like.shape[:-2] + (1, 1))


# -- Cholesky -----------------------------------------------------------------------------
@register("_linalg_potrf", inputs=("A",), aliases=("linalg_potrf",), shape=same_shape)
def linalg_potrf(xp, A):
    """Cholesky factor ``L`` (lower triangular, ``A = L @ L^T``) of each symmetric
    positive definite matrix; only the lower triangle of ``A`` is read."""
    _check_matrix("_linalg_potrf", A, square=True)
    return xp.linalg.cholesky(xp.tril(A) + _mT(xp, xp.tril(A, -1))).astype(A.dtype,
                                                                            copy=False)


@linalg_potrf.gradient
def _(F, inputs, outputs, ograds):
    # L = chol(A): dA = 0.5 L^-T copyLTU(L^T dL) L^-1
    return (F._internal._backward_linalg_potrf(ograds[0], outputs[0]),)


@register("_backward_linalg_potrf", inputs=("ograd", "L"), differentiable=False,
          shape=same_shape)
def backward_linalg_potrf(xp, ograd, L):
    """Gradient of potrf."""
    m = _copy_ltu(xp, xp.matmul(_mT(xp, L), ograd))
    tmp = _solve_lower_t(xp, L, m)                       # L^-T M
    out = 0.5 * _mT(xp, _solve_lower_t(xp, L, _mT(xp, tmp)))   # (L^-T M) L^-1
    return out.astype(L.dtype, copy=False)


@register("_linalg_potri", inputs=("A",), aliases=("linalg_potri",), shape=same_shape)
def linalg_potri(xp, A):
    """Inverse ``(L @ L^T)^-1`` from a Cholesky factor ``L`` (its lower triangle)."""
    _check_matrix("_linalg_potri", A, square=True)
    linv = xp.linalg.inv(xp.tril(A))
    return xp.matmul(_mT(xp, linv), linv).astype(A.dtype, copy=False)


@linalg_potri.gradient
def _(F, inputs, outputs, ograds):
    # B = (L L^T)^-1: dL = -tril(B (G + G^T) L^-T)
    return (F._internal._backward_linalg_potri(ograds[0], inputs[0], outputs[0]),)


@register("_backward_linalg_potri", inputs=("ograd", "L", "B"), differentiable=False,
          shape=same_shape)
def backward_linalg_potri(xp, ograd, L, B):
    """Gradient of potri."""
    m = xp.matmul(B, ograd + _mT(xp, ograd))
    # X L^-T = (L^-1 X^T)^T
    out = -_mT(xp, xp.linalg.solve(xp.tril(L), _mT(xp, m)))
    return xp.tril(out).astype(L.dtype, copy=False)


# -- LQ and symmetric eigendecomposition --------------------------------------------------
@register("_linalg_gelqf", inputs=("A",), aliases=("linalg_gelqf",), num_outputs=2,
          output_names=("Q", "L"), shape=_known(lambda attrs, a: [a, a[:-1] + a[-2:-1]]))
def linalg_gelqf(xp, A):
    """LQ factorization ``A = L @ Q`` of each (m, n) matrix with m <= n: ``Q`` has
    orthonormal rows, ``L`` is lower triangular. Returns ``(Q, L)``."""
    _check_matrix("_linalg_gelqf", A)
    q, r = xp.linalg.qr(_mT(xp, A))      # A^T = q r, so A = r^T q^T (LAPACK's signs)
    return _mT(xp, q).astype(A.dtype, copy=False), _mT(xp, r).astype(A.dtype, copy=False)


@linalg_gelqf.gradient
def _(F, inputs, outputs, ograds):
    # dA = L^-T (dQ + copyLTU(M) Q), M = L^T dL - dQ Q^T
    q, l = outputs
    return (F._internal._backward_linalg_gelqf(ograds[0], ograds[1], q, l),)


@register("_backward_linalg_gelqf", inputs=("dQ", "dL", "Q", "L"), differentiable=False,
          shape=same_shape)
def backward_linalg_gelqf(xp, dQ, dL, Q, L):
    """Gradient of gelqf."""
    m = xp.matmul(_mT(xp, L), dL) - xp.matmul(dQ, _mT(xp, Q))
    out = _solve_lower_t(xp, L, dQ + xp.matmul(_copy_ltu(xp, m), Q))
    return out.astype(Q.dtype, copy=False)


@register("_linalg_syevd", inputs=("A",), aliases=("linalg_syevd",), num_outputs=2,
          output_names=("U", "L"), shape=_known(lambda attrs, a: [a, a[:-1]]))
def linalg_syevd(xp, A):
    """Eigendecomposition ``A = U^T @ diag(L) @ U`` of each symmetric matrix (lower
    triangle read): rows of ``U`` are eigenvectors, ``L`` ascending eigenvalues."""
    _check_matrix("_linalg_syevd", A, square=True)
    w, v = xp.linalg.eigh(A)
    u = _mT(xp, v)
    # MXNet's deterministic signs: each row's largest-magnitude entry is positive
    idx = xp.argmax(xp.abs(u), axis=-1)[..., None]
    sign = xp.where(xp.take_along_axis(u, idx, axis=-1) < 0, -1, 1).astype(u.dtype)
    return (u * sign).astype(A.dtype, copy=False), w.astype(A.dtype, copy=False)


@linalg_syevd.gradient
def _(F, inputs, outputs, ograds):
    # dA = U^T Y U, Y_ij = (X_ij - X_ji) / 2(l_i - l_j) (i != j), Y_ii = dl_i, X = dU U^T
    u, lam = outputs
    return (F._internal._backward_linalg_syevd(ograds[0], ograds[1], u, lam),)


@register("_backward_linalg_syevd", inputs=("dU", "dL", "U", "L"), differentiable=False,
          shape=same_shape)
def backward_linalg_syevd(xp, dU, dL, U, L):
    """Gradient of syevd."""
    x = xp.matmul(dU, _mT(xp, U))
    eps = 1e-30 if U.dtype == "float32" else 1e-100
    diff = L[..., :, None] - L[..., None, :]
    # MXNet computes the lower triangle (i > j, l_i >= l_j) and mirrors it
    denom = 2.0 * xp.maximum(xp.abs(diff), eps)
    y = (x - _mT(xp, x)) / denom
    y = xp.tril(y, -1)
    y = y + _mT(xp, y)
    n = L.shape[-1]
    y[..., xp.arange(n), xp.arange(n)] = dL
    return xp.matmul(xp.matmul(_mT(xp, U), y), U).astype(U.dtype, copy=False)


# -- determinants ---------------------------------------------------------------------------
@register("_linalg_det", inputs=("A",), aliases=("linalg_det",), shape=batch_scalar)
def linalg_det(xp, A):
    """Determinant of each square matrix."""
    _check_matrix("_linalg_det", A, square=True)
    return xp.linalg.det(A).reshape(_batch_scalar_shape(A.shape)).astype(A.dtype,
                                                                          copy=False)


@linalg_det.gradient
def _(F, inputs, outputs, ograds):
    # d det(A) = det(A) A^-T (zero where det(A) = 0, as MXNet)
    return (F._internal._backward_linalg_det(ograds[0], outputs[0], inputs[0]),)


@register("_backward_linalg_det", inputs=("ograd", "det", "A"), differentiable=False,
          shape=_known(lambda attrs, g, d, a: a))
def backward_linalg_det(xp, ograd, det, A):
    """Gradient of det."""
    return _det_grad(xp, _vec(xp, ograd * det, A), _vec(xp, det, A) == 0, A)


def _det_grad(xp, scale, zero, A):
    safe = xp.where(zero, xp.eye(A.shape[-1], dtype=A.dtype), A)
    out = scale * _mT(xp, xp.linalg.inv(safe))
    return xp.where(zero, 0, out).astype(A.dtype, copy=False)


@register("_linalg_slogdet", inputs=("A",), aliases=("linalg_slogdet",), num_outputs=2,
          output_names=("sign", "logdet"),
          shape=_known(lambda attrs, a: [_batch_scalar_shape(a)] * 2))
def linalg_slogdet(xp, A):
    """Sign and log of the absolute determinant of each square matrix."""
    _check_matrix("_linalg_slogdet", A, square=True)
    sign, logdet = xp.linalg.slogdet(A)
    shape = _batch_scalar_shape(A.shape)
    return (sign.reshape(shape).astype(A.dtype, copy=False),
            logdet.reshape(shape).astype(A.dtype, copy=False))


@linalg_slogdet.gradient
def _(F, inputs, outputs, ograds):
    # d log|det A| = A^-T; the sign has no gradient
    return (F._internal._backward_linalg_slogdet(ograds[1], outputs[1], inputs[0]),)


@register("_backward_linalg_slogdet", inputs=("ograd", "logdet", "A"),
          differentiable=False, shape=_known(lambda attrs, g, d, a: a))
def backward_linalg_slogdet(xp, ograd, logdet, A):
    """Gradient of slogdet."""
    return _det_grad(xp, _vec(xp, ograd, A), _vec(xp, logdet, A) == -xp.inf, A)


@register("_backward_linalg_sumlogdiag", inputs=("ograd", "A"), differentiable=False,
          shape=_known(lambda attrs, g, a: a))
def backward_linalg_sumlogdiag(xp, ograd, A):
    """Gradient of sumlogdiag."""
    n = A.shape[-1]
    out = xp.zeros_like(A)
    g = ograd.reshape(A.shape[:-2] + (1,))
    out[..., xp.arange(n), xp.arange(n)] = g / xp.diagonal(A, axis1=-2, axis2=-1)
    return out
