"""Checks and constants shared by the image operators."""
from ....base import MXNetError

_GRAY = (0.299, 0.587, 0.114)
# AlexNet's PCA of ImageNet RGB: eigenvalue * eigenvector, rows R, G, B.
_EIG = ((55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009),
        (55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140),
        (55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203))


def _fail(op, text):
    raise MXNetError(f"Operator _image_{op}: {text}")


def _check_ndim(op, shape, layout):
    if shape is not None and len(shape) not in (3, 4):
        _fail(op, f"input must be 3D ({layout}) or 4D (N{layout}), got shape {tuple(shape)}")


def _check_hwc(op, shape):
    if len(shape) != 3 or shape[2] not in (1, 3):
        _fail(op, f"input image must have shape (height, width, channels) with 1 or 3 "
                  f"channels, but got {tuple(shape)}")


def _saturate(xp, values, dtype):
    """Cast float32 results back to ``dtype``; uint8 clips to [0, 255] then truncates."""
    if str(dtype) == "uint8":
        values = xp.clip(values, 0.0, 255.0)
    return values.astype(dtype)


def _f32(xp, value):
    return xp.asarray(value, dtype="float32")


# -- to_tensor, normalize ------------------------------------------------------------------
