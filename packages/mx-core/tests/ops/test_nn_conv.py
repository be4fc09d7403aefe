"""Convolution, Deconvolution, Pooling, im2col/col2im and UpSampling: values against
direct NumPy loops and gradients against finite differences (float64)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils.finite_diff import check_grad
from mxnet.base import MXNetError

R = np.random.default_rng(0)


def _check_grad(fn, inputs, wrt=None, rtol=1e-4, atol=1e-6, eps=1e-6, train=True):
    """Autograd against central differences of sum(head * fn(*inputs)), float64."""
    check_grad(fn, inputs, rtol=rtol, atol=atol, eps=eps, wrt=wrt, train=train)


def _conv_ref(x, w, b, stride, pad, dilate, group):
    """Direct 2-D convolution (loops over output pixels only)."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - dilate[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dilate[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // group
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride[0]:i * stride[0] + dilate[0] * (kh - 1) + 1:dilate[0],
                       j * stride[1]:j * stride[1] + dilate[1] * (kw - 1) + 1:dilate[1]]
            for g in range(group):
                pg = patch[:, g * cg:(g + 1) * cg]
                wg = w[g * fg:(g + 1) * fg]
                out[:, g * fg:(g + 1) * fg, i, j] = np.einsum("nckl,fckl->nf", pg, wg)
    return out + b.reshape(1, -1, 1, 1)


@pytest.mark.parametrize("stride,pad,dilate,group", [((1, 1), (0, 0), (1, 1), 1),
                                                     ((2, 1), (1, 2), (1, 2), 2)])
def test_convolution_matches_direct_loop(stride, pad, dilate, group):
    x = R.standard_normal((2, 4, 7, 8))
    w = R.standard_normal((6, 4 // group, 3, 2))
    b = R.standard_normal(6)
    out = mx.nd.Convolution(mx.nd.array(x), mx.nd.array(w), mx.nd.array(b), kernel=(3, 2),
                            num_filter=6, stride=stride, pad=pad, dilate=dilate,
                            num_group=group)
    np.testing.assert_allclose(out.asnumpy(), _conv_ref(x, w, b, stride, pad, dilate, group),
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kernel,kw", [((3,), {"stride": (2,), "pad": (1,)}),
                                       ((2, 3), {"dilate": (2, 1), "num_group": 2}),
                                       ((2, 2, 2), {"pad": (1, 0, 1)})])
def test_convolution_gradients(kernel, kw):
    g = kw.get("num_group", 1)
    x = R.standard_normal((2, 2) + (5,) * len(kernel))
    w = R.standard_normal((2, 2 // g) + kernel)
    b = R.standard_normal(2)
    _check_grad(lambda a, ww, bb: mx.nd.Convolution(a, ww, bb, kernel=kernel, num_filter=2,
                                                    **kw), [x, w, b])


@pytest.mark.parametrize("kw", [{"stride": (2, 2), "pad": (1, 1), "adj": (1, 1)},
                                {"stride": (2, 1), "target_shape": (8, 6)},
                                {"num_group": 2, "dilate": (2, 1)}])
def test_deconvolution_gradients_and_shape(kw):
    g = kw.get("num_group", 1)
    x = R.standard_normal((2, 2, 4, 5))
    w = R.standard_normal((2, 4 // g, 3, 3))
    b = R.standard_normal(4)
    fn = lambda a, ww, bb: mx.nd.Deconvolution(a, ww, bb, kernel=(3, 3), num_filter=4,  # noqa
                                               no_bias=False, **kw)
    out = fn(*[mx.nd.array(v) for v in (x, w, b)])
    if "target_shape" in kw:
        assert out.shape[2:] == kw["target_shape"]
    _check_grad(fn, [x, w, b])


def test_deconvolution_is_convolution_transpose():
    # <conv(x, w), y> == <x, deconv(y, w)>
    x = R.standard_normal((1, 3, 6, 7))
    w = R.standard_normal((2, 3, 3, 3))
    conv = mx.nd.Convolution(mx.nd.array(x), mx.nd.array(w), kernel=(3, 3), num_filter=2,
                             stride=(2, 2), pad=(1, 1), no_bias=True).asnumpy()
    y = R.standard_normal(conv.shape)
    dec = mx.nd.Deconvolution(mx.nd.array(y), mx.nd.array(w), kernel=(3, 3), num_filter=3,
                              stride=(2, 2), pad=(1, 1), target_shape=(6, 7)).asnumpy()
    assert np.isclose((conv * y).sum(), (x * dec).sum(), rtol=1e-4)


def test_convolution_shape_errors_name_argument():
    x = mx.nd.ones((1, 3, 5, 5))
    with pytest.raises(MXNetError, match="Convolution"):
        mx.nd.Convolution(x, mx.nd.ones((2, 3, 3)), mx.nd.ones(2), kernel=(3, 3),
                          num_filter=2)
    from mxnet._ops.defs.nn.convolution import _conv_shape
    from mxnet._ops.registry import DECLARED
    op = next(o for o in DECLARED if o.name == "Convolution")
    attrs = op.parse({"kernel": (3, 3), "num_filter": 4, "num_group": 2})
    shapes, out = _conv_shape(attrs, [(2, 6, 8, 9), None, None])
    assert shapes[1:] == [(4, 3, 3, 3), (4,)] and out == [(2, 4, 6, 7)]
    with pytest.raises(MXNetError, match="weight.*\\(4, 3, 3, 3\\).*\\(4, 6, 3, 3\\)"):
        _conv_shape(attrs, [(2, 6, 8, 9), (4, 6, 3, 3), None])


@pytest.mark.parametrize("kw", [{"pool_type": "max", "kernel": (3, 2), "stride": (2, 1)},
                                {"pool_type": "avg", "kernel": (3, 3), "stride": (2, 2),
                                 "pad": (1, 1), "count_include_pad": False},
                                {"pool_type": "avg", "kernel": (3, 3), "stride": (2, 2),
                                 "pooling_convention": "full"},
                                {"pool_type": "sum", "kernel": (2,), "stride": (1,)},
                                {"pool_type": "lp", "p_value": 2, "kernel": (2, 2),
                                 "stride": (2, 2)},
                                {"pool_type": "avg", "global_pool": True, "kernel": (1, 1)},
                                {"pool_type": "max", "kernel": (2, 2, 2)}])
def test_pooling_gradients(kw):
    nsp = len(kw["kernel"]) if not kw.get("global_pool") else 2
    x = R.standard_normal((2, 2) + (6, 5, 4)[:nsp])
    _check_grad(lambda a: mx.nd.Pooling(a, **kw), [x])


def test_pooling_values():
    x = R.standard_normal((1, 2, 5, 6))
    out = mx.nd.Pooling(mx.nd.array(x), kernel=(2, 3), stride=(2, 3), pool_type="max")
    ref = x[:, :, :4].reshape(1, 2, 2, 2, 2, 3).max(axis=(3, 5))
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-6)
    out = mx.nd.Pooling(mx.nd.array(x), kernel=(2, 2), pool_type="avg", global_pool=True)
    np.testing.assert_allclose(out.asnumpy()[..., 0, 0], x.mean(axis=(2, 3)), rtol=1e-5)
    nhwc = mx.nd.Pooling(mx.nd.array(x.transpose(0, 2, 3, 1)), kernel=(2, 3),
                         stride=(2, 3), layout="NHWC")
    np.testing.assert_allclose(nhwc.asnumpy().transpose(0, 3, 1, 2), ref, rtol=1e-6)


def test_im2col_col2im_adjoint_and_gradients():
    x = R.standard_normal((1, 2, 5, 6))
    kw = {"kernel": (2, 3), "stride": (2, 1), "pad": (1, 1), "dilate": (1, 2)}
    cols = mx.nd.im2col(mx.nd.array(x), **kw).asnumpy()
    y = R.standard_normal(cols.shape)
    back = mx.nd.col2im(mx.nd.array(y), output_size=(5, 6), **kw).asnumpy()
    assert np.isclose((cols * y).sum(), (x * back).sum())
    _check_grad(lambda a: mx.nd.im2col(a, **kw), [x])
    _check_grad(lambda a: mx.nd.col2im(a, output_size=(5, 6), **kw), [y])


def test_upsampling_nearest_and_bilinear():
    x = R.standard_normal((1, 2, 2, 3))
    out = mx.nd.UpSampling(mx.nd.array(x), scale=2, sample_type="nearest").asnumpy()
    np.testing.assert_allclose(out, x.repeat(2, axis=2).repeat(2, axis=3))
    y = R.standard_normal((1, 2, 4, 6))
    _check_grad(lambda a, b: mx.nd.UpSampling(a, b, scale=2, sample_type="nearest",
                                              multi_input_mode="sum"), [y, x])
    w = R.standard_normal((2, 1, 4, 4))
    _check_grad(lambda a, ww: mx.nd.UpSampling(a, ww, scale=2, sample_type="bilinear",
                                               num_filter=2), [x, w])


def _conv_paths(monkeypatch, fn):
    """``fn()`` with several images per column block (batch axis last, then first),
    with blocks of a few rows of one image, and with the col2im data gradient instead
    of the flipped convolution (batch axis first, then last)."""
    from mxnet._ops.defs.nn import _blocked
    many = fn()
    monkeypatch.setattr(_blocked, "_SHORT_ROW", 1)
    first = fn()
    monkeypatch.setattr(_blocked, "_BLOCK_BYTES", 1)          # blocks of a few rows
    monkeypatch.setattr(_blocked, "_MIN_COPY", 1)
    rows = fn()
    monkeypatch.setattr(_blocked, "data_grad_usable", lambda *a: False)
    col2im_first = fn()
    monkeypatch.setattr(_blocked, "_SHORT_ROW", 1 << 20)
    return many, first, rows, col2im_first, fn()


@pytest.mark.parametrize("kw", [{"pad": (1, 1)}, {"pad": (2, 1), "dilate": (2, 1)},
                                {"num_group": 2, "pad": (1, 0)},
                                {"stride": (2, 1), "pad": (1, 1)}, {"pad": (0, 0)}])
def test_convolution_blocked_paths(monkeypatch, kw):
    g = kw.get("num_group", 1)
    x = R.standard_normal((3, 16 * g, 14, 15))
    w = R.standard_normal((16 * g, 16, 3, 2))
    b = R.standard_normal(16 * g)
    ref = _conv_ref(x, w, b, kw.get("stride", (1, 1)), kw["pad"], kw.get("dilate", (1, 1)), g)
    head = R.standard_normal(ref.shape)

    def run():
        args = [mx.nd.array(v, dtype="float64") for v in (x, w, b)]
        for a in args:
            a.attach_grad()
        with mx.autograd.record():
            out = mx.nd.Convolution(*args, kernel=(3, 2), num_filter=16 * g, **kw)
        out.backward(mx.nd.array(head, dtype="float64"))
        return [out.asnumpy()] + [a.grad.asnumpy() for a in args]

    many, *others = _conv_paths(monkeypatch, run)
    np.testing.assert_allclose(many[0], ref, rtol=1e-10, atol=1e-10)
    for other in others:
        for got, want in zip(other, many):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kw", [{"pad": (1, 1), "adj": (0, 0)}, {"target_shape": (15, 16)}])
def test_deconvolution_blocked_paths(monkeypatch, kw):
    x = R.standard_normal((2, 4, 13, 14))
    w = R.standard_normal((4, 16, 3, 3))
    head = None

    def run():
        nonlocal head
        args = [mx.nd.array(v, dtype="float64") for v in (x, w)]
        for a in args:
            a.attach_grad()
        with mx.autograd.record():
            out = mx.nd.Deconvolution(*args, kernel=(3, 3), num_filter=16, **kw)
        if head is None:
            head = R.standard_normal(out.shape)
        out.backward(mx.nd.array(head, dtype="float64"))
        return [out.asnumpy()] + [a.grad.asnumpy() for a in args]

    many, *others = _conv_paths(monkeypatch, run)
    for other in others:
        for got, want in zip(other, many):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_strided_padded_values(kind):
    x = R.standard_normal((2, 3, 9, 8))
    kw = dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type=kind,
              pooling_convention="full" if kind == "max" else "valid")
    _check_grad(lambda a: mx.nd.Pooling(a, **kw), [x])
    x[0, 0, :3, :3] = 1.5                      # ties
    out = mx.nd.Pooling(mx.nd.array(x), **kw).asnumpy()
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (1, 2), (1, 2)), constant_values=fill)
    ref = np.stack([np.stack([xp[:, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3]
                              for j in range(out.shape[3])], -1)
                    for i in range(out.shape[2])], -2)
    ref = ref.max(axis=(2, 3)) if kind == "max" else ref.sum(axis=(2, 3)) / 9
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)   # float32 sums


@pytest.mark.parametrize("layout", [None, "NHWC"])
def test_max_pooling_tiled_windows(layout):
    # kernel == stride, no padding: non-overlapping windows, the last row/column
    # (7 = 3 * 2 + 1) in no window
    x = R.standard_normal((2, 3, 7, 6))
    kw = dict(kernel=(2, 3), stride=(2, 3), pool_type="max")
    _check_grad(lambda a: mx.nd.Pooling(a, **kw), [x])
    x[0, 0, :2, :3] = 2.5                      # a window of ties
    ref = x[:, :, :6].reshape(2, 3, 3, 2, 2, 3).max(axis=(3, 5))
    data = x.transpose(0, 2, 3, 1) if layout else x
    a = mx.nd.array(data)
    a.attach_grad()
    with mx.autograd.record():
        out = mx.nd.Pooling(a, layout=layout, **kw)
    out.backward(mx.nd.ones(out.shape))
    got = out.asnumpy().transpose(0, 3, 1, 2) if layout else out.asnumpy()
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    grad = a.grad.asnumpy().transpose(0, 3, 1, 2) if layout else a.grad.asnumpy()
    assert grad[0, 0, 0, 0] == 1 and grad[0, 0, :2, :3].sum() == 1   # first maximum only
    assert not grad[:, :, 6].any()
    np.testing.assert_allclose(grad.sum(axis=(2, 3)), np.full((2, 3), 6.0))


def test_imperative_backward_skips_the_data_gradient_nobody_asked_for(monkeypatch):
    # data outside the recorded graph: the weight gradient is the same, and the backward
    # kernel is told not to compute dX (the costly col2im of a first layer)
    from mxnet._ops.defs.nn import convolution as conv
    seen = []
    kernel = conv._backward_convolution.forward

    def spy(*args, **kwargs):
        seen.append(kwargs.get("need_data_grad", True))
        return kernel(*args, **kwargs)

    monkeypatch.setattr(conv._backward_convolution, "forward", spy)
    rs = np.random.RandomState(0)
    x = mx.nd.array(rs.randn(2, 3, 6, 6))
    grads = []
    for attach in (True, False):
        w = mx.nd.array(np.random.RandomState(1).randn(4, 3, 3, 3))
        w.attach_grad()
        if attach:
            x.attach_grad()
        with mx.autograd.record():
            y = mx.nd.Convolution(x if attach else x.detach(), w, kernel=(3, 3),
                                  num_filter=4, no_bias=True)
        y.backward(mx.nd.ones_like(y))
        grads.append(w.grad.asnumpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)
    assert seen == [True, False]
