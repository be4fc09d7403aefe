"""to_tensor, normalize and crop, with the gradients MXNet 1.9.1 has."""
from ...infer import same
from ...params import FloatTuple, Int
from ...registry import register
from ._common import _check_ndim, _f32, _fail


def _to_tensor_shape(attrs, in_shapes):
    s = in_shapes[0]
    if s is None:
        return in_shapes, [None]
    _check_ndim("to_tensor", s, "HWC")
    return in_shapes, [tuple(s[:-3]) + (s[-1], s[-3], s[-2])]


@register("_image_to_tensor", inputs=("data",), shape=_to_tensor_shape,
          dtype=lambda attrs, in_dtypes: (in_dtypes, ["float32"]), differentiable=False)
def to_tensor(xp, data):
    """(H, W, C) or (N, H, W, C) in [0, 255] -> float32 (C, H, W) / (N, C, H, W) in [0, 1]."""
    _check_ndim("to_tensor", data.shape, "HWC")
    out = data.astype("float32") / _f32(xp, 255.0)
    return xp.ascontiguousarray(xp.moveaxis(out, -1, -3))


def _per_channel(xp, values, channels, name):
    arr = _f32(xp, values).reshape(-1)
    if arr.size not in (1, channels):
        _fail("normalize", f"{name} must have either 1 or {channels} elements, but got "
                           f"{tuple(values)}")
    if arr.size == 1:
        arr = xp.repeat(arr, channels)
    return arr.reshape(-1, 1, 1)


def _normalize_shape(attrs, in_shapes):
    s = in_shapes[0]
    if s is not None:
        _check_ndim("normalize", s, "CHW")
        if s[-3] not in (1, 3):
            _fail("normalize", f"the channel dimension must have 1 or 3 elements, but got "
                               f"input with shape {tuple(s)}")
    return same(attrs, in_shapes)


_MEAN = FloatTuple("mean", (0.0, 0.0, 0.0, 0.0),
                   "Sequence of means for each channel. Default value is 0.")
_STD = FloatTuple("std", (1.0, 1.0, 1.0, 1.0),
                  "Sequence of standard deviations for each channel. Default value is 1.")


def _mean_std(xp, shape, mean, std):
    _normalize_shape({}, [tuple(shape)])
    # MXNet 1.9.1 compat: the 4-element defaults fit no image (1 or 3 channels), so a
    # call must pass mean and std (one value or one per channel).
    c = shape[-3]
    return _per_channel(xp, mean, c, "mean"), _per_channel(xp, std, c, "std")


@register("_image_normalize", inputs=("data",), params=(_MEAN, _STD), shape=_normalize_shape)
def normalize(xp, data, *, mean, std):
    """Per-channel ``(x - mean) / std`` of a (C, H, W) or (N, C, H, W) tensor."""
    m, s = _mean_std(xp, data.shape, mean, std)
    # MXNet 1.9.1 compat: the output keeps the input dtype (integer results truncate).
    work = data.dtype if data.dtype.kind == "f" else "float32"
    return ((data.astype(work) - m.astype(work)) / s.astype(work)).astype(data.dtype)


@register("_backward_image_normalize", inputs=("ograd",), params=(_MEAN, _STD),
          shape=same)
def backward_normalize(xp, ograd, *, mean, std):
    """Gradient of ``_image_normalize``: ``ograd / std`` per channel."""
    _, s = _mean_std(xp, ograd.shape, mean, std)
    return (ograd / s.astype(ograd.dtype)).astype(ograd.dtype)


@normalize.gradient
def _(F, inputs, outputs, ograds, mean, std):     # d/dx (x - m) / s = 1 / s
    return (F._internal._backward_image_normalize(ograds[0], mean=mean, std=std),)


@backward_normalize.gradient
def _(F, inputs, outputs, ograds, mean, std):     # d/dg g / s = 1 / s
    return (F._internal._backward_image_normalize(ograds[0], mean=mean, std=std),)


# -- crop, flips ---------------------------------------------------------------------------
_CROP_PARAMS = (Int("x", doc="Left boundary of the cropping area."),
                Int("y", doc="Top boundary of the cropping area."),
                Int("width", doc="Width of the cropping area."),
                Int("height", doc="Height of the cropping area."))


def _crop_check(s, x, y, width, height):
    _check_ndim("crop", s, "HWC")
    if s[-1] not in (1, 3):
        _fail("crop", f"the channel (last) dimension must be 1 or 3, got shape {tuple(s)}")
    h, w = s[-3], s[-2]
    if x < 0 or y < 0 or width <= 0 or height <= 0 or x + width > w or y + height > h:
        _fail("crop", f"the cropping area (x={x}, y={y}, width={width}, height={height}) "
                      f"must lie inside the image of height {h} and width {w}")


def _crop_shape(attrs, in_shapes):
    s = in_shapes[0]
    if s is None:
        return in_shapes, [None]
    _crop_check(s, attrs["x"], attrs["y"], attrs["width"], attrs["height"])
    return in_shapes, [tuple(s[:-3]) + (attrs["height"], attrs["width"], s[-1])]


@register("_image_crop", inputs=("data",), params=_CROP_PARAMS, shape=_crop_shape)
def crop(xp, data, *, x, y, width, height):
    """Crops an (H, W, C) or (N, H, W, C) image to the given area."""
    _crop_check(data.shape, x, y, width, height)
    return xp.ascontiguousarray(data[..., y:y + height, x:x + width, :])


@register("_backward_image_crop", inputs=("ograd", "data"), params=_CROP_PARAMS,
          shape=lambda attrs, s: (s, [s[1]]))
def backward_crop(xp, ograd, data, *, x, y, width, height):
    """Gradient of ``_image_crop``: ``ograd`` placed in a zero image."""
    out = xp.zeros(data.shape, dtype=ograd.dtype)
    out[..., y:y + height, x:x + width, :] = ograd
    return out


@crop.gradient
def _(F, inputs, outputs, ograds, **area):        # d/dx: 1 inside the area, 0 outside
    return (F._internal._backward_image_crop(ograds[0], inputs[0], **area),)


@backward_crop.gradient
def _(F, inputs, outputs, ograds, **area):        # linear in ograd: crop the head gradient
    return (F.image.crop(ograds[0], **area), None)
