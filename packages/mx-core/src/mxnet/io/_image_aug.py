"""ImageRecordIter's geometric and colour augmentations (MXNet's default C++ augmenter,
``src/io/image_aug_default.cc``): one random affine warp (rotation, shear, scale,
aspect ratio), constant padding, an HLS jitter, and the contrast/illumination applied
while normalising. Draws come from the batch's generator, so a batch is reproducible
from ``seed_aug``; they are not MXNet's random stream.
"""
import math

import numpy as np

from ..base import MXNetError

__all__ = []

# parameter -> default; a value other than the default turns the augmentation on
DEFAULTS = {"max_rotate_angle": 0, "rotate": -1, "max_shear_ratio": 0.0,
            "max_random_scale": 1.0, "min_random_scale": 1.0, "max_aspect_ratio": 0.0,
            "min_aspect_ratio": None, "max_img_size": 1e10, "min_img_size": 0.0,
            "pad": 0, "fill_value": 255, "random_h": 0, "random_s": 0, "random_l": 0,
            "max_random_contrast": 0.0, "max_random_illumination": 0.0}
_AFFINE = ("max_rotate_angle", "rotate", "max_shear_ratio", "max_random_scale",
           "min_random_scale", "max_aspect_ratio", "min_aspect_ratio", "max_img_size",
           "min_img_size")


class Augmenter:
    """The configured augmentations; picklable (it travels to the decoding workers)."""

    def __init__(self, **params):
        self.p = dict(DEFAULTS)
        self.p.update(params)
        self.affine_on = any(self.p[k] != DEFAULTS[k] for k in _AFFINE)
        if self.p["min_random_scale"] > self.p["max_random_scale"]:
            raise MXNetError(f"ImageRecordIter: min_random_scale "
                             f"{self.p['min_random_scale']} > max_random_scale "
                             f"{self.p['max_random_scale']}")

    def geometric(self, img, rng, interp):
        """The affine warp then the padding (before the crop, as MXNet)."""
        if self.affine_on:
            img = self._affine(img, rng, interp)
        pad = int(self.p["pad"])
        if pad > 0:
            import cv2
            fill = (float(self.p["fill_value"]),) * 3
            img = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=fill)
            img = img[:, :, None] if img.ndim == 2 else img
        return img

    def _ratio(self, rng):
        high = float(self.p["max_aspect_ratio"])
        low = self.p["min_aspect_ratio"]
        if low is None:             # [1 - max, 1 + max], as documented by MXNet
            return 1.0 + high * (rng.random() * 2 - 1)
        return float(low) + rng.random() * (high - float(low))

    def _affine(self, img, rng, interp):
        import cv2
        p = self.p
        shear = float(p["max_shear_ratio"]) * (rng.random() * 2 - 1)
        angle = int(rng.integers(-int(p["max_rotate_angle"]), int(p["max_rotate_angle"]) + 1))
        if int(p["rotate"]) > 0:
            angle = int(p["rotate"])
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        scale = rng.random() * (p["max_random_scale"] - p["min_random_scale"]) \
            + p["min_random_scale"]
        ratio = self._ratio(rng)
        hs = 2 * scale / (1 + ratio)
        ws = ratio * hs
        rows, cols = img.shape[:2]
        new_w = max(p["min_img_size"], min(p["max_img_size"], scale * cols))
        new_h = max(p["min_img_size"], min(p["max_img_size"], scale * rows))
        m = np.array([[hs * cos - shear * sin * ws, hs * sin + shear * cos * ws, 0.0],
                      [-sin * ws, cos * ws, 0.0]], np.float32)
        # keep the image centred in the new canvas
        m[0, 2] = (new_w - (m[0, 0] * cols + m[0, 1] * rows)) / 2
        m[1, 2] = (new_h - (m[1, 0] * cols + m[1, 1] * rows)) / 2
        fill = (float(p["fill_value"]),) * 3
        out = cv2.warpAffine(img, m, (int(new_w), int(new_h)),
                             flags=interp(img, int(new_w), int(new_h)),
                             borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
        return out[:, :, None] if out.ndim == 2 else out

    def color(self, img, rng):
        """The HLS jitter (after the crop): offsets drawn in [-random_x, random_x]."""
        p = self.p
        if not (p["random_h"] or p["random_s"] or p["random_l"]) or img.shape[2] != 3:
            return img
        import cv2
        shift = [int(rng.random() * p[k] * 2 - p[k]) for k in ("random_h", "random_l",
                                                                "random_s")]
        hls = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2HLS).astype(np.int32)
        hls += np.array(shift, np.int32)
        np.clip(hls, 0, np.array([180, 255, 255]), out=hls)
        return cv2.cvtColor(hls.astype(np.uint8), cv2.COLOR_HLS2RGB)

    def contrast_illumination(self, rng):
        """``(contrast, illumination)`` of one image: ``x * contrast + illumination``
        applied to the mean-subtracted pixels."""
        c, i = float(self.p["max_random_contrast"]), float(self.p["max_random_illumination"])
        contrast = 1.0 + c * (rng.random() * 2 - 1) if c else 1.0
        illumination = i * (rng.random() * 2 - 1) if i else 0.0
        return np.float32(contrast), np.float32(illumination)
