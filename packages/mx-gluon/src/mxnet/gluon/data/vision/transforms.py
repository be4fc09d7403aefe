"""Image transforms (MXNet 1.9.1's ``gluon/data/vision/transforms.py``).

Images are HWC (or NHWC) NDArrays, usually uint8, until ``ToTensor`` makes them float32
CHW. The hybrid transforms call mx-core's ``mx.nd.image.*`` operators when they are
registered; otherwise they run the NumPy kernels of ``_image_kernels`` (eagerly only:
``Compose`` then leaves them un-hybridized).
"""
import random

import numpy as np

from .... import image
from ....base import MXNetError, numeric_types
from ... import nn
from ...block import Block, HybridBlock
from . import _image_kernels as K

__all__ = ["Compose", "Cast", "ToTensor", "Normalize", "Rotate", "RandomRotation",
           "RandomResizedCrop", "CropResize", "CenterCrop", "Resize", "RandomFlipLeftRight",
           "RandomFlipTopBottom", "RandomBrightness", "RandomContrast", "RandomSaturation",
           "RandomHue", "RandomColorJitter", "RandomLighting", "RandomApply"]


def _operator(F, name):
    """``F.image.<name>`` when mx-core registers ``_image_<name>``, else None."""
    return getattr(getattr(F, "image", None), name, None)


def _can_hybridize(block):
    from .... import symbol
    return all(_operator(symbol, op) is not None for op in getattr(block, "_image_ops", ()))


def _apply(F, x, op_name, op_kwargs, kernel):
    """Run operator ``image.<op_name>`` if registered, else ``kernel(numpy_image, rng)``."""
    op = _operator(F, op_name)
    if op is not None:
        return op(x, **op_kwargs)
    from .... import ndarray
    if F is not ndarray:
        raise MXNetError(f"image transform: operator _image_{op_name} is not registered in "
                         "mx-core, so this transform cannot be hybridized")
    ctx = x.context
    out = kernel(x.asnumpy(), ctx.backend.rng(ctx.device_id))
    return ndarray.array(out, ctx=ctx, dtype=out.dtype)


class _ImageTransform(HybridBlock):
    """A transform backed by operator ``image.<_image_op>`` or by ``_kernel``."""

    _image_op = None

    @property
    def _image_ops(self):
        return (self._image_op,)

    def _op_kwargs(self):
        return {}

    def _kernel(self, img, rng):
        raise NotImplementedError

    def hybrid_forward(self, F, x):
        return _apply(F, x, self._image_op, self._op_kwargs(), self._kernel)


class Compose(nn.Sequential):
    """Applies ``transforms`` in order; runs of HybridBlocks are hybridized together."""

    def __init__(self, transforms):
        super().__init__()
        hybrid = []
        for block in list(transforms) + [None]:
            if isinstance(block, HybridBlock):
                hybrid.append(block)
                continue
            if len(hybrid) == 1:
                self.add(hybrid[0])
            elif len(hybrid) > 1:
                group = nn.HybridSequential()
                group.add(*hybrid)
                if all(_can_hybridize(b) for b in hybrid):
                    group.hybridize()
                self.add(group)
            hybrid = []
            if block is not None:
                self.add(block)


class Cast(HybridBlock):
    """Casts the input to ``dtype`` (default 'float32')."""

    def __init__(self, dtype="float32"):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return F.cast(x, self._dtype)


class ToTensor(_ImageTransform):
    """(H x W x C) or (N x H x W x C) in [0, 255] -> float32 (C x H x W) / (N x C x H x W)
    in [0, 1]."""

    _image_op = "to_tensor"

    def _kernel(self, img, rng):
        return K.to_tensor(img)


class Normalize(_ImageTransform):
    """``(x[c] - mean[c]) / std[c]`` per channel of a (C x H x W) or (N x C x H x W) tensor.

    ``mean`` and ``std`` are floats or tuples with one value per channel.
    """

    _image_op = "normalize"

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean = mean
        self._std = std

    def _op_kwargs(self):
        return {"mean": self._mean, "std": self._std}

    def _kernel(self, img, rng):
        return K.normalize(img, self._mean, self._std)


class Resize(_ImageTransform):
    """Resizes (H x W x C) or (N x H x W x C) images to ``size``, an int or (W, H).

    With an int ``size`` and ``keep_ratio=True`` the short edge becomes ``size``.
    ``interpolation`` is OpenCV's (1: bilinear).
    """

    _image_op = "resize"

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep = keep_ratio
        self._size = size
        self._interpolation = interpolation

    def _op_kwargs(self):
        return {"size": self._size, "keep_ratio": self._keep, "interp": self._interpolation}

    def _kernel(self, img, rng):
        return _resize_np(img, self._size, self._keep, self._interpolation)


def _resize_np(img, size, keep_ratio, interp):
    if img.ndim == 4:
        return np.stack([_resize_np(one, size, keep_ratio, interp) for one in img])
    if img.ndim != 3:
        raise MXNetError(f"resize: input must be HWC or NHWC, got {img.shape}")
    h, w = K.resize_shape(img.shape[0], img.shape[1], size, keep_ratio)
    return image.imresize(img, w, h, interp).asnumpy()


class CropResize(_ImageTransform):
    """Crops (``x``, ``y``, ``width``, ``height``) and optionally resizes to ``size``."""

    _image_op = "crop"

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._x, self._y, self._width, self._height = x, y, width, height
        self._size = size
        self._interpolation = interpolation

    @property
    def _image_ops(self):
        return ("crop", "resize") if self._size else ("crop",)

    def hybrid_forward(self, F, x):
        out = super().hybrid_forward(F, x)
        if self._size:
            interp = 1 if self._interpolation is None else self._interpolation
            kwargs = {"size": self._size, "keep_ratio": False}
            if self._interpolation is not None:
                kwargs["interp"] = interp
            out = _apply(F, out, "resize", kwargs,
                         lambda img, rng: _resize_np(img, self._size, False, interp))
        return out

    def _op_kwargs(self):
        return {"x": self._x, "y": self._y, "width": self._width, "height": self._height}

    def _kernel(self, img, rng):
        if img.ndim not in (3, 4):
            raise MXNetError(f"crop: input must be HWC or NHWC, got {img.shape}")
        rows = slice(self._y, self._y + self._height)
        cols = slice(self._x, self._x + self._width)
        return np.ascontiguousarray(img[rows, cols] if img.ndim == 3 else img[:, rows, cols])


class RandomFlipLeftRight(_ImageTransform):
    """Flips the image left to right with probability 0.5."""

    _image_op = "random_flip_left_right"

    def _kernel(self, img, rng):
        return K.flip(img, -2) if rng.random() < 0.5 else img


class RandomFlipTopBottom(_ImageTransform):
    """Flips the image top to bottom with probability 0.5."""

    _image_op = "random_flip_top_bottom"

    def _kernel(self, img, rng):
        return K.flip(img, -3) if rng.random() < 0.5 else img


class _RandomEnhance(_ImageTransform):
    """Scales a property by a factor drawn from [max(0, 1 - amount), 1 + amount]."""

    _adjust = None

    def __init__(self, amount):
        super().__init__()
        self._args = (max(0, 1 - amount), 1 + amount)

    def _op_kwargs(self):
        return {"min_factor": self._args[0], "max_factor": self._args[1]}

    def _kernel(self, img, rng):
        K.check_hwc(img, type(self).__name__)
        return type(self)._adjust(img, rng.uniform(*self._args))


class RandomBrightness(_RandomEnhance):
    """Multiplies pixels by a factor from [max(0, 1 - brightness), 1 + brightness]."""

    _image_op = "random_brightness"
    _adjust = staticmethod(K.adjust_brightness)


class RandomContrast(_RandomEnhance):
    """Blends with the mean gray level by a factor from [max(0, 1 - contrast), 1 + contrast]."""

    _image_op = "random_contrast"
    _adjust = staticmethod(K.adjust_contrast)


class RandomSaturation(_RandomEnhance):
    """Blends with gray by a factor from [max(0, 1 - saturation), 1 + saturation]."""

    _image_op = "random_saturation"
    _adjust = staticmethod(K.adjust_saturation)


class RandomHue(_RandomEnhance):
    """Rotates the hue by ``factor * 360`` degrees, factor in [max(0, 1 - hue), 1 + hue]."""

    # MXNet 1.9.1 compat: the factor range is centred on 1 (a full turn), as MXNet's.
    _image_op = "random_hue"
    _adjust = staticmethod(K.adjust_hue)


class RandomColorJitter(_ImageTransform):
    """Jitters brightness, contrast, saturation and hue (each by 1 +- amount), in a random
    order."""

    _image_op = "random_color_jitter"

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self._args = (brightness, contrast, saturation, hue)

    def _op_kwargs(self):
        return dict(zip(("brightness", "contrast", "saturation", "hue"), self._args))

    def _kernel(self, img, rng):
        K.check_hwc(img, "RandomColorJitter")
        return K.color_jitter(img, *self._args, rng)


class RandomLighting(_ImageTransform):
    """AlexNet-style PCA lighting noise with per-component std ``alpha``."""

    _image_op = "random_lighting"

    def __init__(self, alpha):
        super().__init__()
        self._alpha = alpha

    def _op_kwargs(self):
        return {"alpha_std": self._alpha}

    def _kernel(self, img, rng):
        K.check_hwc(img, "RandomLighting")
        return K.adjust_lighting(img, rng.normal(0, self._alpha, 3))


def _pair(size):
    return (size, size) if isinstance(size, numeric_types) else size


class RandomResizedCrop(Block):
    """Crops a random area (``scale`` of the image) and aspect ratio (``ratio``), then
    resizes to ``size`` (int or (W, H))."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=1):
        super().__init__()
        self._args = (_pair(size), scale, ratio, interpolation)

    def forward(self, x):
        return image.random_size_crop(x, *self._args)[0]


class CenterCrop(Block):
    """Crops the center ``size`` (int or (W, H)), upsampling smaller images."""

    def __init__(self, size, interpolation=1):
        super().__init__()
        self._args = (_pair(size), interpolation)

    def forward(self, x):
        return image.center_crop(x, *self._args)[0]


def _check_float32(x):
    if x.dtype != np.float32:
        raise TypeError("This transformation only supports float32. "
                        "Consider calling it after ToTensor")


class Rotate(Block):
    """Rotates (C x H x W) or (N x C x H x W) float32 images by ``rotation_degrees``."""

    def __init__(self, rotation_degrees, zoom_in=False, zoom_out=False):
        super().__init__()
        self._args = (rotation_degrees, zoom_in, zoom_out)

    def forward(self, x):
        _check_float32(x)
        return image.imrotate(x, *self._args)


class RandomRotation(Block):
    """Rotates by an angle drawn from ``angle_limits``, with probability
    ``rotate_with_proba``."""

    def __init__(self, angle_limits, zoom_in=False, zoom_out=False, rotate_with_proba=1.0):
        super().__init__()
        lower, upper = angle_limits
        if lower >= upper:
            raise ValueError("`angle_limits` must be an ordered tuple")
        if rotate_with_proba < 0 or rotate_with_proba > 1:
            raise ValueError("Probability of rotating the image should be between 0 and 1")
        self._args = (angle_limits, zoom_in, zoom_out)
        self._rotate_with_proba = rotate_with_proba

    def forward(self, x):
        if np.random.random() > self._rotate_with_proba:
            return x
        _check_float32(x)
        return image.random_rotate(x, *self._args)


class RandomApply(nn.Sequential):
    """Applies ``transforms`` (one Block) with probability ``p``."""

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        if self.p < random.random():
            return x
        return self.transforms(x)
