"""resize: OpenCV on the CPU when importable, else an xp nearest/bilinear kernel."""
from ...params import Bool, Int, Shape
from ...registry import register
from ._common import _check_ndim, _fail, _saturate


# -- resize --------------------------------------------------------------------------------
def _resize_hw(op, s, size, keep_ratio):
    """Output (height, width) of ``resize`` (MXNet's GetHeightAndWidth)."""
    _check_ndim(op, s, "HWC")
    if len(size) not in (1, 2):
        _fail(op, f"size must be (width, height) or (size,), got {tuple(size)}")
    for name, v in zip(("width", "height") if len(size) == 2 else ("size",), size):
        if int(v) <= 0:
            _fail(op, f"Input {name} should be greater than 0, but got {int(v)}")
    h, w = s[-3], s[-2]
    if len(size) == 2:
        return int(size[1]), int(size[0])
    if not keep_ratio:
        return int(size[0]), int(size[0])
    # MXNet 1.9.1 compat: the short edge becomes ``size``, the long one is truncated.
    n = int(size[0])
    return (int(h * n / w), n) if h > w else (n, int(w * n / h))


def _resize_shape(attrs, in_shapes):
    s = in_shapes[0]
    if s is None:
        return in_shapes, [None]
    oh, ow = _resize_hw("resize", s, attrs["size"], attrs["keep_ratio"])
    return in_shapes, [tuple(s[:-3]) + (oh, ow, s[-1])]


def _cv2():
    try:
        import cv2
    except ImportError:
        return None
    return cv2


def _axis_weights(xp, n_in, n_out, linear):
    """Source indices and weights along one axis, OpenCV's convention."""
    scale = n_in / n_out
    dst = xp.arange(n_out, dtype="float64")
    if not linear:
        lo = xp.minimum(xp.floor(dst * scale).astype("int64"), n_in - 1)
        return lo, lo, xp.zeros(n_out, dtype="float32")
    src = xp.maximum((dst + 0.5) * scale - 0.5, 0.0)
    lo = xp.minimum(xp.floor(src).astype("int64"), n_in - 1)
    hi = xp.minimum(lo + 1, n_in - 1)
    return lo, hi, (src - lo).astype("float32")


def _resize_xp(xp, img, oh, ow, interp):
    """Nearest (interp 0) or bilinear (others) resize of one HWC image."""
    linear = interp != 0
    y0, y1, wy = _axis_weights(xp, img.shape[0], oh, linear)
    x0, x1, wx = _axis_weights(xp, img.shape[1], ow, linear)
    v = img.astype("float32")
    wy, wx = wy[:, None, None], wx[None, :, None]
    top = v[y0][:, x0] * (1 - wx) + v[y0][:, x1] * wx
    bot = v[y1][:, x0] * (1 - wx) + v[y1][:, x1] * wx
    out = top * (1 - wy) + bot * wy
    if img.dtype.kind in "ui":
        out = xp.floor(out + 0.5)
    return _saturate(xp, out, img.dtype)


def _resize_one(xp, img, oh, ow, interp):
    cv2 = _cv2() if xp.__name__ == "numpy" else None
    if cv2 is None:
        return _resize_xp(xp, img, oh, ow, interp)
    out = cv2.resize(img, (ow, oh), interpolation=interp)
    return out[:, :, None] if out.ndim == 2 else out


@register("_image_resize", inputs=("data",), shape=_resize_shape, differentiable=False,
          params=(Shape("size", (), "Size of new image. Could be (width, height) or (size)"),
                  Bool("keep_ratio", False, "Whether to resize the short edge or both edges "
                       "to `size`, if size is give as an integer."),
                  Int("interp", 1, "Interpolation method for resizing (OpenCV's: 0 nearest, "
                      "1 bilinear, 2 cubic, 3 area, 4 Lanczos).")))
def resize(xp, data, *, size, keep_ratio, interp):
    """Resizes an (H, W, C) or (N, H, W, C) image (OpenCV on the CPU when importable)."""
    oh, ow = _resize_hw("resize", data.shape, size, keep_ratio)
    if data.ndim == 3:
        return _resize_one(xp, data, oh, ow, interp)
    return xp.stack([_resize_one(xp, one, oh, ow, interp) for one in data])
