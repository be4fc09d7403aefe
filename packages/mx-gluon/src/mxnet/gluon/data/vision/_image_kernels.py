"""NumPy versions of MXNet 1.9.1's image operators (``src/operator/image/``).

``transforms`` calls the registered ``mx.nd.image.*`` operator when mx-core has it and
falls back to these kernels otherwise (eager mode only). They follow the C++ kernels,
including the float32 arithmetic and the uint8 saturation (clip, then truncate).
"""
import numpy as np

from ....base import MXNetError

# Luma weights used by contrast and saturation.
_GRAY = np.array([0.299, 0.587, 0.114], dtype=np.float32)
# AlexNet's PCA of ImageNet RGB: eigenvalue * eigenvector, rows R, G, B.
_EIG = np.array([[55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
                 [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140],
                 [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203]], dtype=np.float32)


def saturate(values, dtype):
    """Cast float32 results back to ``dtype``; uint8 clips to [0, 255] then truncates."""
    if np.dtype(dtype) == np.uint8:
        values = np.clip(values, 0.0, 255.0)
    return values.astype(dtype)


def check_hwc(img, op):
    if img.ndim != 3 or img.shape[2] not in (1, 3):
        raise MXNetError(f"{op}: input image must have shape (height, width, channels) "
                         f"with 1 or 3 channels, but got {img.shape}")


def to_tensor(img):
    """(H, W, C) or (N, H, W, C) in [0, 255] -> float32 (C, H, W) / (N, C, H, W) in [0, 1]."""
    if img.ndim not in (3, 4):
        raise MXNetError(f"to_tensor: input must be 3D (HWC) or 4D (NHWC), got {img.shape}")
    out = img.astype(np.float32) / np.float32(255.0)
    return np.ascontiguousarray(np.moveaxis(out, -1, -3))


def normalize(img, mean, std):
    """Per-channel ``(x - mean) / std`` of a (C, H, W) or (N, C, H, W) tensor."""
    if img.ndim not in (3, 4):
        raise MXNetError(f"normalize: input must be 3D (CHW) or 4D (NCHW), got {img.shape}")
    channels = img.shape[-3]
    if channels not in (1, 3):
        raise MXNetError("normalize: the channel dimension must have 1 or 3 elements, but "
                         f"got input with shape {img.shape}")
    mean, std = (np.atleast_1d(np.asarray(v, dtype=np.float32)) for v in (mean, std))
    for name, val in (("mean", mean), ("std", std)):
        if val.size not in (1, channels):
            raise MXNetError(f"normalize: {name} must have either 1 or {channels} elements, "
                             f"but got {tuple(val)}")
    shape = (-1, 1, 1)
    return ((img.astype(np.float32) - mean.reshape(shape)) / std.reshape(shape)).astype(
        img.dtype if img.dtype.kind == "f" else np.float32)


def resize_shape(h, w, size, keep_ratio):
    """Output (height, width) of ``resize`` (MXNet's GetHeightAndWidth)."""
    if isinstance(size, (int, np.integer)) or len(size) == 1:
        size = int(size if isinstance(size, (int, np.integer)) else size[0])
        if not keep_ratio:
            return size, size
        # MXNet 1.9.1 compat: the short edge becomes ``size``, the long one is truncated.
        return (int(h * size / w), size) if h > w else (size, int(w * size / h))
    return int(size[1]), int(size[0])


def flip(img, axis):
    return np.ascontiguousarray(np.flip(img, axis=axis))


def adjust_brightness(img, alpha):
    return saturate(img.astype(np.float32) * np.float32(alpha), img.dtype)


def adjust_contrast(img, alpha):
    values = img.astype(np.float32)
    if img.shape[2] > 1:
        gray_mean = np.float32((values[..., :3] * _GRAY).sum() / (img.shape[0] * img.shape[1]))
    else:
        gray_mean = np.float32(values.mean())
    beta = (1 - np.float32(alpha)) * gray_mean
    return saturate(values * np.float32(alpha) + beta, img.dtype)


def adjust_saturation(img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    values = img.astype(np.float32)
    # MXNet 1.9.1 compat: its kernel overwrites (not sums) the luma term per channel, so
    # the "gray" it blends towards is 0.114 * blue.
    gray = values[..., 2:3] * _GRAY[2] * (1 - np.float32(alpha))
    return saturate(gray + values * np.float32(alpha), img.dtype)


def _rgb_to_hls(rgb):
    r, g, b = (rgb[..., i] / np.float32(255) for i in range(3))
    vmax = np.maximum(np.maximum(r, g), b)
    vmin = np.minimum(np.minimum(r, g), b)
    diff = vmax - vmin
    light = (vmax + vmin) * np.float32(0.5)
    colored = diff > np.finfo(np.float32).eps
    safe = np.where(colored, diff, 1)
    sat = np.where(light < 0.5, diff / np.where(colored, vmax + vmin, 1),
                   diff / np.where(colored, 2 - vmax - vmin, 1))
    scale = np.float32(60) / safe
    hue = np.where(vmax == r, (g - b) * scale,
                   np.where(vmax == g, (b - r) * scale + 120, (r - g) * scale + 240))
    hue = np.where(hue < 0, hue + 360, hue)
    return (np.where(colored, hue, 0).astype(np.float32), light,
            np.where(colored, sat, 0).astype(np.float32))


def _hls_to_rgb(hue, light, sat):
    p2 = np.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    h = np.mod(hue / np.float32(60), 6).astype(np.float32)
    sector = np.minimum(h.astype(np.int64), 5)
    frac = h - sector
    tab = np.stack([p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac], axis=-1)
    # Which tab entry feeds (b, g, r) in each 60-degree sector (MXNet's c_HlsSectorData).
    sectors = np.array([[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]])
    pick = sectors[sector]
    bgr = np.take_along_axis(tab, pick, axis=-1)
    rgb = np.where((sat != 0)[..., None], bgr[..., ::-1], light[..., None])
    return (rgb * np.float32(255)).astype(np.float32)


def adjust_hue(img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    hue, light, sat = _rgb_to_hls(img.astype(np.float32))
    return saturate(_hls_to_rgb(hue + np.float32(alpha) * 360, light, sat), img.dtype)


def adjust_lighting(img, alpha):
    if img.shape[2] == 1:
        return img.copy()
    pca = _EIG @ np.asarray(alpha, dtype=np.float32)
    return saturate(img.astype(np.float32) + pca.astype(np.float32), img.dtype)


def color_jitter(img, brightness, contrast, saturation, hue, rng):
    """Brightness, contrast, saturation and hue jitter, in a random order."""
    steps = [(brightness, adjust_brightness), (contrast, adjust_contrast),
             (saturation, adjust_saturation), (hue, adjust_hue)]
    for i in rng.permutation(4):
        amount, fn = steps[i]
        if amount > 0:
            img = fn(img, 1.0 + rng.uniform(-amount, amount))
    return img
