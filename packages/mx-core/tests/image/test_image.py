"""mx.image against values written by MXNet 1.9.1 (see data/image/make_golden.py)."""
import pathlib
import random

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

cv2 = pytest.importorskip("cv2")

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "image"
OPS = np.load(DATA / "image_ops.npz")
ITER = np.load(DATA / "imageiter.npz")


def _close(actual, key, atol):
    expect = OPS[key]
    assert actual.shape == expect.shape and actual.dtype == expect.dtype
    np.testing.assert_allclose(actual.astype(float), expect.astype(float), atol=atol)


def _decoded():
    return mx.img.imdecode((DATA / "a.png").read_bytes())


def test_decode_and_read():
    buf = (DATA / "a.png").read_bytes()
    _close(_decoded().asnumpy(), "dec", 0)
    _close(mx.img.imdecode(buf, flag=0).asnumpy(), "gray", 0)
    _close(mx.img.imdecode(buf, to_rgb=0).asnumpy(), "bgr", 0)
    _close(mx.img.imdecode(np.frombuffer(buf, np.uint8)).asnumpy(), "dec", 0)
    _close(mx.img.imread(str(DATA / "a.png")).asnumpy(), "imread", 0)


def test_decode_errors():
    with pytest.raises(MXNetError, match="Invalid image"):
        mx.img.imdecode(b"not an image")
    # an empty buffer is MXNetError too (OpenCV itself would assert)
    with pytest.raises(MXNetError):
        mx.img.imdecode(b"", to_rgb=0)
    with pytest.raises(ValueError, match="bytes"):
        mx.img.imdecode("a string")
    with pytest.raises(MXNetError, match="cannot read"):
        mx.img.imread(str(DATA / "missing.png"))


@pytest.mark.parametrize("interp", [0, 1, 2, 3, 4])
def test_imresize(interp):
    d = _decoded()
    # NOTE: OpenCV versions differ by one grey level in a few cubic/Lanczos pixels.
    _close(mx.img.imresize(d, 13, 7, interp=interp).asnumpy(), f"rs{interp}", 1)
    _close(mx.img.imresize(d.astype("float32"), 41, 27, interp=interp).asnumpy(),
           f"rsf{interp}", 1e-2)


def test_crops_and_border():
    d = _decoded()
    _close(mx.img.resize_short(d, 10).asnumpy(), "short", 1)
    crop, rect = mx.img.center_crop(d, (8, 6))
    _close(crop.asnumpy(), "cc", 0)
    assert rect == (11, 7, 8, 6)
    _close(mx.img.center_crop(d, (40, 30))[0].asnumpy(), "cc_up", 1)
    _close(mx.img.copyMakeBorder(d, 1, 2, 3, 4, type=1).asnumpy(), "border", 0)
    assert mx.img.scale_down((640, 480), (720, 120)) == (640, 106)
    np.testing.assert_array_equal(mx.img.fixed_crop(d, 2, 3, 4, 5).asnumpy(),
                                  d.asnumpy()[3:8, 2:6])
    out, (x0, y0, w, h) = mx.img.random_crop(d, (5, 4))
    np.testing.assert_array_equal(out.asnumpy(), d.asnumpy()[y0:y0 + h, x0:x0 + w])
    norm = mx.img.color_normalize(d.astype("float32"), mx.nd.array([1, 2, 3]),
                                  mx.nd.array([2, 2, 2]))
    np.testing.assert_allclose(norm.asnumpy(), (d.asnumpy() - [1, 2, 3]) / 2, rtol=1e-6)


def test_create_augmenter_matches_mxnet_draws():
    random.seed(1)
    np.random.seed(1)
    augs = mx.img.CreateAugmenter((3, 8, 8), resize=10, rand_crop=True, rand_resize=True,
                                  rand_mirror=True, mean=True, std=True, brightness=0.1,
                                  contrast=0.1, saturation=0.1, hue=0.1, pca_noise=0.1,
                                  rand_gray=0.5)
    x = _decoded()
    for aug in augs:
        x = aug(x)
    # one grey level of cubic resizing difference, divided by std ~58
    _close(x.asnumpy(), "augs", 0.05)
    assert augs[0].dumps() == '["resizeaug", {"size": 10, "interp": 2}]'


@pytest.mark.parametrize("lbh", ["pad", "discard", "roll_over"])
@pytest.mark.parametrize("src", ["rec", "idx", "lst"])
def test_imageiter_matches_mxnet(lbh, src):
    kwargs = dict(rec=dict(path_imgrec=str(DATA / "s.rec")),
                  idx=dict(path_imgrec=str(DATA / "s.rec"), path_imgidx=str(DATA / "s.idx")),
                  lst=dict(path_imglist=str(DATA / "s.lst"), path_root=str(DATA / "imgs")))[src]
    it = mx.image.ImageIter(2, (3, 8, 8), last_batch_handle=lbh, **kwargs)
    for epoch in range(3):
        batches = list(it)
        expected = sum(1 for k in ITER.files if k.startswith(f"{lbh}-{src}-{epoch}-")
                       and k.endswith("-pad"))
        assert len(batches) == expected
        for b, batch in enumerate(batches):
            key = f"{lbh}-{src}-{epoch}-{b}-"
            np.testing.assert_allclose(batch.data[0].asnumpy(), ITER[key + "data"], atol=1e-4)
            np.testing.assert_array_equal(batch.label[0].asnumpy(), ITER[key + "label"])
            assert batch.pad == int(ITER[key + "pad"])
        it.reset()


def test_imageiter_shuffle_uses_python_random():
    random.seed(3)
    it = mx.image.ImageIter(2, (3, 8, 8), path_imgrec=str(DATA / "s.rec"),
                            path_imgidx=str(DATA / "s.idx"), shuffle=True)
    labels = np.concatenate([b.label[0].asnumpy() for b in it])
    np.testing.assert_array_equal(labels, ITER["shuffle"])


def test_imageiter_imglist_and_errors():
    imglist = [[float(i), f"{i}.png"] for i in range(5)]
    it = mx.image.ImageIter(5, (3, 8, 8), imglist=imglist, path_root=str(DATA / "imgs"))
    assert next(it).label[0].asnumpy().tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="3 channels"):
        mx.image.ImageIter(1, (1, 8, 8), imglist=imglist)
    with pytest.raises(ValueError, match="needs"):
        mx.image.ImageIter(1, (3, 8, 8))
