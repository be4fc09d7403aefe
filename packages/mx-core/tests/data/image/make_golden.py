"""How the .npz files of this folder were made: run with MXNet 1.9.1's Python from this
folder (``/path/to/mxnet-1.9.1/bin/python make_golden.py``). a.png, s.rec/.idx/.lst,
det.rec/.idx (5 images with 1-3 boxes each) and imgs/ were written by mx-core (pack_img /
cv2.imwrite) from seeded random pixels."""
import random

import numpy as np

import mxnet as mx


def image_ops():
    out = {}
    buf = open("a.png", "rb").read()
    d = mx.img.imdecode(buf)
    out["dec"] = d.asnumpy()
    out["gray"] = mx.img.imdecode(buf, flag=0).asnumpy()
    out["bgr"] = mx.img.imdecode(buf, to_rgb=0).asnumpy()
    out["imread"] = mx.img.imread("a.png").asnumpy()
    for interp in (0, 1, 2, 3, 4):
        out["rs%d" % interp] = mx.img.imresize(d, 13, 7, interp=interp).asnumpy()
        out["rsf%d" % interp] = mx.img.imresize(d.astype("float32"), 41, 27,
                                                interp=interp).asnumpy()
    out["short"] = mx.img.resize_short(d, 10).asnumpy()
    out["cc"] = mx.img.center_crop(d, (8, 6))[0].asnumpy()
    out["cc_up"] = mx.img.center_crop(d, (40, 30))[0].asnumpy()
    out["border"] = mx.img.copyMakeBorder(d, 1, 2, 3, 4, type=1).asnumpy()
    random.seed(1)
    np.random.seed(1)
    augs = mx.img.CreateAugmenter((3, 8, 8), resize=10, rand_crop=True, rand_resize=True,
                                  rand_mirror=True, mean=True, std=True, brightness=0.1,
                                  contrast=0.1, saturation=0.1, hue=0.1, pca_noise=0.1,
                                  rand_gray=0.5)
    x = d
    for a in augs:
        x = a(x)
    out["augs"] = x.asnumpy()
    np.savez_compressed("image_ops.npz", **out)


def image_iter():
    out = {}
    sources = dict(rec=dict(path_imgrec="s.rec"),
                   idx=dict(path_imgrec="s.rec", path_imgidx="s.idx"),
                   lst=dict(path_imglist="s.lst", path_root="imgs"))
    for lbh in ("pad", "discard", "roll_over"):
        for src, kw in sources.items():
            it = mx.image.ImageIter(2, (3, 8, 8), last_batch_handle=lbh, **kw)
            for ep in range(3):
                for b, batch in enumerate(it):
                    key = "%s-%s-%d-%d-" % (lbh, src, ep, b)
                    out[key + "data"] = batch.data[0].asnumpy()
                    out[key + "label"] = batch.label[0].asnumpy()
                    out[key + "pad"] = np.array(batch.pad)
                it.reset()
    random.seed(3)
    it = mx.image.ImageIter(2, (3, 8, 8), path_imgrec="s.rec", path_imgidx="s.idx",
                            shuffle=True)
    out["shuffle"] = np.concatenate([b.label[0].asnumpy() for b in it])
    np.savez_compressed("imageiter.npz", **out)


def image_rotate():
    x = np.random.RandomState(0).rand(2, 3, 7, 9).astype("float32")
    out = {}
    out["single"] = mx.img.imrotate(mx.nd.array(x[0]), 30).asnumpy()
    out["batch"] = mx.img.imrotate(mx.nd.array(x), mx.nd.array([10, -75])).asnumpy()
    out["zin"] = mx.img.imrotate(mx.nd.array(x), 45, zoom_in=True).asnumpy()
    out["zout"] = mx.img.imrotate(mx.nd.array(x), mx.nd.array([20, 200]),
                                  zoom_out=True).asnumpy()
    np.random.seed(5)
    out["rand"] = mx.img.random_rotate(mx.nd.array(x), (-30, 30)).asnumpy()
    np.savez_compressed("imrotate.npz", **out)


def image_record_iter():
    out = {}

    def run(tag, epochs=3, **kw):
        it = mx.io.ImageRecordIter(path_imgrec="s.rec", **kw)
        for ep in range(epochs):
            for b, batch in enumerate(it):
                key = "%s-%d-%d-" % (tag, ep, b)
                out[key + "data"] = batch.data[0].asnumpy()
                out[key + "label"] = batch.label[0].asnumpy()
                out[key + "pad"] = np.array(batch.pad)
            it.reset()
    run("norm", data_shape=(3, 8, 8), batch_size=3, mean_r=10, mean_g=20, mean_b=30,
        std_r=2, std_g=3, std_b=4, scale=0.5)
    run("resize", data_shape=(3, 8, 8), batch_size=2, resize=9)
    run("idx", data_shape=(3, 6, 6), batch_size=5, path_imgidx="s.idx", resize=7,
        inter_method=2)
    run("gray", epochs=1, data_shape=(1, 8, 8), batch_size=5)
    run("u8", epochs=1, data_shape=(3, 8, 8), batch_size=5, dtype="uint8")
    np.savez_compressed("imagerecorditer.npz", **out)


def image_det_iter():
    out = {}

    def run(tag, epochs=2, seed=None, **kw):
        if seed is not None:
            random.seed(seed)
            np.random.seed(seed)
        it = mx.image.ImageDetIter(2, (3, 16, 16), path_imgrec="det.rec", path_imgidx="det.idx",
                                   **kw)
        out[tag + "-shape"] = np.array(it.provide_label[0][1])
        for ep in range(epochs):
            for b, batch in enumerate(it):
                key = "%s-%d-%d-" % (tag, ep, b)
                out[key + "data"] = batch.data[0].asnumpy()
                out[key + "label"] = batch.label[0].asnumpy()
                out[key + "pad"] = np.array(batch.pad)
            it.reset()
    run("plain")
    run("aug", seed=4, rand_crop=1, rand_pad=0.5, rand_mirror=True, mean=True, std=True)
    run("roll", last_batch_handle="roll_over", epochs=3)
    np.savez_compressed("imagedetiter.npz", **out)


if __name__ == "__main__":
    image_ops()
    image_iter()
    image_rotate()
    image_record_iter()
    image_det_iter()
