"""The per-batch work of ImageRecordIter: read records at byte offsets of a ``.rec`` file,
decode, resize, crop, mirror, normalise, and stack them into one NCHW batch.

`BatchDecoder` is small and picklable, so the same object runs in the iterator's process
(``preprocess_threads <= 1``) or in each worker process. Random augmentations draw from a
generator seeded by ``(seed, epoch, batch number)`` alone, so a batch is the same whichever
process decodes it and however many workers there are.
"""
import os
import struct

import numpy as np

from ..base import MXNetError

__all__ = []

_MAGIC = 0xCED7230A


def record_offsets(path):
    """Byte offsets of the records of ``path`` (a ``.rec`` file read without its ``.idx``).

    Only the 8-byte headers are read; a record split into parts (cflag 1, 2..., 3) counts
    once, at its first part.
    """
    offsets = []
    try:
        size = os.path.getsize(path)
        fin = open(path, "rb")
    except OSError as err:
        raise MXNetError(f"ImageRecordIter: cannot open {path!r}: {err.strerror}") from err
    with fin:
        pos = 0
        while pos < size:
            head = fin.read(8)
            if len(head) != 8:
                raise MXNetError(f"ImageRecordIter: {path!r} is truncated at offset {pos}")
            magic, lrec = struct.unpack("<II", head)
            if magic != _MAGIC:
                raise MXNetError(f"ImageRecordIter: {path!r} has a bad magic number "
                                 f"0x{magic:08x} at offset {pos}, expected 0x{_MAGIC:08x}")
            if lrec >> 29 in (0, 1):
                offsets.append(pos)
            pos += 8 + (((lrec & ((1 << 29) - 1)) + 3) & ~3)
            fin.seek(pos)
    return offsets


def batch_seed(seed, epoch, batch):
    """The entropy of one batch's augmentation generator (non-negative, as NumPy wants)."""
    return [int(seed) % (1 << 32), int(epoch), int(batch)]


class BatchDecoder:
    """Turns a list of record offsets into ``(data, label)`` NumPy arrays.

    ``data`` is ``(len(offsets),) + data_shape`` of ``dtype`` (raw pixels for uint8/int8,
    else ``(x - mean) / std * scale``); ``label`` is float32, ``(n,)`` or ``(n, label_width)``.
    """

    def __init__(self, path_imgrec, data_shape, resize=-1, inter_method=1, rand_crop=False,
                 rand_mirror=False, mean=(0, 0, 0), std=(1, 1, 1), scale=1.0,
                 dtype="float32", label_width=1, imglist=None, aug=None):
        self.path = os.fspath(path_imgrec)
        self.data_shape = tuple(data_shape)
        self.resize, self.inter = int(resize), int(inter_method)
        self.rand_crop, self.rand_mirror = bool(rand_crop), bool(rand_mirror)
        channels = self.data_shape[0]
        self.mean = np.array(mean[:channels], np.float32)
        self.std = np.array(std[:channels], np.float32)
        self.scale = np.float32(scale)
        self.dtype = np.dtype(dtype)
        self.raw = self.dtype in (np.uint8, np.int8)
        self.label_width = int(label_width)
        self.imglist = imglist
        self.aug = aug          # an _image_aug.Augmenter, or None
        self._reader = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_reader"] = None         # each process opens the file itself
        return state

    def close(self):
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __call__(self, offsets, seed, out=None):
        """``(data, label)``; with ``out`` (the shape of data), data goes there and only
        ``label`` is returned."""
        from .. import recordio
        if self._reader is None:
            self._reader = recordio.MXRecordIO(self.path, "r")
        rng = np.random.default_rng(seed)
        data = np.empty((len(offsets),) + self.data_shape, self.dtype) if out is None else out
        label_shape = (len(offsets),) + ((self.label_width,) if self.label_width > 1 else ())
        label = np.zeros(label_shape, np.float32)
        for i, offset in enumerate(offsets):
            self._reader._file.seek(offset)
            header, payload = recordio.unpack(self._reader.read())
            data[i] = self._image(payload, rng)
            label[i] = self._label(header)
        return label if out is not None else (data, label)

    def _image(self, payload, rng):
        from ..image.image import _decode
        img = _decode(payload, self.data_shape[0] == 3, True, f"{len(payload)} bytes")
        if self.resize > 0:
            h, w = img.shape[:2]
            new_h, new_w = ((self.resize * h // w, self.resize) if h > w
                            else (self.resize, self.resize * w // h))
            img = self._resized(img, new_w, new_h, rng)
        if self.aug is not None:
            img = self.aug.geometric(img, rng, lambda im, w, h: self._interp(im, w, h, rng))
        img = self._crop(img, rng)
        if self.aug is not None:
            img = self.aug.color(img, rng)
        if self.rand_mirror and rng.random() < 0.5:
            img = img[:, ::-1]
        if self.raw:
            return img.transpose(2, 0, 1)
        img = img.astype(np.float32) - self.mean
        if self.aug is not None:
            contrast, illumination = self.aug.contrast_illumination(rng)
            img = img * contrast + illumination
        img = img / self.std * self.scale
        return img.transpose(2, 0, 1)

    def _crop(self, img, rng):
        """Center (or random) crop of data_shape's size, upsampled if the image is smaller:
        `mx.image.center_crop` / `random_crop`."""
        from ..image.image import scale_down
        h, w = img.shape[:2]
        size = (self.data_shape[2], self.data_shape[1])
        new_w, new_h = scale_down((w, h), size)
        if self.rand_crop:
            x0 = int(rng.integers(0, w - new_w + 1))
            y0 = int(rng.integers(0, h - new_h + 1))
        else:
            x0, y0 = int((w - new_w) / 2), int((h - new_h) / 2)
        img = img[y0:y0 + new_h, x0:x0 + new_w]
        if (new_w, new_h) != size:
            img = self._resized(np.ascontiguousarray(img), *size, rng)
        return img

    def _resized(self, img, w, h, rng):
        """`mx.image.imresize` with ``inter_method`` (9: by direction, 10: random)."""
        import cv2
        res = cv2.resize(img, (int(w), int(h)), interpolation=self._interp(img, w, h, rng))
        return res[:, :, None] if res.ndim == 2 else res

    def _interp(self, img, w, h, rng):
        """The OpenCV interpolation of ``inter_method`` (9: by direction, 10: random)."""
        from ..image.image import _get_interp_method
        if self.inter == 10:
            return int(rng.integers(0, 5))
        return _get_interp_method(self.inter, (img.shape[0], img.shape[1], h, w))

    def _label(self, header):
        label = header.label
        if self.imglist is not None:
            label = self.imglist[int(header.id)]
        label = np.asarray(label, np.float32).reshape(-1)
        if self.label_width > 1:
            if label.size < self.label_width:
                raise MXNetError(f"ImageRecordIter: image {header.id} has {label.size} "
                                 f"labels, label_width is {self.label_width}")
            return label[:self.label_width]
        return label[0]
