"""BilinearSampler (MXNet's ``bilinear_sampler.cc``): sample data at a normalized grid
with bilinear interpolation (zero outside the input)."""
from ...params import Optional, Bool
from ...registry import register

PARAMS = (Optional(Bool("cudnn_off")),)


def _corners(xp, data, grid):
    """Per corner: (flat index into data (N*C*H*W), weight (N, 1, Ho, Wo), valid)."""
    n, c, h, w = data.shape
    x = (grid[:, 0:1] + 1) * (w - 1) / 2
    y = (grid[:, 1:2] + 1) * (h - 1) / 2
    x0, y0 = xp.floor(x), xp.floor(y)
    wx, wy = x - x0, y - y0
    x0, y0 = x0.astype("int64"), y0.astype("int64")
    out = []
    for dy, dx, wgt in ((0, 0, (1 - wy) * (1 - wx)), (0, 1, (1 - wy) * wx),
                        (1, 0, wy * (1 - wx)), (1, 1, wy * wx)):
        xi, yi = x0 + dx, y0 + dy
        valid = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        pos = xp.clip(yi, 0, h - 1) * w + xp.clip(xi, 0, w - 1)
        out.append((pos, wgt * valid, valid))
    return out, (wx, wy)


def _gather(xp, data, pos):
    n, c, h, w = data.shape
    flat = data.reshape(n, c, h * w)
    idx = xp.broadcast_to(pos.reshape(n, 1, -1), (n, c, pos[0].size))
    return xp.take_along_axis(flat, idx, axis=2).reshape((n, c) + pos.shape[2:])


@register("BilinearSampler", inputs=("data", "grid"), params=PARAMS,
          num_outputs=2, visible_outputs=1,
          shape=lambda a, s: (s, [None if None in s else tuple(s[0][:2]) + tuple(s[1][2:])] * 2))
def bilinear_sampler(xp, data, grid, *, cudnn_off):
    """Samples (N, C, H, W) ``data`` at ``grid`` (N, 2, Ho, Wo) holding normalized
    (x, y) in [-1, 1]; bilinear interpolation, zero outside the input."""
    corners, _ = _corners(xp, data, grid)
    out = None
    for pos, wgt, _ in corners:
        v = _gather(xp, data, pos) * wgt
        out = v if out is None else out + v
    out = out.astype(data.dtype, copy=False)
    # MXNet 1.9.1 compat: 2 outputs like MXNet's (its hidden ones are scratch space)
    return out, out


@bilinear_sampler.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/ddata scatters g * corner weight; d/dgrid = sum_c g * dI/d(x, y) * (size - 1) / 2
    return tuple(F._internal._backward_BilinearSampler(ograds[0], *inputs, **params))


@register("_backward_BilinearSampler", inputs=("ograd", "data", "grid"), params=PARAMS,
          num_outputs=2, differentiable=False)
def _backward_bilinear_sampler(xp, ograd, data, grid, *, cudnn_off):
    """Gradients of BilinearSampler with respect to data and grid."""
    n, c, h, w = data.shape
    corners, (wx, wy) = _corners(xp, data, grid)
    base = (xp.arange(n * c) * (h * w)).reshape(n, c, 1, 1)
    ddata = xp.zeros(n * c * h * w, dtype="float64")
    vals = []
    for pos, wgt, valid in corners:
        idx = (base + pos).ravel()
        ddata += xp.bincount(idx, weights=(ograd * wgt).ravel(), minlength=ddata.size)
        vals.append(_gather(xp, data, pos) * valid)
    v00, v01, v10, v11 = vals
    dwx = ((1 - wy) * (v01 - v00) + wy * (v11 - v10)) * ograd
    dwy = ((1 - wx) * (v10 - v00) + wx * (v11 - v01)) * ograd
    dgrid = xp.concatenate([dwx.sum(axis=1, keepdims=True) * ((w - 1) / 2),
                            dwy.sum(axis=1, keepdims=True) * ((h - 1) / 2)], axis=1)
    return ddata.reshape(data.shape).astype(data.dtype), dgrid.astype(grid.dtype)
