"""mx.nd.image operators (_ops/defs/image/) against MXNet 1.9.1's golden outputs.

tests/data/image_ops/golden.npz is written by make_golden.py with the real MXNet.
"""
import os

import numpy as np
import pytest

import mxnet as mx
from mxnet._ops.defs.image import resize as image_ops
from mxnet._test_utils.finite_diff import check_grad
from mxnet.base import MXNetError

_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "image_ops")
GOLDEN = dict(np.load(os.path.join(_DIR, "golden.npz")))


def _load_cases():
    # make_golden.py imports the reference mxnet at the top; read its CASES table only.
    with open(os.path.join(_DIR, "make_golden.py")) as f:
        src = f.read()
    table = src[src.index("CASES = ["):src.index("]\n\n\ndef main")] + "]"
    scope = {}
    exec(table, scope)  # noqa: S102  (a literal table from our own data folder)
    return scope["CASES"]


CASES = _load_cases()


def _nd(a):
    return mx.nd.array(a, dtype=a.dtype)


@pytest.mark.parametrize("key,op,src,kwargs", CASES, ids=[c[0] for c in CASES])
def test_matches_mxnet(key, op, src, kwargs):
    out = getattr(mx.nd.image, op)(_nd(GOLDEN[f"in_{src}"]), **kwargs)
    want = GOLDEN[f"out_{key}"]
    assert out.shape == want.shape
    assert out.dtype == want.dtype
    got = out.asnumpy()
    # hue's float HLS round trip may land a pixel one step away after truncation; without
    # OpenCV, resize runs the xp kernel (float weights, not OpenCV's fixed point)
    loose = "hue" in key or (op == "resize" and image_ops._cv2() is None)
    if want.dtype == np.uint8:
        assert np.abs(got.astype(int) - want.astype(int)).max() <= (1 if loose else 0)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-2 if loose else 1e-5)


@pytest.mark.parametrize("key,size,interp", [("resize_nearest", (4, 3), 0),
                                             ("resize_linear", (11, 8), 1),
                                             ("resize_linear_down", (3, 2), 1),
                                             ("resize_f32", (9, 4), 1)])
def test_resize_xp_fallback_close_to_opencv(key, size, interp):
    src = GOLDEN["in_f32" if key == "resize_f32" else "in_u8"]
    got = image_ops._resize_xp(np, src, size[1], size[0], interp)
    want = GOLDEN[f"out_{key}"]
    assert got.dtype == want.dtype and got.shape == want.shape
    # OpenCV's uint8 bilinear uses 11-bit fixed-point weights: off by one at most
    np.testing.assert_allclose(got.astype(np.float64), want, atol=1.0 + 1e-3)


def test_shapes_symbolic():
    pytest.importorskip("mxnet.symbol", reason="symbolic shapes need mx-symbol")
    data = mx.sym.var("data")
    cases = [(mx.sym.image.to_tensor(data), (2, 5, 7, 3), (2, 3, 5, 7)),
             (mx.sym.image.normalize(data, mean=0.5, std=0.2), (3, 5, 7), (3, 5, 7)),
             (mx.sym.image.resize(data, size=4, keep_ratio=True), (5, 7, 3), (4, 5, 3)),
             (mx.sym.image.resize(data, size=(6, 2)), (2, 5, 7, 1), (2, 2, 6, 1)),
             (mx.sym.image.crop(data, x=1, y=1, width=3, height=2), (5, 7, 3), (2, 3, 3)),
             (mx.sym.image.flip_top_bottom(data), (5, 7, 1), (5, 7, 1)),
             (mx.sym.image.random_hue(data, min_factor=0.5, max_factor=1.5), (5, 7, 3),
              (5, 7, 3))]
    for sym, shape, want in cases:
        _, out_shapes, _ = sym.infer_shape(data=shape)
        assert out_shapes == [want]


@pytest.mark.parametrize("op,kwargs,shape", [
    ("normalize", {"mean": (1, 2), "std": 1}, (3, 4, 4)),
    ("normalize", {}, (3, 4, 4)),        # MXNet's 4-element defaults fit no image
    ("normalize", {"mean": 0, "std": 1}, (4, 4, 4)),
    ("to_tensor", {}, (4, 4)),
    ("flip_left_right", {}, (2, 4, 4, 3)),
    ("random_brightness", {"min_factor": 1, "max_factor": 1}, (4, 4, 2)),
    ("crop", {"x": 2, "y": 0, "width": 3, "height": 1}, (4, 4, 3)),
    ("resize", {"size": (1, 2, 3)}, (4, 4, 3)),
])
def test_invalid_inputs_raise(op, kwargs, shape):
    with pytest.raises(MXNetError, match=op):
        getattr(mx.nd.image, op)(mx.nd.ones(shape), **kwargs)


def test_random_ops_draw_in_range():
    mx.random.seed(3)
    img = _nd(GOLDEN["in_f32"])
    for _ in range(5):
        out = mx.nd.image.random_brightness(img, min_factor=0.5, max_factor=0.8).asnumpy()
        ratio = out / np.maximum(img.asnumpy(), 1e-3)
        assert np.allclose(ratio, ratio.flat[0], rtol=1e-4)
        assert 0.5 <= ratio.flat[0] <= 0.8
    seen = set()
    for _ in range(20):
        out = mx.nd.image.random_flip_left_right(img).asnumpy()
        seen.add(bool(np.array_equal(out, img.asnumpy()[:, ::-1])))
        assert np.array_equal(out, img.asnumpy()) or np.array_equal(out, img.asnumpy()[:, ::-1])
    assert seen == {True, False}
    out = mx.nd.image.random_lighting(img, alpha_std=0.1)
    assert out.shape == img.shape and not np.array_equal(out.asnumpy(), img.asnumpy())
    out = mx.nd.image.random_color_jitter(img, brightness=0.2, contrast=0.2, saturation=0.2,
                                          hue=0.1)
    assert out.shape == img.shape and out.dtype == np.float32


def test_random_ops_follow_seed():
    img = _nd(GOLDEN["in_u8"])
    runs = []
    for _ in range(2):
        mx.random.seed(11)
        runs.append(mx.nd.image.random_color_jitter(img, brightness=0.3, contrast=0.3,
                                                    saturation=0.3, hue=0.2).asnumpy())
    np.testing.assert_array_equal(*runs)


def test_grad_normalize_and_crop():
    rs = np.random.RandomState(0)
    check_grad(lambda x: mx.nd.image.normalize(x, mean=(0.1, 0.2, 0.3), std=(0.5, 2.0, 4.0)),
               [rs.rand(3, 4, 5)], rtol=1e-4, atol=1e-6)
    check_grad(lambda x: mx.nd.image.normalize(x, mean=0.5, std=0.25),
               [rs.rand(2, 1, 4, 5)], rtol=1e-4, atol=1e-6)
    check_grad(lambda x: mx.nd.image.crop(x, x=1, y=2, width=2, height=2),
               [rs.rand(5, 4, 3)], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("op,kwargs", [("flip_left_right", {}), ("random_flip_top_bottom", {}),
                                       ("random_brightness", {"min_factor": 2.0,
                                                              "max_factor": 2.0}),
                                       ("adjust_lighting", {"alpha": (0.1, 0.2, 0.3)})])
def test_grad_is_copy_like_mxnet(op, kwargs):
    # MXNet 1.9.1 registers these with a pass-through ("_copy") gradient.
    x = mx.nd.array(np.random.RandomState(1).rand(3, 2, 3))
    head = mx.nd.array(np.arange(18, dtype=np.float32).reshape(3, 2, 3))
    x.attach_grad()
    with mx.autograd.record():
        y = getattr(mx.nd.image, op)(x, **kwargs)
    y.backward(head)
    np.testing.assert_array_equal(x.grad.asnumpy(), head.asnumpy())


def test_grad_of_grad_normalize():
    x = mx.nd.array(np.ones((3, 2, 2)))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.image.normalize(x, mean=0.0, std=(1.0, 2.0, 4.0))
        (gx,) = mx.autograd.grad(y, [x], head_grads=mx.nd.ones_like(y), create_graph=True)
    np.testing.assert_allclose(gx.asnumpy()[:, 0, 0], [1.0, 0.5, 0.25])
