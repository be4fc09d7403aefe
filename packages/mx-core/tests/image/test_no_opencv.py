"""Without OpenCV, mx.image still imports and its decoders name the extra to install."""
import builtins

import numpy as np
import pytest

import mxnet as mx


@pytest.fixture
def no_cv2(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "cv2":
            raise ImportError("No module named 'cv2'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_decode_names_the_extra(no_cv2):
    with pytest.raises(ImportError, match=r"pip install mx-core\[image\]"):
        mx.img.imdecode(b"\x89PNG")
    with pytest.raises(ImportError, match=r"pip install mx-core\[image\]"):
        mx.img.imresize(mx.nd.zeros((2, 2, 3)), 4, 4)


def test_numpy_only_helpers_work(no_cv2):
    img = mx.nd.array(np.arange(24).reshape(2, 4, 3))
    crop, rect = mx.img.center_crop(img, (2, 2))
    assert rect == (1, 0, 2, 2)
    np.testing.assert_array_equal(crop.asnumpy(), img.asnumpy()[0:2, 1:3])
    flipped = mx.img.HorizontalFlipAug(1.0)(img)
    np.testing.assert_array_equal(flipped.asnumpy(), img.asnumpy()[:, ::-1])
