"""PSROIPooling (MXNet's ``contrib/psroi_pooling.cc``): position-sensitive ROI pooling.

Output bin (ph, pw) of class channel ``c`` averages input channel
``(c * group + gh) * group + gw`` (its position group) over the bin's integer pixel
range, R-FCN style. One Python step per (roi, bin); each averages all channels."""
import math

from ...params import Float, Int
from ...registry import register

PARAMS = (Float("spatial_scale"), Int("output_dim"), Int("pooled_size"),
          Int("group_size", 0))


def _bins(roi, scale, pooled, height, width):
    """Per (ph, pw): the clipped pixel box (h0, h1, w0, w1) of the bin."""
    x0, y0 = round(float(roi[1])) * scale, round(float(roi[2])) * scale
    x1, y1 = (round(float(roi[3])) + 1.0) * scale, (round(float(roi[4])) + 1.0) * scale
    bh, bw = max(y1 - y0, 0.1) / pooled, max(x1 - x0, 0.1) / pooled
    clip = (lambda v, hi: min(max(v, 0), hi))
    for ph in range(pooled):
        for pw in range(pooled):
            h0 = clip(int(math.floor(ph * bh + y0)), height)
            h1 = clip(int(math.ceil((ph + 1) * bh + y0)), height)
            w0 = clip(int(math.floor(pw * bw + x0)), width)
            w1 = clip(int(math.ceil((pw + 1) * bw + x0)), width)
            yield ph, pw, h0, h1, w0, w1


def _channels(xp, ph, pw, a):
    group = a["group_size"] or a["pooled_size"]
    gh = min(max(ph * group // a["pooled_size"], 0), group - 1)
    gw = min(max(pw * group // a["pooled_size"], 0), group - 1)
    return (xp.arange(a["output_dim"]) * group + gh) * group + gw


def _shape(a, s):
    if s[1] is None:
        return s, [None]
    return s, [(s[1][0], a["output_dim"], a["pooled_size"], a["pooled_size"])]


@register("_contrib_PSROIPooling", inputs=("data", "rois"), params=PARAMS, shape=_shape)
def psroi_pooling(xp, data, rois, **a):
    """Position-sensitive average pooling of ``rois`` (batch index, x1, y1, x2, y2)."""
    k, (_, _, height, width) = a["pooled_size"], data.shape
    out = xp.zeros((rois.shape[0], a["output_dim"], k, k), dtype=data.dtype)
    for n, roi in enumerate(rois.tolist() if hasattr(rois, "tolist") else rois):
        img = data[int(roi[0])]
        for ph, pw, h0, h1, w0, w1 in _bins(roi, a["spatial_scale"], k, height, width):
            if h1 > h0 and w1 > w0:
                region = img[_channels(xp, ph, pw, a), h0:h1, w0:w1]
                out[n, :, ph, pw] = region.sum(axis=(1, 2)) / ((h1 - h0) * (w1 - w0))
    return out


@psroi_pooling.gradient
def _(F, inputs, outputs, ograds, **params):
    # each bin's gradient spreads evenly over the pixels it averaged; rois get none
    return F._internal._backward_PSROIPooling(ograds[0], inputs[0], inputs[1],
                                              **params), None


@register("_backward_PSROIPooling", inputs=("ograd", "data", "rois"), params=PARAMS,
          differentiable=False)
def _backward_psroi_pooling(xp, ograd, data, rois, **a):
    """Gradient of PSROIPooling with respect to its data."""
    k, (_, _, height, width) = a["pooled_size"], data.shape
    dx = xp.zeros(data.shape, dtype=data.dtype)
    for n, roi in enumerate(rois.tolist()):
        b = int(roi[0])
        for ph, pw, h0, h1, w0, w1 in _bins(roi, a["spatial_scale"], k, height, width):
            if h1 > h0 and w1 > w0:
                share = ograd[n, :, ph, pw] / ((h1 - h0) * (w1 - w0))
                dx[b, _channels(xp, ph, pw, a), h0:h1, w0:w1] += share[:, None, None]
    return dx
