"""ImageRecordIter (``mx.io.ImageRecordIter``): MXNet's C++ image record iterator, in Python.

Covers the common path: decode, ``resize`` (shorter edge), center or random crop to
``data_shape``, random mirror, ``(x - mean) / std * scale``, MXNet's round-robin batching.
The C++ iterator's other augmentations are refused with a clear error.
"""
import random

import numpy as np

from .. import recordio
from ..base import MXNetError
from ..io._loader import _BatchLoader
from ..io.io import DataBatch, DataDesc, DataIter
from ..ndarray import array
from .image import _np, center_crop, imdecode, random_crop, resize_short

__all__ = ["ImageRecordIter"]

# C++ augmentation parameters this iterator does not implement, with their defaults.
_UNSUPPORTED = {"max_rotate_angle": 0, "max_aspect_ratio": 0.0, "min_aspect_ratio": None,
                "max_shear_ratio": 0.0, "max_crop_size": -1, "min_crop_size": -1,
                "max_random_scale": 1.0, "min_random_scale": 1.0, "max_random_area": 1.0,
                "min_random_area": 1.0, "max_img_size": 1e10, "min_img_size": 0.0,
                "random_resized_crop": False, "brightness": 0.0, "contrast": 0.0,
                "saturation": 0.0, "pca_noise": 0.0, "random_h": 0, "random_s": 0,
                "random_l": 0, "rotate": -1, "pad": 0, "mean_img": "",
                "max_random_contrast": 0.0, "max_random_illumination": 0.0}
_IGNORED = ("preprocess_threads", "prefetch_buffer", "verbose", "ctx", "device_id",
            "seed_aug", "shuffle_chunk_size", "shuffle_chunk_seed", "fill_value",
            "aug_seq")


class ImageRecordIter(DataIter):
    """Iterates over a RecordIO file of packed images (`recordio.pack_img`) in batches.

    Parameters
    ----------
    path_imgrec : str
        The record file.
    data_shape : tuple
        CHW shape of the output images.
    batch_size : int
        Batch size.
    path_imgidx : str, optional
        Its index (needed by ``shuffle`` and ``num_parts``).
    path_imglist : str, optional
        A ``.lst`` file whose labels replace the records' (matched by image id).
    label_width : int
        Labels per image.
    shuffle : bool
        Shuffle the images every epoch (NumPy RandomState(``seed``)).
    round_batch : bool
        Complete the last batch from the start of the data (``pad`` says how many).
    resize : int
        Resize the shorter edge to this first (-1: no).
    rand_crop, rand_mirror : bool
        Random crop position / random horizontal flip (Python's ``random``).
    mean_r, mean_g, mean_b, std_r, std_g, std_b, scale : float
        Output ``(x - mean) / std * scale``.
    inter_method : int
        Interpolation of the resizes (see `mx.image.imresize`).
    dtype : str, optional
        ``uint8``/``int8`` return raw pixels; default float32.
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts``.
    """

    def __init__(self, path_imgrec, data_shape, batch_size, path_imgidx=None,
                 path_imglist=None, label_width=1, shuffle=False, seed=0, round_batch=True,
                 resize=-1, rand_crop=False, rand_mirror=False, mean_r=0.0, mean_g=0.0,
                 mean_b=0.0, std_r=1.0, std_g=1.0, std_b=1.0, scale=1.0, inter_method=1,
                 dtype=None, num_parts=1, part_index=0, data_name="data",
                 label_name="softmax_label", **kwargs):
        super().__init__(int(batch_size))
        _check_kwargs(kwargs)
        data_shape = tuple(int(d) for d in data_shape)
        if len(data_shape) != 3 or data_shape[0] not in (1, 3):
            raise MXNetError(f"ImageRecordIter: data_shape must be (1 or 3, H, W), "
                             f"got {data_shape}")
        self.data_shape = data_shape
        self.label_width = int(label_width)
        self.shuffle = shuffle
        self._rng = np.random.RandomState(seed)
        self._resize, self._inter = int(resize), inter_method
        self._rand_crop, self._rand_mirror = rand_crop, rand_mirror
        self._mean = np.array([mean_r, mean_g, mean_b][:data_shape[0]], np.float32)
        self._std = np.array([std_r, std_g, std_b][:data_shape[0]], np.float32)
        self._scale = np.float32(scale)
        self._raw = dtype in ("uint8", "int8")
        self.dtype = np.dtype(dtype or "float32")
        if path_imgidx:
            self._rec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
            keys = list(self._rec.keys)
        else:
            if shuffle or num_parts > 1:
                raise MXNetError("ImageRecordIter: shuffle and num_parts need path_imgidx")
            self._rec = recordio.MXRecordIO(path_imgrec, "r")
            keys = None
        if keys is not None and num_parts > 1:
            part = len(keys) // num_parts
            keys = keys[part_index * part:(part_index + 1) * part]
        self._keys, self._pos = keys, 0
        self._imglist = _read_labels(path_imglist) if path_imglist else None
        self._loader = _BatchLoader(self.batch_size, str(round_batch).lower()
                                    not in ("false", "0"))
        label_shape = (self.batch_size,) + ((self.label_width,) if self.label_width > 1 else ())
        self.provide_data = [DataDesc(data_name, (self.batch_size,) + data_shape,
                                      self.dtype.type)]
        self.provide_label = [DataDesc(label_name, label_shape, np.float32)]
        self._current = None
        self.rewind()

    # -- the sequential source of the batch loader ----------------------------------
    def rewind(self):
        if self._keys is None:
            self._rec.reset()
        else:
            self._pos = 0
            if self.shuffle:
                self._rng.shuffle(self._keys)

    def next_sample(self):
        if self._keys is None:
            return self._rec.read()
        if self._pos >= len(self._keys):
            return None
        self._pos += 1
        return self._rec.read_idx(self._keys[self._pos - 1])

    # -- DataIter --------------------------------------------------------------------
    def reset(self):
        self._loader.reset(self)

    def iter_next(self):
        batch = self._loader.next_batch(self)
        if batch is None:
            return False
        records, pad = batch
        data = np.zeros(self.provide_data[0].shape, self.dtype)
        label = np.zeros(self.provide_label[0].shape, np.float32)
        for i, record in enumerate(records):
            header, payload = recordio.unpack(record)
            data[i] = self._image(payload)
            label[i] = self._label(header)
        self._current = DataBatch([array(data, dtype=self.dtype)], [array(label)], pad=pad)
        return True

    def next(self):
        if self.iter_next():
            return self._current
        raise StopIteration

    def getdata(self):
        return self._current.data

    def getlabel(self):
        return self._current.label

    def getpad(self):
        return self._current.pad

    def _image(self, payload):
        img = imdecode(payload, flag=1 if self.data_shape[0] == 3 else 0)
        if self._resize > 0:
            img = resize_short(img, self._resize, self._inter)
        size = (self.data_shape[2], self.data_shape[1])
        crop = random_crop if self._rand_crop else center_crop
        img = _np(crop(img, size, self._inter)[0])
        if self._rand_mirror and random.random() < 0.5:
            img = img[:, ::-1]
        if self._raw:
            return img.transpose(2, 0, 1)
        img = (img.astype(np.float32) - self._mean) / self._std * self._scale
        return img.transpose(2, 0, 1)

    def _label(self, header):
        label = header.label
        if self._imglist is not None:
            label = self._imglist[int(header.id)]
        label = np.asarray(label, np.float32).reshape(-1)
        if self.label_width > 1:
            if label.size < self.label_width:
                raise MXNetError(f"ImageRecordIter: image {header.id} has {label.size} "
                                 f"labels, label_width is {self.label_width}")
            return label[:self.label_width]
        return label[0]


def _check_kwargs(kwargs):
    for name in _IGNORED:
        kwargs.pop(name, None)
    bad = sorted(k for k, v in kwargs.items()
                 if k in _UNSUPPORTED and v != _UNSUPPORTED[k])
    unknown = sorted(k for k in kwargs if k not in _UNSUPPORTED)
    if bad:
        raise MXNetError(f"ImageRecordIter: augmentation {bad} is not implemented here; "
                         "use mx.image.ImageIter with aug_list for custom augmentation")
    if unknown:
        raise MXNetError(f"ImageRecordIter: unknown arguments {unknown}")


def _read_labels(path):
    labels = {}
    with open(path) as fin:
        for lineno, line in enumerate(fin, 1):
            fields = line.strip().split("\t")
            if fields == [""]:
                continue
            try:
                labels[int(fields[0])] = [float(v) for v in fields[1:-1]]
            except ValueError as err:
                raise MXNetError(f"ImageRecordIter: {path!r} line {lineno} is not "
                                 "'index<TAB>label(s)<TAB>path'") from err
    return labels
