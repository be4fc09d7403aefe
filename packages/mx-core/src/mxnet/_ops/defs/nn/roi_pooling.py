"""ROIPooling (MXNet's ``roi_pooling.cc``): max pooling of each region of interest into
a fixed (pooled_h, pooled_w) grid. Vectorised over the regions, channels and bin
columns, with a loop over the bin rows; the arg-max is kept as a hidden output."""
from ....base import MXNetError
from ...params import Float, Shape
from ...registry import register

PARAMS = (Shape("pooled_size"), Float("spatial_scale"))


def _bins(xp, start, end, n_bins, size):
    """(R, n_bins, size) membership of each position in each bin (MXNet's rounding)."""
    extent = xp.maximum(end - start + 1, 1).astype("float64")
    b = xp.arange(n_bins).reshape(1, -1)
    lo = xp.floor(b * extent[:, None] / n_bins).astype("int64") + start[:, None]
    hi = xp.ceil((b + 1) * extent[:, None] / n_bins).astype("int64") + start[:, None]
    lo, hi = xp.clip(lo, 0, size), xp.clip(hi, 0, size)
    pos = xp.arange(size).reshape(1, 1, -1)
    return (pos >= lo[..., None]) & (pos < hi[..., None])


def _rois(xp, rois, spatial_scale):
    # MXNet rounds the scaled corners half away from zero
    r = rois[:, 1:5].astype("float64") * spatial_scale
    r = (xp.sign(r) * xp.floor(xp.abs(r) + 0.5)).astype("int64")
    return rois[:, 0].astype("int64"), r[:, 0], r[:, 1], r[:, 2], r[:, 3]


@register("ROIPooling", inputs=("data", "rois"), params=PARAMS, num_outputs=2,
          visible_outputs=1,
          shape=lambda a, s: (s, [None if None in s else (s[1][0], s[0][1])
                                  + tuple(a["pooled_size"])] * 2))
def roi_pooling(xp, data, rois, *, pooled_size, spatial_scale):
    """Max-pools each region ``[batch_index, x1, y1, x2, y2]`` (image coordinates,
    times ``spatial_scale``) of (N, C, H, W) data into (R, C, pooled_h, pooled_w)."""
    if rois.ndim != 2 or rois.shape[1] != 5:
        raise MXNetError(f"Operator ROIPooling: rois must be (R, 5), got {rois.shape}")
    ph, pw = pooled_size
    n, c, h, w = data.shape
    batch, x1, y1, x2, y2 = _rois(xp, rois, spatial_scale)
    mh, mw = _bins(xp, y1, y2, ph, h), _bins(xp, x1, x2, pw, w)    # (R, ph, H), (R, pw, W)
    # MXNet 1.9.1 compat: a region naming a missing batch item pools to zeros
    bad = ((batch < 0) | (batch >= n)).reshape(-1, 1, 1)
    x = data[xp.clip(batch, 0, n - 1)]                              # (R, C, H, W)
    neg = xp.asarray(-xp.inf, dtype=data.dtype)
    out = xp.zeros((len(batch), c, ph, pw), dtype=data.dtype)
    idx = xp.full(out.shape, -1.0, dtype=data.dtype)
    for i in range(ph):
        sel = mh[:, i].reshape(-1, 1, h, 1)
        col = xp.where(sel, x, neg)                                 # (R, C, H, W)
        hmax = col.max(axis=2)                                      # (R, C, W)
        harg = xp.where(sel, x == hmax[:, :, None], False).argmax(axis=2)
        cand = xp.where(mw[:, None], hmax[:, :, None, :], neg)      # (R, C, pw, W)
        best = cand.max(axis=3)
        warg = cand.argmax(axis=3)
        hbest = xp.take_along_axis(harg[:, :, None, :], warg[..., None], axis=3)[..., 0]
        empty = ~(mh[:, i].any(axis=1)[:, None, None] & mw.any(axis=2)[:, None, :]) | bad
        out[:, :, i] = xp.where(empty, 0, best)
        idx[:, :, i] = xp.where(empty, -1, hbest * w + warg)
    return out, idx


@roi_pooling.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/ddata: each bin's head gradient goes to its arg-max position; rois get none
    return F._internal._backward_ROIPooling(ograds[0], inputs[0], inputs[1], outputs[1],
                                            **params), None


@register("_backward_ROIPooling", inputs=("ograd", "data", "rois", "argmax"),
          params=PARAMS, differentiable=False)
def _backward_roi_pooling(xp, ograd, data, rois, argmax, *, pooled_size, spatial_scale):
    """Gradient of ROIPooling with respect to its data."""
    n, c, h, w = data.shape
    batch = rois[:, 0].astype("int64")
    plane = (batch.reshape(-1, 1, 1, 1) * c + xp.arange(c).reshape(1, -1, 1, 1)) * (h * w)
    idx = argmax.astype("int64")
    valid = idx >= 0
    flat = (plane + idx)[valid]
    dx = xp.bincount(flat, weights=ograd[valid].astype("float64"), minlength=data.size)
    return dx.reshape(data.shape).astype(data.dtype)

