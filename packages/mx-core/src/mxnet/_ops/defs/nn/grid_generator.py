"""GridGenerator (MXNet's ``grid_generator.cc``): sampling grids for BilinearSampler."""
from ...params import Enum, Shape
from ...registry import register

PARAMS = (Enum("transform_type", ("affine", "warp")), Shape("target_shape", (0, 0)))


def _base(xp, h, w, dtype):
    """Homogeneous target coordinates (3, H*W): x, y in [-1, 1], then ones."""
    xs = xp.tile(xp.linspace(-1, 1, w), h) if w > 1 else xp.full(h * w, -1.0)
    ys = xp.repeat(xp.linspace(-1, 1, h), w) if h > 1 else xp.full(h * w, -1.0)
    return xp.stack([xs, ys, xp.ones(h * w)]).astype(dtype)


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None, None]
    if attrs["transform_type"] == "affine":
        return in_shapes, [(data[0], 2) + tuple(attrs["target_shape"])] * 2
    return in_shapes, [tuple(data)] * 2


@register("GridGenerator", inputs=("data",), params=PARAMS, shape=_shape, num_outputs=2,
          visible_outputs=1)
def grid_generator(xp, data, *, transform_type, target_shape):
    """'affine': ``data`` (N, 6) is a 2x3 matrix mapping the target grid (normalized
    x, y, 1) to source coordinates, output (N, 2, H, W); 'warp': ``data`` (N, 2, H, W)
    is a pixel flow added to the identity grid, then normalized to [-1, 1]."""
    out = _grid(xp, data, transform_type, target_shape)
    # MXNet 1.9.1 compat: 2 outputs like MXNet's (its hidden ones are scratch space)
    return out, out


def _grid(xp, data, transform_type, target_shape):
    if transform_type == "affine":
        h, w = target_shape
        theta = data.reshape(-1, 2, 3)
        return xp.matmul(theta, _base(xp, h, w, data.dtype)).reshape(-1, 2, h, w)
    n, _, h, w = data.shape
    xs = xp.arange(w, dtype=data.dtype).reshape(1, w)
    ys = xp.arange(h, dtype=data.dtype).reshape(h, 1)
    gx = (data[:, 0] + xs) / ((w - 1) / 2) - 1
    gy = (data[:, 1] + ys) / ((h - 1) / 2) - 1
    return xp.stack([gx, gy], axis=1).astype(data.dtype, copy=False)


@grid_generator.gradient
def _(F, inputs, outputs, ograds, **params):
    # affine: dtheta = g base^T; warp: d/dflow = g / ((size - 1) / 2)
    return (F._internal._backward_GridGenerator(ograds[0], inputs[0], **params),)


@register("_backward_GridGenerator", inputs=("ograd", "data"), params=PARAMS,
          differentiable=False)
def _backward_grid_generator(xp, ograd, data, *, transform_type, target_shape):
    """Gradient of GridGenerator with respect to its data."""
    if transform_type == "affine":
        n, _, h, w = ograd.shape
        g = ograd.reshape(n, 2, h * w)
        return xp.matmul(g, _base(xp, h, w, g.dtype).T).reshape(data.shape)
    h, w = data.shape[2:]
    scale = xp.asarray([2 / (w - 1), 2 / (h - 1)], dtype=data.dtype).reshape(1, 2, 1, 1)
    return ograd * scale
