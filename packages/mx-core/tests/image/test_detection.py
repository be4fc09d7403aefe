"""mx.image.ImageDetIter and the detection augmenters against MXNet 1.9.1."""
import pathlib
import random

import numpy as np
import pytest

import mxnet as mx

pytest.importorskip("cv2")

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "image"
GOLDEN = np.load(DATA / "imagedetiter.npz")
RUNS = {"plain": dict(epochs=2),
        "aug": dict(epochs=2, seed=4, rand_crop=1, rand_pad=0.5, rand_mirror=True, mean=True,
                    std=True),
        "roll": dict(epochs=3, last_batch_handle="roll_over")}


@pytest.mark.parametrize("tag", sorted(RUNS))
def test_image_det_iter_matches_mxnet(tag):
    kwargs = dict(RUNS[tag])
    epochs, seed = kwargs.pop("epochs"), kwargs.pop("seed", None)
    if seed is not None:        # the crop/pad/flip draws follow Python's and NumPy's RNGs
        random.seed(seed)
        np.random.seed(seed)
    it = mx.image.ImageDetIter(2, (3, 16, 16), path_imgrec=str(DATA / "det.rec"),
                               path_imgidx=str(DATA / "det.idx"), **kwargs)
    assert it.provide_label[0][1] == tuple(GOLDEN[tag + "-shape"])
    for ep in range(epochs):
        batches = list(it)
        assert len(batches) == sum(1 for k in GOLDEN.files
                                   if k.startswith(f"{tag}-{ep}-") and k.endswith("-pad"))
        for b, batch in enumerate(batches):
            key = f"{tag}-{ep}-{b}-"
            # NOTE: one grey level of OpenCV cubic resizing, divided by std ~58
            np.testing.assert_allclose(batch.data[0].asnumpy(), GOLDEN[key + "data"], atol=0.05)
            np.testing.assert_allclose(batch.label[0].asnumpy(), GOLDEN[key + "label"],
                                       rtol=1e-6)
            assert batch.pad == int(GOLDEN[key + "pad"])
        it.reset()


def test_det_augmenters_and_label_shape_sync():
    label = np.array([[0, 0.1, 0.2, 0.5, 0.6], [1, 0.3, 0.3, 0.9, 0.8]], np.float32)
    img = mx.nd.array(np.arange(20 * 30 * 3).reshape(20, 30, 3) % 255)
    flipped, flabel = mx.image.DetHorizontalFlipAug(1.0)(img, label.copy())
    np.testing.assert_array_equal(flipped.asnumpy(), img.asnumpy()[:, ::-1])
    np.testing.assert_allclose(flabel[:, [1, 3]], 1 - label[:, [3, 1]], rtol=1e-6)
    random.seed(0)
    padded, plabel = mx.image.DetRandomPadAug(pad_val=(1, 2, 3))(img, label.copy())
    h, w = padded.shape[:2]
    assert h > 20 and w > 30
    # the boxes still cover the same pixels of the padded canvas
    np.testing.assert_allclose((plabel[:, 3] - plabel[:, 1]) * w, (label[:, 3] - label[:, 1]) * 30,
                               rtol=1e-5)
    a = mx.image.ImageDetIter(1, (3, 16, 16), path_imgrec=str(DATA / "det.rec"))
    b = mx.image.ImageDetIter(1, (3, 16, 16), path_imgrec=str(DATA / "det.rec"))
    b.reshape(label_shape=(5, 5))
    a.sync_label_shape(b)
    assert a.provide_label[0][1] == (1, 5, 5) == b.provide_label[0][1]
    with pytest.raises(ValueError, match="reduce"):
        a.reshape(label_shape=(1, 5))
