"""Correlation (MXNet's ``correlation.cc``): FlowNet's correlation of two feature maps.

For each displacement (a grid of ``max_displacement / stride2`` steps around each
position) the channel-mean of ``x1 * x2`` (or ``|x1 - x2|``) over a kernel window; one
loop over displacements and kernel offsets, each a strided slice of all positions."""
from ...params import Bool, Int
from ...registry import register

PARAMS = (Int("kernel_size", 1), Int("max_displacement", 1), Int("stride1", 1),
          Int("stride2", 1), Int("pad_size", 0), Bool("is_multiply", True))


def _geometry(a, h, w):
    radius = (a["kernel_size"] - 1) // 2
    border = a["max_displacement"] + radius
    ph, pw = h + 2 * a["pad_size"], w + 2 * a["pad_size"]
    top_h = -(-(ph - 2 * border) // a["stride1"])
    top_w = -(-(pw - 2 * border) // a["stride1"])
    grid_r = a["max_displacement"] // a["stride2"]
    return top_h, top_w, grid_r


def _windows(a, top_h, top_w, grid_r):
    """(index into x1, index into x2) per (displacement, kernel offset), with the
    displacement's output channel."""
    s1, md, k = a["stride1"], a["max_displacement"], a["kernel_size"]
    grid = 2 * grid_r + 1
    for tc in range(grid * grid):
        dx = (tc % grid - grid_r) * a["stride2"]
        dy = (tc // grid - grid_r) * a["stride2"]
        for kh in range(k):
            for kw in range(k):
                y, x = md + kh, md + kw
                i1 = (Ellipsis, slice(y, y + (top_h - 1) * s1 + 1, s1),
                      slice(x, x + (top_w - 1) * s1 + 1, s1))
                i2 = (Ellipsis, slice(y + dy, y + dy + (top_h - 1) * s1 + 1, s1),
                      slice(x + dx, x + dx + (top_w - 1) * s1 + 1, s1))
                yield tc, i1, i2


def _pad(xp, x, p):
    return xp.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x


def _shape(a, s):
    if s[0] is None:
        return s, [None] * 3
    top_h, top_w, r = _geometry(a, s[0][2], s[0][3])
    return [s[0], s[0]], [(s[0][0], (2 * r + 1) ** 2, top_h, top_w)] * 3


@register("Correlation", inputs=("data1", "data2"), params=PARAMS, shape=_shape,
          num_outputs=3, visible_outputs=1)
def correlation(xp, data1, data2, **a):
    """Correlates (N, C, H, W) ``data1`` and ``data2``: output (N, D*D, top_h, top_w),
    D = 2 * (max_displacement // stride2) + 1."""
    n, c, h, w = data1.shape
    top_h, top_w, r = _geometry(a, h, w)
    x1, x2 = _pad(xp, data1, a["pad_size"]), _pad(xp, data2, a["pad_size"])
    out = xp.zeros((n, (2 * r + 1) ** 2, top_h, top_w), dtype=data1.dtype)
    for tc, i1, i2 in _windows(a, top_h, top_w, r):
        v = x1[i1] * x2[i2] if a["is_multiply"] else xp.abs(x1[i1] - x2[i2])
        out[:, tc] += v.sum(axis=1)
    out /= a["kernel_size"] ** 2 * c
    # MXNet 1.9.1 compat: 3 outputs like MXNet's (its hidden ones are scratch space)
    return out, out, out


@correlation.gradient
def _(F, inputs, outputs, ograds, **params):
    # multiply: d/dx1 = g x2 / norm, d/dx2 = g x1 / norm; abs: +-sign(x1 - x2) g / norm
    return tuple(F._internal._backward_Correlation(ograds[0], *inputs, **params))


@register("_backward_Correlation", inputs=("ograd", "data1", "data2"), params=PARAMS,
          num_outputs=2, differentiable=False)
def _backward_correlation(xp, ograd, data1, data2, **a):
    """Gradients of Correlation with respect to both inputs."""
    n, c, h, w = data1.shape
    top_h, top_w, r = _geometry(a, h, w)
    p = a["pad_size"]
    x1, x2 = _pad(xp, data1, p), _pad(xp, data2, p)
    d1, d2 = xp.zeros_like(x1), xp.zeros_like(x2)
    g = ograd / (a["kernel_size"] ** 2 * c)
    for tc, i1, i2 in _windows(a, top_h, top_w, r):
        gt = g[:, tc:tc + 1]
        if a["is_multiply"]:
            d1[i1] += gt * x2[i2]
            d2[i2] += gt * x1[i1]
        else:
            sgn = xp.sign(x1[i1] - x2[i2]) * gt
            d1[i1] += sgn
            d2[i2] -= sgn
    crop = (Ellipsis, slice(p, p + h), slice(p, p + w))
    return d1[crop], d2[crop]
