"""im2col and col2im (MXNet's ``nn/im2col.cc``): sliding blocks to columns and back."""
from ...params import Shape
from ...registry import register
from . import _window as W

_GEOM = (Shape("kernel"), Shape("stride", ()), Shape("dilate", ()), Shape("pad", ()))


def _geometry(kernel, stride, dilate, pad):
    n = len(kernel)
    return (tuple(kernel), W.expand(stride, n, 1), W.expand(dilate, n, 1),
            W.expand(pad, n, 0))


def _out_sp(spatial, k, s, d, p):
    return tuple(W.out_size(n, kk, ss, pp, dd)
                 for n, kk, ss, pp, dd in zip(spatial, k, s, p, d))


def _im2col(xp, data, k, s, d, p):
    out_sp = _out_sp(data.shape[2:], k, s, d, p)
    cols = W.im2col(xp, W.pad_spatial(xp, data, p), k, s, d, out_sp, axis=2)
    n, c = data.shape[:2]
    return cols.reshape(n, -1, cols[0, 0, 0].size)


def _col2im(xp, cols, output_size, k, s, d, p):
    n = cols.shape[0]
    kk = 1
    for v in k:
        kk *= v
    c = cols.shape[1] // kk
    out_sp = _out_sp(output_size, k, s, d, p)
    cols = cols.reshape((n, c, kk) + out_sp)
    padded = (n, c) + tuple(o + 2 * pp for o, pp in zip(output_size, p))
    out = W.col2im(xp, cols, padded, k, s, d, out_sp, axis=2)
    return xp.ascontiguousarray(W.unpad(out, p, output_size))


def _im2col_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    k, s, d, p = _geometry(attrs["kernel"], attrs["stride"], attrs["dilate"], attrs["pad"])
    n_out = 1
    for v in _out_sp(data[2:], k, s, d, p):
        n_out *= v
    kk = 1
    for v in k:
        kk *= v
    return in_shapes, [(data[0], data[1] * kk, n_out)]


@register("im2col", inputs=("data",), params=_GEOM, shape=_im2col_shape)
def im2col(xp, data, *, kernel, stride, dilate, pad):
    """Extract sliding blocks of (N, C, *spatial) into columns (N, C * prod(kernel), L),
    L being the number of block positions."""
    k, s, d, p = _geometry(kernel, stride, dilate, pad)
    return _im2col(xp, data, k, s, d, p)


@im2col.gradient
def _(F, inputs, outputs, ograds, **params):
    # the adjoint of gathering blocks is summing them back: d/dx = col2im(g)
    return (F.col2im(ograds[0], output_size=inputs[0].shape[2:], **params),)


def _col2im_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    kk = 1
    for v in attrs["kernel"]:
        kk *= v
    return in_shapes, [(data[0], data[1] // kk) + tuple(attrs["output_size"])]


@register("col2im", inputs=("data",), params=(Shape("output_size"),) + _GEOM,
          shape=_col2im_shape)
def col2im(xp, data, *, output_size, kernel, stride, dilate, pad):
    """Combine columns (N, C * prod(kernel), L) back into (N, C, *output_size), summing
    overlapping values."""
    k, s, d, p = _geometry(kernel, stride, dilate, pad)
    return _col2im(xp, data, tuple(output_size), k, s, d, p)


@col2im.gradient
def _(F, inputs, outputs, ograds, output_size, **params):
    # the adjoint of summing blocks is gathering them: d/dx = im2col(g)
    return (F.im2col(ograds[0], **params),)
