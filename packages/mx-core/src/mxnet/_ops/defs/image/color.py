"""Colour augmenters: brightness, contrast, saturation, hue, jitter, lighting."""
from ...params import Float, FloatTuple
from ...registry import register
from ._common import _EIG, _GRAY, _check_hwc, _f32, _fail, _saturate
from .flip import _copy_gradient, _hwc_shape




# -- colour augmenters (HWC, 1 or 3 channels) ----------------------------------------------
def _brightness(xp, img, alpha):
    return _saturate(xp, img.astype("float32") * _f32(xp, alpha), img.dtype)


def _contrast(xp, img, alpha):
    values = img.astype("float32")
    if img.shape[2] > 1:
        gray_mean = (values[..., :3] * _f32(xp, _GRAY)).sum() / (img.shape[0] * img.shape[1])
    else:
        gray_mean = values.mean()
    alpha = _f32(xp, alpha)
    beta = (1 - alpha) * gray_mean.astype("float32")
    return _saturate(xp, values * alpha + beta, img.dtype)


def _saturation(xp, img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    values = img.astype("float32")
    alpha = _f32(xp, alpha)
    # MXNet 1.9.1 compat: its kernel overwrites (not sums) the luma term per channel, so
    # the "gray" it blends towards is 0.114 * blue.
    gray = values[..., 2:3] * _f32(xp, _GRAY[2]) * (1 - alpha)
    return _saturate(xp, gray + values * alpha, img.dtype)


def _rgb_to_hls(xp, rgb):
    r, g, b = (rgb[..., i] / _f32(xp, 255) for i in range(3))
    vmax = xp.maximum(xp.maximum(r, g), b)
    vmin = xp.minimum(xp.minimum(r, g), b)
    diff = vmax - vmin
    light = (vmax + vmin) * _f32(xp, 0.5)
    colored = diff > xp.finfo("float32").eps
    safe = xp.where(colored, diff, 1)
    sat = xp.where(light < 0.5, diff / xp.where(colored, vmax + vmin, 1),
                   diff / xp.where(colored, 2 - vmax - vmin, 1))
    scale = _f32(xp, 60) / safe
    hue = xp.where(vmax == r, (g - b) * scale,
                   xp.where(vmax == g, (b - r) * scale + 120, (r - g) * scale + 240))
    hue = xp.where(hue < 0, hue + 360, hue)
    return (xp.where(colored, hue, 0).astype("float32"), light,
            xp.where(colored, sat, 0).astype("float32"))


# Which of (p2, p1, rising, falling) feeds (b, g, r) per 60-degree sector (c_HlsSectorData).
_SECTORS = ((1, 3, 0), (1, 0, 2), (3, 0, 1), (0, 2, 1), (0, 1, 3), (2, 1, 0))


def _hls_to_rgb(xp, hue, light, sat):
    p2 = xp.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    h = xp.mod(hue / _f32(xp, 60), 6).astype("float32")
    sector = xp.minimum(h.astype("int64"), 5)
    frac = h - sector
    tab = xp.stack([p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac], axis=-1)
    pick = xp.asarray(_SECTORS, dtype="int64")[sector]
    bgr = xp.take_along_axis(tab, pick, axis=-1)
    rgb = xp.where((sat != 0)[..., None], bgr[..., ::-1], light[..., None])
    return (rgb * _f32(xp, 255)).astype("float32")


def _hue(xp, img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    hue, light, sat = _rgb_to_hls(xp, img.astype("float32"))
    return _saturate(xp, _hls_to_rgb(xp, hue + _f32(xp, alpha) * 360, light, sat), img.dtype)


def _lighting(xp, img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    pca = _f32(xp, _EIG) @ _f32(xp, alpha)
    return _saturate(xp, img.astype("float32") + pca, img.dtype)


_FACTORS = (Float("min_factor", doc="Minimum factor."),
            Float("max_factor", doc="Maximum factor."))


def _declare_enhance(name, adjust, doc):
    op_name = f"random_{name}"

    def forward(xp, data, *, min_factor, max_factor, rng):
        _check_hwc(op_name, data.shape)
        if min_factor > max_factor:
            _fail(op_name, f"min_factor ({min_factor}) must not exceed max_factor "
                           f"({max_factor})")
        return adjust(xp, data, min_factor + (max_factor - min_factor) * float(rng.random()))

    forward.__name__ = op_name
    forward.__doc__ = doc
    op = register(f"_image_{op_name}", inputs=("data",), params=_FACTORS,
                  shape=_hwc_shape(op_name))(forward)
    return _copy_gradient(op)


random_brightness = _declare_enhance(
    "brightness", _brightness, "Multiplies the pixels by a factor from [min_factor, max_factor].")
random_contrast = _declare_enhance(
    "contrast", _contrast, "Blends with the mean gray level by a random factor.")
random_saturation = _declare_enhance(
    "saturation", _saturation, "Blends with gray by a random factor.")
random_hue = _declare_enhance(
    "hue", _hue, "Rotates the hue by ``factor * 360`` degrees, factor drawn at random.")


@register("_image_random_color_jitter", inputs=("data",),
          params=(Float("brightness", doc="How much to jitter brightness."),
                  Float("contrast", doc="How much to jitter contrast."),
                  Float("saturation", doc="How much to jitter saturation."),
                  Float("hue", doc="How much to jitter hue.")),
          shape=_hwc_shape("random_color_jitter"))
def random_color_jitter(xp, data, *, brightness, contrast, saturation, hue, rng):
    """Jitters brightness, contrast, saturation and hue (each 1 +- amount), in random order."""
    _check_hwc("random_color_jitter", data.shape)
    steps = ((brightness, _brightness), (contrast, _contrast),
             (saturation, _saturation), (hue, _hue))
    img = data
    for i in [int(k) for k in rng.permutation(4)]:
        amount, adjust = steps[i]
        if amount > 0:
            img = adjust(xp, img, 1.0 + amount * (2.0 * float(rng.random()) - 1.0))
    return img.copy() if img is data else img


_copy_gradient(random_color_jitter)


@register("_image_adjust_lighting", inputs=("data",),
          params=(FloatTuple("alpha", doc="The lighting alphas for the R, G, B channels."),),
          shape=_hwc_shape("adjust_lighting"))
def adjust_lighting(xp, data, *, alpha):
    """Adds AlexNet-style PCA lighting ``eig @ alpha`` to an RGB image."""
    _check_hwc("adjust_lighting", data.shape)
    if len(alpha) != 3:
        _fail("adjust_lighting", f"alpha must have 3 elements, got {alpha}")
    return _lighting(xp, data, alpha)


@register("_image_random_lighting", inputs=("data",),
          params=(Float("alpha_std", 0.05, "Level of the lighting noise."),),
          shape=_hwc_shape("random_lighting"))
def random_lighting(xp, data, *, alpha_std, rng):
    """Adds PCA lighting noise with alphas drawn from N(0, alpha_std)."""
    _check_hwc("random_lighting", data.shape)
    alpha = [alpha_std * float(v) for v in rng.standard_normal(3)]
    return _lighting(xp, data, alpha)


_copy_gradient(adjust_lighting)
_copy_gradient(random_lighting)
