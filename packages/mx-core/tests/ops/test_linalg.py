"""mx.nd.linalg: forwards against NumPy, gradients against finite differences.

The MXNet 1.9.1 catalog (test_catalog.py) pins single-matrix cases; these add the
batched layouts, every flag combination and second-order use of the F-written
gradients.
"""
import numpy as np
import pytest

import mxnet as mx

LA = mx.nd.linalg
RNG = np.random.default_rng(7)


def _nd(x):
    return mx.nd.array(x, dtype=x.dtype)


def _spd(*batch, n=3):
    x = RNG.standard_normal(batch + (n, n))
    return x @ np.swapaxes(x, -1, -2) + n * np.eye(n)


def _lower(*batch, n=3):
    return np.tril(RNG.standard_normal(batch + (n, n))) + 3 * np.eye(n)


def check_grad(fn, inputs, eps=1e-6, rtol=1e-5, atol=1e-7):
    """Compare autograd gradients of sum(head * fn(inputs)) with central differences."""
    arrays = [_nd(x) for x in inputs]
    for a in arrays:
        a.attach_grad()
    with mx.autograd.record():
        outs = fn(*arrays)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    heads = [RNG.standard_normal(o.shape) for o in outs]
    mx.autograd.backward(outs, [_nd(h) for h in heads])

    def value(xs):
        res = fn(*[_nd(x) for x in xs])
        res = list(res) if isinstance(res, (list, tuple)) else [res]
        return sum(float((r.asnumpy() * h).sum()) for r, h in zip(res, heads))

    for k, (x, a) in enumerate(zip(inputs, arrays)):
        numeric = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            xs = [v.copy() for v in inputs]
            xs[k][idx] += eps
            up = value(xs)
            xs[k][idx] -= 2 * eps
            numeric[idx] = (up - value(xs)) / (2 * eps)
        np.testing.assert_allclose(a.grad.asnumpy(), numeric, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {k}")


# -- forwards -------------------------------------------------------------------------
def test_namespaces_and_aliases():
    assert LA.gemm2.opdef is mx.nd.linalg_gemm2.opdef
    assert mx.nd._internal._linalg_potrf.opdef.name == "_linalg_potrf"


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True),
                                   (True, True)])
def test_gemm_batched(ta, tb):
    a = RNG.standard_normal((2, 3, 4, 5) if ta else (2, 3, 5, 4))
    b = RNG.standard_normal((2, 3, 6, 4) if tb else (2, 3, 4, 6))
    c = RNG.standard_normal((2, 3, 5, 6))
    op_a = np.swapaxes(a, -1, -2) if ta else a
    op_b = np.swapaxes(b, -1, -2) if tb else b
    out = LA.gemm(_nd(a), _nd(b), _nd(c), transpose_a=ta, transpose_b=tb, alpha=0.5,
                  beta=-2.0)
    np.testing.assert_allclose(out.asnumpy(), 0.5 * op_a @ op_b - 2 * c, rtol=1e-12)
    out2 = LA.gemm2(_nd(a), _nd(b), transpose_a=ta, transpose_b=tb, alpha=3.0)
    np.testing.assert_allclose(out2.asnumpy(), 3 * op_a @ op_b, rtol=1e-12)


def test_gemm2_axis():
    # rows on axis 0, columns last: each matrix is a[:, i, :]
    a, b = RNG.standard_normal((3, 2, 4)), RNG.standard_normal((4, 2, 5))
    out = LA.gemm2(_nd(a), _nd(b), axis=0).asnumpy()
    assert out.shape == (3, 2, 5)
    for i in range(2):
        np.testing.assert_allclose(out[:, i, :], a[:, i, :] @ b[:, i, :], rtol=1e-12)


@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("rightside", [False, True])
@pytest.mark.parametrize("lower", [False, True])
def test_trmm_trsm(transpose, rightside, lower):
    a = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    b = RNG.standard_normal((2, 4, 3) if rightside else (2, 3, 4))
    t = np.tril(a) if lower else np.triu(a)
    t = np.swapaxes(t, -1, -2) if transpose else t
    kw = dict(transpose=transpose, rightside=rightside, lower=lower, alpha=2.0)
    prod = LA.trmm(_nd(a), _nd(b), **kw).asnumpy()
    np.testing.assert_allclose(prod, 2 * (b @ t if rightside else t @ b), rtol=1e-12)
    sol = LA.trsm(_nd(a), _nd(b), **kw).asnumpy()
    np.testing.assert_allclose(sol @ t if rightside else t @ sol, 2 * b, rtol=1e-10)


def test_factorizations_batched():
    a = _spd(2)
    l_ = LA.potrf(_nd(a)).asnumpy()
    np.testing.assert_allclose(l_, np.linalg.cholesky(a), rtol=1e-12)
    np.testing.assert_allclose(LA.potri(_nd(l_)).asnumpy(), np.linalg.inv(a), rtol=1e-10)
    np.testing.assert_allclose(LA.sumlogdiag(_nd(l_)).asnumpy(),
                               np.log(np.diagonal(l_, axis1=1, axis2=2)).sum(1))
    q, lq = LA.gelqf(_nd(RNG.standard_normal((2, 3, 5))))
    np.testing.assert_allclose(q.asnumpy() @ np.swapaxes(q.asnumpy(), 1, 2),
                               np.broadcast_to(np.eye(3), (2, 3, 3)), atol=1e-12)
    assert np.allclose(np.triu(lq.asnumpy(), 1), 0)
    u, lam = LA.syevd(_nd(a))
    u = u.asnumpy()
    recon = np.swapaxes(u, 1, 2) @ (lam.asnumpy()[..., None] * u)
    np.testing.assert_allclose(recon, a, rtol=1e-10)
    # MXNet's sign rule: each eigenvector's largest-magnitude entry is positive
    rows = u.reshape(-1, 3)
    assert (rows[np.arange(6), np.abs(rows).argmax(1)] > 0).all()


def test_determinants_and_inverse():
    a = RNG.standard_normal((2, 3, 3))
    np.testing.assert_allclose(LA.det(_nd(a)).asnumpy(), np.linalg.det(a), rtol=1e-12)
    sign, logdet = LA.slogdet(_nd(a))
    ref_sign, ref_log = np.linalg.slogdet(a)
    np.testing.assert_allclose(sign.asnumpy(), ref_sign)
    np.testing.assert_allclose(logdet.asnumpy(), ref_log, rtol=1e-12)
    np.testing.assert_allclose(LA.inverse(_nd(a)).asnumpy(), np.linalg.inv(a),
                               rtol=1e-10)
    # MXNet 1.9.1: a single matrix gives shape (1,)
    assert LA.det(_nd(a[0])).shape == (1,)


def test_diag_and_trian_packing():
    a = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(LA.extractdiag(_nd(a), offset=1).asnumpy(),
                                  [1, 6, 11])
    np.testing.assert_array_equal(LA.makediag(_nd(np.arange(3.0)), offset=-1).asnumpy(),
                                  np.diag(np.arange(3.0), -1))
    # values MXNet 1.9.1 returns: the upper triangle packs column by column
    np.testing.assert_array_equal(LA.extracttrian(_nd(a), lower=False).asnumpy(),
                                  [0, 1, 5, 2, 6, 10, 3, 7, 11, 15])
    np.testing.assert_array_equal(LA.extracttrian(_nd(a), offset=-1).asnumpy(),
                                  [4, 8, 9, 12, 13, 14])
    np.testing.assert_array_equal(LA.maketrian(_nd(np.arange(6.0)), offset=1).asnumpy(),
                                  [[0, 0, 1, 3], [0, 0, 2, 4], [0, 0, 0, 5], [0, 0, 0, 0]])
    for kw in ({}, {"lower": False}, {"offset": 2}, {"offset": -1}):
        packed = LA.extracttrian(_nd(np.stack([a, -a])), **kw)
        back = LA.maketrian(packed, **kw).asnumpy()
        assert back.shape == (2, 4, 4)
        np.testing.assert_array_equal(LA.extracttrian(_nd(back), **kw).asnumpy(),
                                      packed.asnumpy())


def test_errors_name_the_operator():
    with pytest.raises(mx.MXNetError, match="_linalg_potrf"):
        LA.potrf(_nd(np.ones((2, 3))))
    with pytest.raises(mx.MXNetError, match="_linalg_maketrian"):
        LA.maketrian(_nd(np.ones(5)))


# -- gradients against finite differences ---------------------------------------------
def test_grad_gemm_family():
    a, b, c = (RNG.standard_normal(s) for s in ((2, 3, 4), (2, 5, 4), (2, 3, 5)))
    check_grad(lambda x, y, z: LA.gemm(x, y, z, transpose_b=True, alpha=0.7, beta=1.5),
               [a, b, c])
    check_grad(lambda x, y: LA.gemm2(x, y, transpose_a=True, alpha=2.0),
               [RNG.standard_normal((4, 3)), RNG.standard_normal((4, 2))])
    check_grad(lambda x, y: LA.gemm2(x, y, axis=0),
               [RNG.standard_normal((3, 2, 4)), RNG.standard_normal((4, 2, 2))])


@pytest.mark.parametrize("transpose,rightside,lower",
                         [(False, False, True), (True, False, True), (False, True, False),
                          (True, True, False)])
def test_grad_triangular(transpose, rightside, lower):
    a = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
    b = RNG.standard_normal((2, 3) if rightside else (3, 2))
    kw = dict(transpose=transpose, rightside=rightside, lower=lower, alpha=1.5)
    check_grad(lambda x, y: LA.trmm(x, y, **kw), [a, b])
    check_grad(lambda x, y: LA.trsm(x, y, **kw), [a, b], rtol=1e-4)


def test_grad_syrk_inverse_det():
    x = RNG.standard_normal((2, 3, 4))
    check_grad(lambda v: LA.syrk(v, alpha=0.5), [x])
    check_grad(lambda v: LA.syrk(v, transpose=True), [x])
    a = RNG.standard_normal((2, 3, 3)) + 2 * np.eye(3)
    check_grad(LA.inverse, [a], rtol=1e-4)
    check_grad(LA.det, [a], rtol=1e-4)
    check_grad(LA.slogdet, [a], rtol=1e-4)


def test_grad_diag_trian_sumlogdiag():
    a = RNG.standard_normal((2, 4, 4))
    check_grad(lambda v: LA.extractdiag(v, offset=-1), [a])
    check_grad(lambda v: LA.makediag(v, offset=2), [RNG.standard_normal((2, 3))])
    check_grad(lambda v: LA.extracttrian(v, lower=False), [a])
    check_grad(lambda v: LA.maketrian(v, offset=-1), [RNG.standard_normal(6)])
    check_grad(LA.sumlogdiag, [np.abs(a) + 1])


def test_grad_factorizations():
    x = RNG.standard_normal((2, 3, 3))
    eye = mx.nd.array(3 * np.eye(3), dtype="float64")
    # potrf reads a symmetric matrix: differentiate through A = X X^T + 3I
    check_grad(lambda v: LA.potrf(mx.nd.broadcast_add(LA.syrk(v), eye)), [x], rtol=1e-4)
    check_grad(LA.potri, [_lower(2)], rtol=1e-4)
    check_grad(LA.gelqf, [RNG.standard_normal((2, 2, 4))], rtol=1e-4)
    # syevd reads the lower triangle of a symmetric matrix: use A = X + X^T
    check_grad(lambda v: LA.syevd(v + mx.nd.transpose(v, axes=(0, 2, 1))),
               [RNG.standard_normal((2, 3, 3))], rtol=1e-4, atol=1e-6)


def test_second_order_through_gemm2():
    # g = d sum(A A)/dA = 1 A^T + A^T 1; z = sum(g * g), differentiated through g
    a = _nd(RNG.standard_normal((3, 3)))
    a.attach_grad()
    with mx.autograd.record():
        y = LA.gemm2(a, a)
        (g,) = mx.autograd.grad(y, [a], head_grads=mx.nd.ones_like(y), create_graph=True)
        z = (g * g).sum()
    z.backward()
    ones = np.ones((3, 3))
    an = a.asnumpy()
    def zf(m):
        gm = ones @ m.T + m.T @ ones
        return (gm * gm).sum()
    num = np.zeros_like(an)
    for idx in np.ndindex(an.shape):
        d = np.zeros_like(an)
        d[idx] = 1e-6
        num[idx] = (zf(an + d) - zf(an - d)) / 2e-6
    np.testing.assert_allclose(a.grad.asnumpy(), num, rtol=1e-5)


SHAPE_CASES = [
    ("gemm", [(2, 3, 4), (2, 4, 5), (2, 3, 5)], {}),
    ("gemm2", [(3, 2, 4), (4, 2, 5)], {"axis": 0}),
    ("gemm2", [(2, 4, 3), (2, 5, 4)], {"transpose_a": True, "transpose_b": True}),
    ("trmm", [(2, 3, 3), (2, 3, 4)], {}), ("trsm", [(3, 3), (4, 3)], {"rightside": True}),
    ("syrk", [(2, 3, 4)], {}), ("syrk", [(3, 4)], {"transpose": True}),
    ("potrf", [(2, 3, 3)], {}), ("potri", [(3, 3)], {}), ("inverse", [(2, 3, 3)], {}),
    ("gelqf", [(2, 2, 4)], {}), ("syevd", [(2, 3, 3)], {}), ("det", [(3, 3)], {}),
    ("slogdet", [(2, 3, 3)], {}), ("sumlogdiag", [(2, 3, 3)], {}),
    ("extractdiag", [(2, 4, 4)], {"offset": -1}), ("makediag", [(2, 3)], {"offset": 2}),
    ("extracttrian", [(4, 4)], {"offset": 1}), ("maketrian", [(2, 6)], {"offset": -1}),
]


@pytest.mark.parametrize("name,shapes,kwargs", SHAPE_CASES)
def test_shape_rules_match_forward(name, shapes, kwargs):
    # symbolic inference needs these rules (a forward on zeros would fail for potrf)
    fn = getattr(LA, name)
    arrays = [_spd(*s[:-2], n=s[-1]) if s[-1:] == s[-2:-1] else RNG.standard_normal(s)
              for s in shapes]
    res = fn(*[_nd(a) for a in arrays], **kwargs)
    res = res if isinstance(res, (list, tuple)) else [res]
    op = fn.opdef
    assert op.shape_rule(op.parse(kwargs), list(shapes))[1] == [r.shape for r in res]
    assert op.shape_rule(op.parse(kwargs), [None] * len(shapes))[1][0] is None
