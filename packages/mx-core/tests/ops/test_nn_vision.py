"""ROIPooling, contrib.ROIAlign, Correlation, contrib.box_nms: values and finite
differences (float64)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils.finite_diff import check_grad

R = np.random.default_rng(0)


def _check_grad(fn, inputs, wrt=None, rtol=1e-4, atol=1e-6, eps=1e-6, train=True):
    """Autograd against central differences of sum(head * fn(*inputs)), float64."""
    check_grad(fn, inputs, rtol=rtol, atol=atol, eps=eps, wrt=wrt, train=train)


ROIS = np.array([[0, 0, 0, 4, 3], [1, 1.2, 0.6, 5.5, 4.4], [0, 2, 1, 2, 1]])


def test_roi_pooling_values_and_gradient():
    x = R.standard_normal((2, 2, 5, 6))
    out = mx.nd.ROIPooling(mx.nd.array(x), mx.nd.array(ROIS), pooled_size=(2, 2),
                           spatial_scale=1.0).asnumpy()
    # the first region covers rows 0..3, cols 0..4: bins rows [0,2) [2,4), cols [0,3) [2,5)
    np.testing.assert_allclose(out[0, :, 0, 0], x[0, :, 0:2, 0:3].max(axis=(1, 2)),
                               rtol=1e-6)
    np.testing.assert_allclose(out[0, :, 1, 1], x[0, :, 2:4, 2:5].max(axis=(1, 2)),
                               rtol=1e-6)
    rois = mx.nd.array(ROIS, dtype="float64")
    _check_grad(lambda a: mx.nd.ROIPooling(a, rois, pooled_size=(2, 3), spatial_scale=1.0),
                [x])


@pytest.mark.parametrize("kw", [{"sample_ratio": 2}, {"sample_ratio": -1, "aligned": True}])
def test_roi_align_gradient(kw):
    x = R.standard_normal((2, 2, 5, 6))
    rois = mx.nd.array(ROIS, dtype="float64")
    _check_grad(lambda a: mx.nd.contrib.ROIAlign(a, rois, pooled_size=(2, 2),
                                                 spatial_scale=1.0, **kw), [x])


def test_roi_align_of_constant_is_constant():
    x = np.full((1, 1, 6, 6), 3.0)
    out = mx.nd.contrib.ROIAlign(mx.nd.array(x), mx.nd.array([[0, 1, 1, 4, 4]]),
                                 pooled_size=(2, 2), spatial_scale=1.0).asnumpy()
    np.testing.assert_allclose(out, 3.0, rtol=1e-6)


@pytest.mark.parametrize("kw", [{"kernel_size": 1, "max_displacement": 1, "pad_size": 1},
                                {"kernel_size": 3, "max_displacement": 2, "stride2": 2,
                                 "pad_size": 2, "is_multiply": False}])
def test_correlation_gradient(kw):
    a, b = R.standard_normal((1, 2, 4, 5)), R.standard_normal((1, 2, 4, 5))
    _check_grad(lambda x, y: mx.nd.Correlation(x, y, **kw), [a, b])


def test_correlation_zero_displacement_is_channel_mean_product():
    a, b = R.standard_normal((1, 3, 4, 4)), R.standard_normal((1, 3, 4, 4))
    out = mx.nd.Correlation(mx.nd.array(a), mx.nd.array(b), kernel_size=1,
                            max_displacement=0).asnumpy()
    np.testing.assert_allclose(out[0, 0], (a * b).mean(axis=1)[0], rtol=1e-5)


def test_box_nms_gradient_routes_kept_rows():
    data = np.array([[[0, 0.9, 0, 0, 2, 2], [0, 0.8, 0.1, 0.1, 2, 2],
                      [0, 0.3, 3, 3, 4, 4]]])
    x = mx.nd.array(data)
    x.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5, coord_start=2, score_index=1,
                                    id_index=0)
    out.backward(mx.nd.ones_like(out))
    np.testing.assert_allclose(out.asnumpy()[0, :2], data[0, [0, 2]])
    np.testing.assert_allclose(x.grad.asnumpy()[0, :, 0], [1, 0, 1])
