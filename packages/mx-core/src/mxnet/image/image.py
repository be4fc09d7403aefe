"""Image decoding, resizing and cropping (``mx.image`` / ``mx.img``), as in MXNet 1.9.1.

Images are HWC NDArrays (RGB by default). Decoding and resizing use OpenCV, an optional
extra (``pip install mx-core[image]``) imported on first use, as MXNet's C++ operators
did; the cropping and normalising helpers need only NumPy.
"""
import random
from numbers import Number

import numpy as np

from ..base import MXNetError, numeric_types
from ..ndarray import NDArray, array

__all__ = ["imread", "imdecode", "imresize", "scale_down", "copyMakeBorder", "resize_short",
           "fixed_crop", "random_crop", "center_crop", "color_normalize", "random_size_crop",
           "imrotate", "random_rotate"]


def _cv2():
    try:
        import cv2
    except ImportError as err:
        raise ImportError("mx.image needs OpenCV for decoding and resizing: "
                          "pip install mx-core[image]") from err
    return cv2


def _np(src):
    return src.asnumpy() if isinstance(src, NDArray) else np.asarray(src)


def _nd(values, like=None):
    ctx = like.context if isinstance(like, NDArray) else None
    return array(values, ctx, dtype=values.dtype)


def _decode(buf, flag, to_rgb, what):
    cv2 = _cv2()
    raw = np.frombuffer(buf, dtype=np.uint8)
    # OpenCV asserts (cv2.error) on an empty buffer; MXNet reports it as MXNetError
    img = cv2.imdecode(raw, cv2.IMREAD_COLOR if flag else cv2.IMREAD_GRAYSCALE) \
        if raw.size else None
    if img is None:
        raise MXNetError(f"Decoding failed. Invalid image file ({what}).")
    if img.ndim == 2:
        img = img[:, :, None]
    elif to_rgb:
        img = img[:, :, ::-1]
    return np.ascontiguousarray(img)


def imread(filename, flag=1, to_rgb=1, out=None):
    """Reads an image file into an HWC uint8 NDArray.

    Parameters
    ----------
    filename : str
        Name of the image file.
    flag : int
        1 for three channel color output, 0 for grayscale (HxWx1).
    to_rgb : int
        1 for RGB channel order (MXNet's default), 0 for OpenCV's BGR.
    """
    try:
        with open(filename, "rb") as fin:
            buf = fin.read()
    except OSError as err:
        raise MXNetError(f"imread: cannot read {filename!r}: {err.strerror}") from err
    return _out(_nd(_decode(buf, flag, to_rgb, filename)), out)


def imdecode(buf, flag=1, to_rgb=1, out=None):
    """Decodes an image (bytes, bytearray, uint8 numpy array or NDArray) to an NDArray.

    Examples
    --------
    >>> with open("flower.jpg", 'rb') as fp:
    ...     image = mx.img.imdecode(fp.read())
    >>> image
    <NDArray 224x224x3 @cpu(0)>
    """
    if isinstance(buf, NDArray):
        buf = buf.asnumpy().astype(np.uint8).tobytes()
    elif isinstance(buf, np.ndarray):
        buf = buf.astype(np.uint8, copy=False).tobytes()
    elif not isinstance(buf, (bytes, bytearray)):
        raise ValueError("buf must be of type bytes, bytearray or numpy.ndarray,"
                         "if you would like to input type str, please convert to bytes")
    return _out(_nd(_decode(bytes(buf), flag, to_rgb, f"{len(buf)} bytes")), out)


def _out(result, out):
    if out is None:
        return result
    out[:] = result
    return out


def imresize(src, w, h, interp=1, out=None):
    """Resizes an HWC image to width ``w`` and height ``h`` with OpenCV.

    ``interp``: 0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos, 9 auto, 10 random.
    """
    cv2 = _cv2()
    img = _np(src)
    method = _get_interp_method(interp, (img.shape[0], img.shape[1], h, w))
    res = cv2.resize(img, (int(w), int(h)), interpolation=method)
    if res.ndim == 2 and img.ndim == 3:
        res = res[:, :, None]
    return _out(_nd(res, src), out)


def copyMakeBorder(src, top, bot, left, right, type=0, value=0.0, values=(),  # noqa: A002
                   out=None):
    """Pads an HWC image border with OpenCV (``type``: 0 constant, 1 reflect,
    2 reflect-101, 3 replicate, 4 wrap)."""
    cv2 = _cv2()
    img = _np(src)
    fill = list(values) if values else [value] * 4
    res = cv2.copyMakeBorder(img, int(top), int(bot), int(left), int(right), int(type),
                             value=fill)
    if res.ndim == 2 and img.ndim == 3:
        res = res[:, :, None]
    return _out(_nd(res, src), out)


def scale_down(src_size, size):
    """Scales a crop size ``(w, h)`` down to fit in ``src_size``, keeping its aspect.

    Examples
    --------
    >>> mx.img.scale_down((640, 480), (720, 120))
    (640, 106)
    """
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def _get_interp_method(interp, sizes=()):
    """Resolves 9 (auto: cubic to enlarge, area to shrink, else bilinear) and 10 (random)."""
    if interp == 9:
        if sizes:
            oh, ow, nh, nw = sizes
            if nh > oh and nw > ow:
                return 2
            if nh < oh and nw < ow:
                return 3
            return 1
        return 2
    if interp == 10:
        return random.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise ValueError(f"Unknown interp method {interp}")
    return interp


def resize_short(src, size, interp=2):
    """Resizes so that the shorter edge is ``size``, keeping the aspect ratio."""
    h, w = src.shape[:2]
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return imresize(src, new_w, new_h, interp=_get_interp_method(interp, (h, w, new_h, new_w)))


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """Crops ``src`` at ``(x0, y0)`` to ``w`` x ``h`` and optionally resizes to ``size``."""
    out = _nd(np.ascontiguousarray(_np(src)[y0:y0 + h, x0:x0 + w]), src)
    if size is not None and (w, h) != tuple(size):
        sizes = (h, w, size[1], size[0])
        out = imresize(out, *size, interp=_get_interp_method(interp, sizes))
    return out


def random_crop(src, size, interp=2):
    """Randomly crops ``size`` (w, h), upsampling if ``src`` is smaller.

    Returns the crop and ``(x0, y0, w, h)`` of the crop in ``src``.
    """
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0 = random.randint(0, w - new_w)
    y0 = random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src, size, interp=2):
    """Crops the center ``size`` (w, h), upsampling if ``src`` is smaller.

    Returns the crop and ``(x0, y0, w, h)`` of the crop in ``src``.
    """
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """``(src - mean) / std`` (either may be None)."""
    values = _np(src)
    if mean is not None:
        values = values - _np(mean)
    if std is not None:
        values = values / _np(std)
    return _nd(np.asarray(values, dtype=values.dtype), src)


def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """Randomly crops with a random area fraction and aspect ratio, then resizes to ``size``.

    Parameters
    ----------
    area : float or tuple of (float, float)
        Area range of the crop relative to ``src`` (a float is the minimum, up to 1).
    ratio : tuple of (float, float)
        Aspect ratio range (w / h), sampled log-uniformly.

    Falls back to `center_crop` after 10 failed tries, as MXNet.
    """
    h, w = src.shape[:2]
    if "min_area" in kwargs:
        area = kwargs.pop("min_area")
    if kwargs:
        raise TypeError(f"unexpected keyword arguments for `random_size_crop`: {sorted(kwargs)}")
    if isinstance(area, numeric_types):
        area = (area, 1.0)
    for _ in range(10):
        target_area = random.uniform(area[0], area[1]) * h * w
        new_ratio = np.exp(random.uniform(np.log(ratio[0]), np.log(ratio[1])))
        new_w = int(round(np.sqrt(target_area * new_ratio)))
        new_h = int(round(np.sqrt(target_area / new_ratio)))
        if new_w <= w and new_h <= h:
            x0 = random.randint(0, w - new_w)
            y0 = random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def _bilinear_sample(src, gx, gy):
    """MXNet's BilinearSampler: ``src`` NCHW sampled at the normalised grid (gx, gy) in
    [-1, 1]; neighbours outside the image count as 0."""
    n, _, h, w = src.shape
    x = (gx + 1) * (w - 1) / 2
    y = (gy + 1) * (h - 1) / 2
    x0, y0 = np.floor(x), np.floor(y)
    out = np.zeros((n, src.shape[1]) + gx.shape[1:], dtype=src.dtype)
    batch = np.arange(n)[:, None, None]
    for dy in (0, 1):
        for dx in (0, 1):
            xi, yi = (x0 + dx).astype(np.int64), (y0 + dy).astype(np.int64)
            weight = (x - x0 if dx else 1 - (x - x0)) * (y - y0 if dy else 1 - (y - y0))
            valid = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
            vals = src[batch, :, np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)]
            out += np.moveaxis(vals * np.where(valid, weight, 0)[..., None], -1, 1)
    return out


def imrotate(src, rotation_degrees, zoom_in=False, zoom_out=False):
    """Rotates float32 CHW images (or an NCHW batch) by ``rotation_degrees``
    (a scalar, or one angle per image), bilinearly, padding with zeros.

    ``zoom_in`` scales so that no padding shows; ``zoom_out`` so that the whole image stays.
    """
    if zoom_in and zoom_out:
        raise ValueError("`zoom_in` and `zoom_out` cannot be both True")
    if src.dtype is not np.float32:
        raise TypeError("Only `float32` images are supported by this function")
    values = _np(src)
    expanded = values.ndim == 3
    if expanded:
        if not isinstance(rotation_degrees, Number):
            raise TypeError("When a single image is passed the rotation angle is "
                            "required to be a scalar.")
        values = values[None]
    elif values.ndim != 4:
        raise ValueError("Only 3D and 4D are supported by this function")
    if isinstance(rotation_degrees, Number):
        rotation_degrees = [rotation_degrees] * len(values)
    angles = _np(rotation_degrees).astype(np.float32).reshape(-1)
    if len(values) != len(angles):
        raise ValueError("The number of images must be equal to the number of rotation angles")
    rad = (np.float32(np.pi) * angles / 180)[:, None, None]
    _, _, h, w = values.shape
    hscale, wscale = float(h - 1) / 2, float(w - 1) / 2
    hm = (np.arange(h, dtype=np.float32)[:, None] - hscale) * np.ones((1, w), np.float32)
    wm = (np.arange(w, dtype=np.float32)[None, :] - wscale) * np.ones((h, 1), np.float32)
    cos, sin = np.cos(rad), np.sin(rad)
    gx = (wm * cos - hm * sin) / wscale
    gy = (wm * sin + hm * cos) / hscale
    scale = _rotation_zoom(h, w, rad, zoom_in, zoom_out)
    out = _bilinear_sample(values, gx * scale, gy * scale)
    return _nd(out[0] if expanded else out, src)


def _rotation_zoom(h, w, rad, zoom_in, zoom_out):
    if not (zoom_in or zoom_out):
        return np.float32(1)
    h, w = np.float32(h), np.float32(w)
    rho, corner = np.sqrt(h * h + w * w), np.arctan(h / w)
    max_x = np.maximum(np.abs(rho * np.cos(corner + np.abs(rad))),
                       np.abs(rho * np.cos(corner - np.abs(rad))))
    max_y = np.maximum(np.abs(rho * np.sin(corner + np.abs(rad))),
                       np.abs(rho * np.sin(corner - np.abs(rad))))
    if zoom_out:
        return np.maximum(max_x / w, max_y / h)
    return np.minimum(w / max_x, h / max_y)


def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """Rotates by angles drawn uniformly from ``angle_limits`` (with ``numpy.random``)."""
    if src.ndim == 3:
        rotation_degrees = np.random.uniform(*angle_limits)
    else:
        rotation_degrees = np.random.uniform(*angle_limits, size=src.shape[0])
    return imrotate(src, rotation_degrees, zoom_in=zoom_in, zoom_out=zoom_out)
