"""DeformableConvolution and ModulatedDeformableConvolution (MXNet's
``contrib/deformable_convolution.cc``, ``modulated_deformable_convolution.cc``).

Each kernel tap samples the input at its regular position plus a learned offset
(bilinear interpolation, zero outside), optionally scaled by a learned mask (DCNv2);
the sampled columns then meet the weights in one grouped matmul. Offsets are laid out
as MXNet's: channel ``g * 2K + 2k`` is tap k's row offset in deformable group g, the
next channel its column offset."""
from ...params import Bool, Int, Optional, Shape, Str
from ...registry import register

PARAMS = (Shape("kernel"), Shape("stride", ()), Shape("dilate", ()), Shape("pad", ()),
          Int("num_filter"), Int("num_group", 1), Int("num_deformable_group", 1),
          Int("workspace", 1024), Bool("no_bias", False), Optional(Str("layout")))
MOD_PARAMS = PARAMS + (Int("im2col_step", 64),)


def _geometry(a, hw):
    k = tuple(a["kernel"])
    s, d = (tuple(a[n]) or (1, 1) for n in ("stride", "dilate"))
    p = tuple(a["pad"]) or (0, 0)
    out = tuple((hw[i] + 2 * p[i] - (d[i] * (k[i] - 1) + 1)) // s[i] + 1 for i in range(2))
    return k, s, d, p, out


def _inputs(modulated):
    def names(a):
        base = ("data", "offset") + (("mask",) if modulated else ()) + ("weight",)
        return base if a["no_bias"] else base + ("bias",)
    return names


def _shape(modulated):
    def rule(a, s):
        data = s[0]
        if data is None:
            return s, [None]
        k, _, _, _, (oh, ow) = _geometry(a, data[2:])
        n, dg, kk = data[0], a["num_deformable_group"], k[0] * k[1]
        ins = [data, (n, dg * 2 * kk, oh, ow)]
        if modulated:
            ins.append((n, dg * kk, oh, ow))
        ins.append((a["num_filter"], data[1] // a["num_group"]) + k)
        if not a["no_bias"]:
            ins.append((a["num_filter"],))
        return ins, [(n, a["num_filter"], oh, ow)]
    return rule


def _corners(xp, data, offset, a, modulated):
    """Bilinear corners of every sample: [(flat index, weight * validity)] and the
    (N, dg, K, L) sample rows/columns; data is (N, dg, Cg, H*W)."""
    n, _, height, width = data.shape
    (kh, kw), s, d, p, (oh, ow) = _geometry(a, data.shape[2:])
    dg, kk = a["num_deformable_group"], kh * kw
    off = offset.reshape(n, dg, kk, 2, oh * ow)
    tap_y = (xp.arange(kh) * d[0]).repeat(kw).reshape(1, 1, kk, 1)
    tap_x = xp.tile(xp.arange(kw) * d[1], kh).reshape(1, 1, kk, 1)
    base_y = (xp.arange(oh) * s[0] - p[0]).repeat(ow).reshape(1, 1, 1, -1)
    base_x = xp.tile(xp.arange(ow) * s[1] - p[1], oh).reshape(1, 1, 1, -1)
    y = (base_y + tap_y + off[:, :, :, 0]).astype(data.dtype)
    x = (base_x + tap_x + off[:, :, :, 1]).astype(data.dtype)
    if modulated:
        inside = (y > -1) & (x > -1) & (y < height) & (x < width)
    else:
        # MXNet 1.9.1 compat: DCNv1 samples only inside the image and clamps the last
        # row/column instead of treating the outer corners as zeros
        inside = (y >= 0) & (x >= 0) & (y < height) & (x < width)
        y = xp.where(xp.floor(y) >= height - 1, height - 1, y)
        x = xp.where(xp.floor(x) >= width - 1, width - 1, x)
    y0, x0 = xp.floor(y), xp.floor(x)
    ly, lx = y - y0, x - x0
    corners = []
    for cy, cx, wy, wx in ((y0, x0, 1 - ly, 1 - lx), (y0, x0 + 1, 1 - ly, lx),
                           (y0 + 1, x0, ly, 1 - lx), (y0 + 1, x0 + 1, ly, lx)):
        ok = inside & (cy >= 0) & (cx >= 0) & (cy <= height - 1) & (cx <= width - 1)
        idx = (xp.clip(cy, 0, height - 1) * width + xp.clip(cx, 0, width - 1))
        corners.append((idx.astype("int64"), ok, wy, wx))
    return corners


def _gather(xp, flat, idx):
    """flat (N, dg, Cg, HW), idx (N, dg, K, L) -> (N, dg, Cg, K, L)."""
    n, dg, cg, _ = flat.shape
    k, length = idx.shape[2:]
    taken = xp.take_along_axis(flat, idx.reshape(n, dg, 1, k * length), axis=3)
    return taken.reshape(n, dg, cg, k, length)


def _columns(xp, data, offset, a, modulated):
    n, c = data.shape[:2]
    dg = a["num_deformable_group"]
    flat = data.reshape(n, dg, c // dg, -1)
    corners = _corners(xp, data, offset, a, modulated)
    cols = 0
    for idx, ok, wy, wx in corners:
        cols = cols + _gather(xp, flat, idx) * (wy * wx * ok)[:, :, None]
    return cols, corners, flat                     # cols: (N, dg, Cg, K, L)


def _forward(xp, data, offset, mask, weight, bias, a):
    n, c = data.shape[:2]
    g, f = a["num_group"], a["num_filter"]
    _, _, _, _, (oh, ow) = _geometry(a, data.shape[2:])
    cols, _, _ = _columns(xp, data, offset, a, mask is not None)
    kk = cols.shape[3]
    if mask is not None:
        cols = cols * mask.reshape(n, a["num_deformable_group"], 1, kk, -1)
    cols = cols.reshape(n, g, (c // g) * kk, oh * ow)
    w = weight.reshape(g, f // g, (c // g) * kk)
    out = xp.einsum("gfk,ngkl->ngfl", w, cols).reshape(n, f, oh, ow)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out.astype(data.dtype, copy=False)


@register("_contrib_DeformableConvolution", inputs=("data", "offset", "weight", "bias"),
          input_filter=_inputs(False), params=PARAMS, shape=_shape(False))
def deformable_convolution(xp, data, offset, weight, bias=None, **a):
    """Convolution whose taps sample the input at learned offsets (DCN)."""
    return _forward(xp, data, offset, None, weight, bias, a)


@register("_contrib_ModulatedDeformableConvolution",
          inputs=("data", "offset", "mask", "weight", "bias"), input_filter=_inputs(True),
          params=MOD_PARAMS, shape=_shape(True))
def modulated_deformable_convolution(xp, data, offset, mask, weight, bias=None, **a):
    """Deformable convolution whose samples are also scaled by a learned mask (DCNv2)."""
    return _forward(xp, data, offset, mask, weight, bias, a)


def _backward(xp, ograd, data, offset, mask, weight, a):
    """Gradients (data, offset, [mask], weight, [bias]) of either operator."""
    n, c, height, width = data.shape
    g, f, dg = a["num_group"], a["num_filter"], a["num_deformable_group"]
    raw, corners, flat = _columns(xp, data, offset, a, mask is not None)
    kk, length = raw.shape[3:]
    scale = 1 if mask is None else mask.reshape(n, dg, 1, kk, length)
    dout = ograd.reshape(n, g, f // g, length)
    cols = (raw * scale).reshape(n, g, (c // g) * kk, length)
    dweight = xp.einsum("ngfl,ngkl->gfk", dout, cols).reshape(weight.shape)
    dcols = xp.einsum("gfk,ngfl->ngkl", weight.reshape(g, f // g, -1), dout)
    dcols = dcols.reshape(raw.shape)
    grads = []
    dsample = dcols * scale
    ddata = xp.zeros(flat.shape, dtype=data.dtype)
    cg = flat.shape[2]
    index = (xp.arange(n).reshape(-1, 1, 1, 1, 1), xp.arange(dg).reshape(1, -1, 1, 1, 1),
             xp.arange(cg).reshape(1, 1, -1, 1, 1))
    d_off = [0, 0]
    # corner order: (y0, x0), (y0, x1), (y1, x0), (y1, x1): d weight / d(y, x) signs
    for (idx, ok, wy, wx), (sy, sx) in zip(corners, ((-1, -1), (-1, 1), (1, -1), (1, 1))):
        through = (dsample * _gather(xp, flat, idx)).sum(axis=2) * ok
        d_off[0] = d_off[0] + through * (sy * wx)
        d_off[1] = d_off[1] + through * (sx * wy)
        xp.add.at(ddata, index + (idx[:, :, None],), dsample * (wy * wx * ok)[:, :, None])
    grads.append(ddata.reshape(data.shape))
    grads.append(xp.stack(d_off, axis=3).reshape(offset.shape).astype(offset.dtype))
    if mask is not None:
        grads.append((dcols * raw).sum(axis=2).reshape(mask.shape).astype(mask.dtype))
    grads.append(dweight.astype(weight.dtype))
    if not a["no_bias"]:
        grads.append(ograd.sum(axis=(0, 2, 3)))
    return tuple(grads)


def _bw_inputs(modulated):
    names = _inputs(modulated)
    return lambda a: ("ograd",) + tuple(n for n in names(a) if n != "bias")


def _n_grads(modulated):
    return lambda a: len(_inputs(modulated)(a))


@register("_backward_DeformableConvolution", inputs=("ograd", "data", "offset", "weight"),
          input_filter=_bw_inputs(False), params=PARAMS, num_outputs=_n_grads(False),
          differentiable=False)
def _backward_deformable_convolution(xp, ograd, data, offset, weight, **a):
    """Gradients of DeformableConvolution."""
    return _backward(xp, ograd, data, offset, None, weight, a)


@register("_backward_ModulatedDeformableConvolution",
          inputs=("ograd", "data", "offset", "mask", "weight"),
          input_filter=_bw_inputs(True), params=MOD_PARAMS, num_outputs=_n_grads(True),
          differentiable=False)
def _backward_modulated(xp, ograd, data, offset, mask, weight, **a):
    """Gradients of ModulatedDeformableConvolution."""
    return _backward(xp, ograd, data, offset, mask, weight, a)


@deformable_convolution.gradient
def _(F, inputs, outputs, ograds, **a):
    # bilinear sampling: d/d(data) scatters back to the 4 corners, d/d(offset) is the
    # sample's slope; weight and bias as in a convolution over the sampled columns
    return tuple(F._internal._backward_DeformableConvolution(ograds[0], *inputs[:3], **a))


@modulated_deformable_convolution.gradient
def _(F, inputs, outputs, ograds, **a):
    # as DeformableConvolution's, each sample scaled by its mask; d/d(mask) = the sample
    return tuple(F._internal._backward_ModulatedDeformableConvolution(
        ograds[0], *inputs[:4], **a))
