"""ROIAlign (MXNet's ``contrib/roi_align.cc``): average of bilinear samples in each bin.

Bilinear sampling on a regular grid is separable, so each region is two small
interpolation matrices ``A_y (ph, H)`` and ``A_x (pw, W)``: ``out = A_y x A_x^T``; a loop
over the regions (each a pair of matmuls over all channels)."""
import math

from ....base import MXNetError
from ...params import Bool, Float, Int, Shape
from ...registry import register

PARAMS = (Shape("pooled_size"), Float("spatial_scale"), Int("sample_ratio", -1),
          Bool("position_sensitive", False), Bool("aligned", False))


def _axis_matrix(xp, start, extent, pooled, grid, size):
    """(pooled, size) mean bilinear weights of the grid samples in each bin."""
    bin_size = extent / pooled
    p = xp.arange(pooled).reshape(-1, 1)
    g = xp.arange(grid).reshape(1, -1)
    s = start + p * bin_size + (g + 0.5) * bin_size / grid          # (pooled, grid)
    valid = (s >= -1.0) & (s <= size)
    s = xp.maximum(s, 0.0)
    low = xp.floor(s).astype("int64")
    edge = low >= size - 1
    low = xp.where(edge, size - 1, low)
    high = xp.where(edge, size - 1, low + 1)
    frac = xp.where(edge, 0.0, s - low)
    pos = xp.arange(size).reshape(1, 1, -1)
    m = (pos == low[..., None]) * (1 - frac)[..., None] + (pos == high[..., None]) * frac[..., None]
    return (m * valid[..., None]).sum(axis=1) / grid


def _matrices(xp, roi, attrs, h, w):
    ph, pw = attrs["pooled_size"]
    off = 0.5 if attrs["aligned"] else 0.0
    x1, y1, x2, y2 = (float(v) * attrs["spatial_scale"] - off for v in roi[1:5])
    rw, rh = x2 - x1, y2 - y1
    if not attrs["aligned"]:
        rw, rh = max(rw, 1.0), max(rh, 1.0)
    ratio = attrs["sample_ratio"]
    gh = ratio if ratio > 0 else max(int(math.ceil(rh / ph)), 1)
    gw = ratio if ratio > 0 else max(int(math.ceil(rw / pw)), 1)
    return (_axis_matrix(xp, y1, rh, ph, gh, h), _axis_matrix(xp, x1, rw, pw, gw, w))


@register("_contrib_ROIAlign", inputs=("data", "rois"), params=PARAMS,
          shape=lambda a, s: (s, [None if None in s else (s[1][0], s[0][1])
                                  + tuple(a["pooled_size"])]))
def roi_align(xp, data, rois, **attrs):
    """Pools each region ``[batch_index, x1, y1, x2, y2]`` of (N, C, H, W) data into
    (R, C, pooled_h, pooled_w) by averaging bilinear samples (``sample_ratio`` per bin
    side, or adaptive); ``aligned`` shifts by half a pixel."""
    if attrs["position_sensitive"]:
        raise MXNetError("Operator ROIAlign: position_sensitive is not supported")
    n, c, h, w = data.shape
    out = xp.zeros((rois.shape[0], c) + tuple(attrs["pooled_size"]), dtype=data.dtype)
    for r in range(rois.shape[0]):
        b = int(rois[r, 0])
        if 0 <= b < n:
            ay, ax = _matrices(xp, rois[r], attrs, h, w)
            out[r] = xp.matmul(xp.matmul(ay, data[b]), ax.T)
    return out


@roi_align.gradient
def _(F, inputs, outputs, ograds, **params):
    # linear in data: d/ddata[b] += A_y^T g A_x for each region of item b
    return F._internal._backward_ROIAlign(ograds[0], inputs[0], inputs[1], **params), None


@register("_backward_ROIAlign", inputs=("ograd", "data", "rois"), params=PARAMS,
          differentiable=False)
def _backward_roi_align(xp, ograd, data, rois, **attrs):
    """Gradient of ROIAlign with respect to its data."""
    n, c, h, w = data.shape
    dx = xp.zeros(data.shape, dtype="float64")
    for r in range(rois.shape[0]):
        b = int(rois[r, 0])
        if 0 <= b < n:
            ay, ax = _matrices(xp, rois[r], attrs, h, w)
            dx[b] += xp.matmul(xp.matmul(ay.T, ograd[r]), ax)
    return dx.astype(data.dtype)
