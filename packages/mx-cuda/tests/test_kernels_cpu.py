"""The GPU kernels' algorithms, run with ``xp=numpy`` against mx-core's generic code.

Every kernel takes the array namespace like mx-core's operators; only the elementwise
fusion (``cupy.ElementwiseKernel``) and the atomic scatter differ on a GPU, and each
has a NumPy twin that is the reference here. So the im2col/col2im index arithmetic,
the pooling windows and the fused formulas are verified on any machine.
"""
import numpy as np
import pytest

import mxnet as mx
from mxnet_cuda import fusion
from mxnet_cuda.kernels import batch_norm, conv, lstm, pooling, softmax
from mxnet_cuda.kernels.window import window_index

OPS = mx.plugins.get_registry("ops")
RNG = np.random.default_rng(0)


def _close(got, ref, dtype):
    tol = 2e-2 if dtype == "float16" else 1e-5
    np.testing.assert_allclose(np.asarray(got, "f8"), np.asarray(ref, "f8"), rtol=tol,
                               atol=tol)


def test_window_index_is_the_strided_slices():
    # 2 x 3 windows of a (5, 7) image, stride (2, 1), dilation (1, 2)
    idx = window_index((5, 7), (2, 3), (2, 1), (1, 2), (2, 3))
    img = np.arange(35).reshape(5, 7)
    for kk, (a, b) in enumerate(np.ndindex(2, 3)):
        expect = img[a:a + 3:2, 2 * b:2 * b + 3][:2, :3].ravel()
        np.testing.assert_array_equal(idx[kk], expect)


CONV_CASES = [
    ((2, 4, 7, 6), dict(kernel=(3, 3), num_filter=6, stride=(2, 1), pad=(1, 2),
                        dilate=(1, 2), num_group=2)),
    ((2, 3, 9), dict(kernel=(3,), num_filter=4, pad=(1,))),
    ((1, 2, 5, 4, 6), dict(kernel=(2, 3, 2), num_filter=2, pad=(1, 0, 1), no_bias=True)),
]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("shape,params", CONV_CASES)
def test_convolution_and_gradients(shape, params, dtype):
    fwd, bwd = OPS.get("Convolution"), OPS.get("_backward_Convolution")
    attrs = fwd.parse(dict(params))
    g = attrs["num_group"]
    x = RNG.standard_normal(shape).astype(dtype)
    w = RNG.standard_normal((attrs["num_filter"], shape[1] // g)
                            + tuple(attrs["kernel"])).astype(dtype)
    args = [x, w] if attrs["no_bias"] else [x, w, RNG.standard_normal(
        attrs["num_filter"]).astype(dtype)]
    ref = fwd.forward(np, *args, **attrs)
    got = conv.convolution(np, *args, **attrs)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    _close(got, ref, dtype)
    go = RNG.standard_normal(ref.shape).astype(dtype)
    for r, k in zip(bwd.forward(np, go, *args, **attrs),
                    conv.backward_convolution(np, go, *args, **attrs)):
        assert k.dtype == r.dtype and k.shape == r.shape
        _close(k, r, dtype)


DECONV_CASES = [
    ((2, 4, 5, 4), dict(kernel=(3, 3), num_filter=6, stride=(2, 2), pad=(1, 1),
                        adj=(1, 0), num_group=2)),
    ((2, 3, 6), dict(kernel=(4,), num_filter=2, stride=(2,), no_bias=True)),
    ((1, 2, 3, 4), dict(kernel=(2, 2), num_filter=3, target_shape=(5, 7), stride=(2, 2))),
]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("shape,params", DECONV_CASES)
def test_deconvolution_and_gradients(shape, params, dtype):
    fwd, bwd = OPS.get("Deconvolution"), OPS.get("_backward_Deconvolution")
    attrs = fwd.parse(dict(params))
    g = attrs["num_group"]
    x = RNG.standard_normal(shape).astype(dtype)
    w = RNG.standard_normal((shape[1], attrs["num_filter"] // g)
                            + tuple(attrs["kernel"])).astype(dtype)
    args = [x, w] if attrs["no_bias"] else [x, w, RNG.standard_normal(
        attrs["num_filter"]).astype(dtype)]
    ref = fwd.forward(np, *args, **attrs)
    got = conv.deconvolution(np, *args, **attrs)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    _close(got, ref, dtype)
    go = RNG.standard_normal(ref.shape).astype(dtype)
    for r, k in zip(bwd.forward(np, go, *args, **attrs),
                    conv.backward_deconvolution(np, go, *args, **attrs)):
        assert k.dtype == r.dtype and k.shape == r.shape
        _close(k, r, dtype)


POOL_CASES = [
    dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="max"),
    dict(kernel=(3, 2), stride=(2, 1), pad=(1, 0), pool_type="avg",
         pooling_convention="full"),
    dict(kernel=(3, 2), stride=(2, 1), pad=(1, 1), pool_type="avg",
         count_include_pad=False),
    dict(kernel=(2, 2), pool_type="sum"),
    dict(kernel=(2, 2), pool_type="max", pooling_convention="same"),
    dict(global_pool=True, pool_type="avg"),          # generic fallback
    dict(kernel=(2, 2), pool_type="lp", p_value=2),   # generic fallback
]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("params", POOL_CASES)
def test_pooling_and_gradient(params, dtype):
    fwd, bwd = OPS.get("Pooling"), OPS.get("_backward_Pooling")
    attrs = fwd.parse(dict(params))
    x = RNG.standard_normal((2, 3, 7, 6)).astype(dtype)
    ref = fwd.forward(np, x, **attrs)
    got = pooling.pooling(np, x, **attrs)
    if isinstance(ref, tuple):
        assert len(got) == len(ref)
        ref, got = ref[0], got[0]
    assert got.dtype == ref.dtype
    _close(got, ref, dtype)
    go = RNG.standard_normal(ref.shape).astype(dtype)
    _close(pooling.backward_pooling(np, go, x, got, **attrs),
           bwd.forward(np, go, x, ref, **attrs), dtype)


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("is_train,fix_gamma", [(True, False), (False, False),
                                                (True, True)])
def test_batch_norm(dtype, is_train, fix_gamma):
    op = OPS.get("BatchNorm")
    attrs = op.parse({"fix_gamma": fix_gamma})
    x = (RNG.standard_normal((4, 3, 5, 5)) * 3 + 1).astype(dtype)
    params = [(RNG.random(3) + 0.5).astype("float32") for _ in range(4)]
    ref = op.forward(np, x, *params, is_train=is_train, **attrs)
    got = batch_norm.batch_norm(np, x, *params, is_train=is_train, **attrs)
    for r, k in zip(ref, got):
        assert r.dtype == k.dtype
        _close(k, r, dtype)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("params", [{}, {"axis": 1, "temperature": 2.0},
                                    {"axis": 0, "dtype": "float32"}])
def test_softmax_family(name, dtype, params):
    op = OPS.get(name)
    attrs = op.parse(dict(params))
    x = (RNG.standard_normal((3, 7, 2)) * 4).astype(dtype)
    ref = op.forward(np, x, **attrs)
    got = softmax.KERNELS[name](np, x, **attrs)
    assert got.dtype == ref.dtype
    _close(got, ref, dtype)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_lstm_cell_matches_the_generic_step(dtype):
    from mxnet._ops.defs.nn import _rnn_cell
    hs = 5
    a = RNG.standard_normal((3, 4 * hs)).astype(dtype)
    c = RNG.standard_normal((3, hs)).astype(dtype)
    zeros = np.zeros((3, hs), dtype)
    h, c_new, cache = _rnn_cell._step(np, "lstm", a, zeros, c,
                                      np.zeros((4 * hs, hs), dtype), None, hs)
    got = lstm.lstm_cell(np, a, c)
    for r, k in zip((h, c_new) + tuple(cache[:5]), got):
        assert k.dtype == np.dtype(dtype)
        _close(k, r, dtype)


def _chain():
    # y = relu(a * 2 + b) ; z = tanh(y) - b   (two outputs)
    return [("_mul_scalar", {"scalar": 2.0}, [("in", 0)]),
            ("broadcast_add", {}, [("node", 0), ("in", 1)]),
            ("Activation", {"act_type": "relu"}, [("node", 1)]),
            ("tanh", {}, [("node", 2)]),
            ("elemwise_sub", {}, [("node", 3), ("in", 1)])]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_fusion_matches_the_operators(dtype):
    kernel = fusion.fuse(_chain(), num_inputs=2, outputs=[2, 4])
    a = RNG.standard_normal((4, 3)).astype(dtype)
    b = RNG.standard_normal((4, 3)).astype(dtype)
    y, z = kernel(np, a, b)
    na, nb = mx.nd.array(a, dtype=dtype), mx.nd.array(b, dtype=dtype)
    ref_y = mx.nd.relu(na * 2 + nb)
    _close(y, ref_y.asnumpy(), dtype)
    _close(z, (mx.nd.tanh(ref_y) - nb).asnumpy(), dtype)
    assert y.dtype == np.dtype(dtype)


def test_fusion_source_and_errors():
    kernel = fusion.fuse(_chain(), num_inputs=2, outputs=[2, 4])
    assert kernel.source.splitlines() == [
        "S x0 = (S)in0;", "S x1 = (S)in1;", "S v0 = (x0 * (S)2.0);",
        "S v1 = (v0 + x1);", "S v2 = max(v1, (S)0);", "S v3 = tanh(v2);",
        "S v4 = (v3 - x1);", "out0 = (T)v2;", "out1 = (T)v4;"]
    assert fusion.can_fuse("Activation", {"act_type": "tanh"})
    assert not fusion.can_fuse("Activation", {"act_type": "softrelu"})
    assert not fusion.can_fuse("FullyConnected")
    with pytest.raises(ValueError, match="FullyConnected"):
        fusion.fuse([("FullyConnected", {}, [("in", 0)])], 1, [0])
