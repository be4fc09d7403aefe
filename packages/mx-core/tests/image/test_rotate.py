"""mx.image.imrotate / random_rotate (NumPy only) against MXNet 1.9.1's values."""
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "image"
GOLDEN = np.load(DATA / "imrotate.npz")
X = np.random.RandomState(0).rand(2, 3, 7, 9).astype("float32")


def _check(actual, key):
    np.testing.assert_allclose(actual.asnumpy(), GOLDEN[key], rtol=1e-5, atol=1e-6)


def test_imrotate_matches_mxnet():
    _check(mx.img.imrotate(mx.nd.array(X[0]), 30), "single")
    _check(mx.img.imrotate(mx.nd.array(X), mx.nd.array([10, -75])), "batch")
    _check(mx.img.imrotate(mx.nd.array(X), 45, zoom_in=True), "zin")
    _check(mx.img.imrotate(mx.nd.array(X), mx.nd.array([20, 200]), zoom_out=True), "zout")
    np.random.seed(5)
    _check(mx.img.random_rotate(mx.nd.array(X), (-30, 30)), "rand")


def test_imrotate_errors():
    with pytest.raises(TypeError, match="float32"):
        mx.img.imrotate(mx.nd.array(X[0], dtype="float64"), 30)
    with pytest.raises(ValueError, match="both"):
        mx.img.imrotate(mx.nd.array(X), 30, zoom_in=True, zoom_out=True)
    with pytest.raises(TypeError, match="scalar"):
        mx.img.imrotate(mx.nd.array(X[0]), mx.nd.array([1.0]))
    with pytest.raises(ValueError, match="number of images"):
        mx.img.imrotate(mx.nd.array(X), mx.nd.array([1.0, 2.0, 3.0]))
