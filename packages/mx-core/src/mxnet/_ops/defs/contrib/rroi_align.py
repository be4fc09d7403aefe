"""RROIAlign (MXNet's ``contrib/rroi_align.cc``): ROIAlign over rotated regions.

A roi is (batch, center x, center y, width, height, angle in degrees); each bin averages
bilinear samples on a regular grid of the rotated box. Forward only, as in MXNet. One
vectorised step per roi (all bins, samples and channels at once), in float32 like the
CPU kernel."""
import math

from ...params import Float, Int, Shape
from ...registry import register


def _shape(a, s):
    if s[0] is None or s[1] is None:
        return s, [None]
    return s, [(s[1][0], s[0][1]) + tuple(a["pooled_size"])]


def _bilinear(xp, img, y, x):
    """Samples of img (C, H, W) at float32 points y, x; 0 outside [-1, size]."""
    _, height, width = img.shape
    outside = (y < -1.0) | (y > height) | (x < -1.0) | (x > width)
    y, x = xp.maximum(y, 0).astype("float32"), xp.maximum(x, 0).astype("float32")
    y0, x0 = y.astype("int64"), x.astype("int64")
    ey, ex = y0 >= height - 1, x0 >= width - 1
    y0, x0 = xp.where(ey, height - 1, y0), xp.where(ex, width - 1, x0)
    y1, x1 = xp.where(ey, height - 1, y0 + 1), xp.where(ex, width - 1, x0 + 1)
    ly = xp.where(ey, 0, y - y0).astype("float32")
    lx = xp.where(ex, 0, x - x0).astype("float32")
    hy, hx = 1 - ly, 1 - lx
    val = (hy * hx * img[:, y0, x0] + hy * lx * img[:, y0, x1]
           + ly * hx * img[:, y1, x0] + ly * lx * img[:, y1, x1])
    return xp.where(outside, 0, val)


@register("_contrib_RROIAlign", inputs=("data", "rois"), shape=_shape, differentiable=False,
          params=(Shape("pooled_size"), Float("spatial_scale"), Int("sampling_ratio", -1)))
def rroi_align(xp, data, rois, *, pooled_size, spatial_scale, sampling_ratio):
    """Average of bilinear samples in each bin of each rotated roi."""
    ph, pw = pooled_size
    f32 = "float32"
    out = xp.zeros((rois.shape[0], data.shape[1], ph, pw), dtype=data.dtype)
    for r, roi in enumerate(rois.astype(f32).tolist()):
        cx, cy, w, h = (xp.float32(v) * xp.float32(spatial_scale) for v in roi[1:5])
        theta = xp.float32(roi[5] * math.pi / 180.0)
        w, h = max(w, xp.float32(1.0)), max(h, xp.float32(1.0))
        bh, bw = h / xp.float32(ph), w / xp.float32(pw)
        gh = sampling_ratio if sampling_ratio > 0 else int(math.ceil(h / ph))
        gw = sampling_ratio if sampling_ratio > 0 else int(math.ceil(w / pw))
        yy = (-h / 2 + xp.arange(ph, dtype=f32)[:, None] * bh
              + (xp.arange(gh, dtype=f32)[None, :] + 0.5) * bh / gh).reshape(ph, gh, 1, 1)
        xx = (-w / 2 + xp.arange(pw, dtype=f32)[:, None] * bw
              + (xp.arange(gw, dtype=f32)[None, :] + 0.5) * bw / gw).reshape(1, 1, pw, gw)
        cos, sin = xp.float32(math.cos(float(theta))), xp.float32(math.sin(float(theta)))
        x = xx * cos + yy * sin + cx
        y = yy * cos - xx * sin + cy
        img = data[int(roi[0])].astype(f32)
        vals = _bilinear(xp, img, y, x)              # (C, ph, gh, pw, gw)
        out[r] = (vals.sum(axis=(2, 4)) / xp.float32(gh * gw)).astype(data.dtype)
    return out
