"""AdaptiveAvgPooling2D and BilinearResize2D (MXNet's ``contrib/adaptive_avg_pooling.cc``
and ``contrib/bilinear_resize.cc``): both are linear maps ``out = A_h x A_w^T``, built as
small interpolation/averaging matrices and applied with two matmuls."""

from ....base import MXNetError
from ...params import Bool, Enum, Float, Int, Optional, Shape
from ...registry import register


def _pool_matrix(xp, n_in, n_out, dtype):
    """(n_out, n_in) averaging matrix of the adaptive bins floor(i n/o) .. ceil((i+1) n/o)."""
    i = xp.arange(n_out)
    start = (i * n_in) // n_out
    end = -((-(i + 1) * n_in) // n_out)
    pos = xp.arange(n_in).reshape(1, -1)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def _apply(xp, x, a_h, a_w):
    return xp.matmul(xp.matmul(a_h, x), a_w.T)


def _out_hw(output_size):
    if output_size is None or len(output_size) == 0:
        return 1, 1
    return (output_size[0], output_size[0]) if len(output_size) == 1 else tuple(output_size)


@register("_contrib_AdaptiveAvgPooling2D", inputs=("data",),
          params=(Optional(Shape("output_size", ())),),
          shape=lambda a, s: (s, [None if s[0] is None else tuple(s[0][:2])
                                  + _out_hw(a["output_size"])]))


def adaptive_avg_pooling(xp, data, *, output_size):
    """Averages each of the (oh, ow) adaptive bins of (N, C, H, W) data (PyTorch's
    AdaptiveAvgPool2d); ``output_size`` is an int or (oh, ow)."""
    oh, ow = _out_hw(output_size)
    h, w = data.shape[2:]
    return _apply(xp, data, _pool_matrix(xp, h, oh, data.dtype),
                  _pool_matrix(xp, w, ow, data.dtype))

@adaptive_avg_pooling.gradient
def _(F, inputs, outputs, ograds, output_size):
    # linear: d/dx = A_h^T g A_w
    return (F._internal._backward_AdaptiveAvgPooling2D(ograds[0], inputs[0],
                                                       output_size=output_size),)


@register("_backward_AdaptiveAvgPooling2D", inputs=("ograd", "data"),
          params=(Optional(Shape("output_size", ())),), differentiable=False)


def _backward_adaptive_avg_pooling(xp, ograd, data, *, output_size):
    """Gradient of AdaptiveAvgPooling2D."""
    oh, ow = _out_hw(output_size)
    h, w = data.shape[2:]
    return _apply(xp, ograd, _pool_matrix(xp, h, oh, data.dtype).T,
                  _pool_matrix(xp, w, ow, data.dtype).T)


# -- BilinearResize2D ------------------------------------------------------------


_MODES = ("size", "odd_scale", "like", "to_even_down", "to_even_up", "to_odd_down",
          "to_odd_up")
_RESIZE = (Int("height", 1), Int("width", 1), Optional(Float("scale_height")),
           Optional(Float("scale_width")), Enum("mode", _MODES, "size"),
           Bool("align_corners", True))


def _resize_matrix(xp, n_in, n_out, align, dtype):
    """(n_out, n_in) bilinear interpolation matrix (MXNet's source-index rule)."""
    dst = xp.arange(n_out, dtype="float64")
    if align:
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        src = xp.maximum((dst + 0.5) * (n_in / n_out) - 0.5, 0.0)
    i0 = xp.minimum(xp.floor(src).astype("int64"), n_in - 1)
    i1 = xp.minimum(i0 + 1, n_in - 1)
    lam = src - i0
    pos = xp.arange(n_in).reshape(1, -1)
    m = (pos == i0[:, None]) * (1 - lam)[:, None] + (pos == i1[:, None]) * lam[:, None]
    return m.astype(dtype)


def _size_of(n, scale, mode, fixed):
    if mode == "size":
        return fixed if scale is None else int(n * scale)
    if mode == "odd_scale":
        return int((n - 1) * scale + 1) if n % 2 else int(n * scale)
    if mode in ("to_even_down", "to_even_up", "to_odd_down", "to_odd_up"):
        want_even = "even" in mode
        if (n % 2 == 0) == want_even:
            return n
        return n - 1 if mode.endswith("down") else n + 1
    raise MXNetError(f"Operator BilinearResize2D: mode {mode} needs a 'like' input")


def _resize_hw(attrs, shape, like_shape=None):
    if attrs["mode"] == "like":
        return tuple(like_shape[2:])
    return (_size_of(shape[2], attrs["scale_height"], attrs["mode"], attrs["height"]),
            _size_of(shape[3], attrs["scale_width"], attrs["mode"], attrs["width"]))


@register("_contrib_BilinearResize2D", inputs=("data", "like"), params=_RESIZE,
          input_filter=lambda a: ("data", "like") if a["mode"] == "like" else ("data",))


def bilinear_resize(xp, data, like=None, **attrs):
    """Resizes (N, C, H, W) data with bilinear interpolation to (height, width), to a
    scale, or to ``like``'s spatial size."""
    oh, ow = _resize_hw(attrs, data.shape, None if like is None else like.shape)
    al = attrs["align_corners"]
    return _apply(xp, data, _resize_matrix(xp, data.shape[2], oh, al, data.dtype),
                  _resize_matrix(xp, data.shape[3], ow, al, data.dtype))

@bilinear_resize.gradient
def _(F, inputs, outputs, ograds, **params):
    # linear: d/dx = A_h^T g A_w
    g = F._internal._backward_BilinearResize2D(ograds[0], inputs[0], **params)
    return (g,) if len(inputs) == 1 else (g, None)


@register("_backward_BilinearResize2D", inputs=("ograd", "data"), params=_RESIZE,
          differentiable=False)


def _backward_bilinear_resize(xp, ograd, data, **attrs):
    """Gradient of BilinearResize2D with respect to its data."""
    oh, ow = ograd.shape[2:]
    al = attrs["align_corners"]
    return _apply(xp, ograd, _resize_matrix(xp, data.shape[2], oh, al, data.dtype).T,
                  _resize_matrix(xp, data.shape[3], ow, al, data.dtype).T)
