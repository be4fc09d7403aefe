"""ImageIter: batches of decoded, augmented images from a .rec file, a .lst or a list."""
import os
import random

import numpy as np

from .. import io, recordio
from ..base import MXNetError, numeric_types
from ..ndarray import array
from ._augment import CreateAugmenter
from .image import _np, imdecode

__all__ = ["ImageIter"]


class ImageIter(io.DataIter):
    """Image data iterator with the augmenters of `CreateAugmenter`.

    Parameters
    ----------
    batch_size : int
        Number of images per batch.
    data_shape : tuple
        CHW shape of the output images (3 channels).
    label_width : int
        Number of labels per image.
    path_imgrec : str
        A RecordIO file of packed images (`recordio.pack_img`).
    path_imglist : str
        A ``.lst`` file: ``index<TAB>label(s)<TAB>relative path`` lines.
    path_root : str
        Folder of the images named in ``path_imglist`` / ``imglist``.
    path_imgidx : str
        The index of ``path_imgrec`` (needed to shuffle or partition it).
    shuffle : bool
        Shuffle the images at every reset (Python's ``random``).
    part_index, num_parts : int
        Read only part ``part_index`` of ``num_parts`` equal parts.
    aug_list : list of Augmenter
        The augmenters; default ``CreateAugmenter(data_shape, **kwargs)``.
    imglist : list
        ``[[label(s)..., path], ...]`` instead of a ``.lst`` file.
    dtype : str
        Label dtype: int32, float32, int64 or float64.
    last_batch_handle : str
        ``'pad'``, ``'discard'`` or ``'roll_over'``.
    """

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None,
                 path_imglist=None, path_root=None, path_imgidx=None, shuffle=False,
                 part_index=0, num_parts=1, aug_list=None, imglist=None, data_name="data",
                 label_name="softmax_label", dtype="float32", last_batch_handle="pad",
                 **kwargs):
        super().__init__()
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise ValueError("ImageIter needs path_imgrec, path_imglist or imglist")
        if dtype not in ("int32", "float32", "int64", "float64"):
            raise ValueError(f"{dtype} label not supported")
        self.imgrec, self.imgidx = None, None
        if path_imgrec:
            if path_imgidx:
                self.imgrec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
                self.imgidx = list(self.imgrec.keys)
            else:
                self.imgrec = recordio.MXRecordIO(path_imgrec, "r")
        self.imglist, imgkeys = None, None
        if path_imglist:
            self.imglist, imgkeys = _read_lst(path_imglist, dtype)
        elif isinstance(imglist, list):
            self.imglist, imgkeys = _from_list(imglist, dtype)
        self.path_root = path_root
        self.check_data_shape(data_shape)
        self.provide_data = [(data_name, (batch_size,) + tuple(data_shape))]
        label_shape = (batch_size, label_width) if label_width > 1 else (batch_size,)
        self.provide_label = [(label_name, label_shape)]
        self.batch_size = batch_size
        self.data_shape = tuple(data_shape)
        self.label_width = label_width
        self.shuffle = shuffle
        if self.imgrec is None:
            self.seq = imgkeys
        elif shuffle or num_parts > 1 or path_imgidx:
            if self.imgidx is None:
                raise ValueError("ImageIter: shuffling or partitioning a .rec needs "
                                 "path_imgidx")
            self.seq = self.imgidx
        else:
            self.seq = None
        if num_parts > 1:
            if not 0 <= part_index < num_parts:
                raise ValueError(f"part_index {part_index} not in [0, {num_parts})")
            part = len(self.seq) // num_parts
            self.seq = self.seq[part_index * part:(part_index + 1) * part]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.cur = 0
        self._allow_read = True
        self.last_batch_handle = last_batch_handle
        self.num_image = len(self.seq) if self.seq is not None else None
        self._cache_data = self._cache_label = self._cache_idx = None
        self.reset()

    def reset(self):
        """Back to the start (a rolled-over partial batch is kept)."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.last_batch_handle != "roll_over" or self._cache_data is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur = 0
            self._allow_read = True

    def hard_reset(self):
        """Back to the start, dropping any rolled-over images."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.imgrec is not None:
            self.imgrec.reset()
        self.cur = 0
        self._allow_read = True
        self._cache_data = self._cache_label = self._cache_idx = None

    def next_sample(self):
        """``(label, encoded image)`` of the next image; StopIteration at the end."""
        if not self._allow_read:
            raise StopIteration
        if self.seq is None:
            s = self.imgrec.read()
            if s is None:
                if self.last_batch_handle != "discard":
                    self.imgrec.reset()
                raise StopIteration
            header, img = recordio.unpack(s)
            return header.label, img
        if self.cur >= self.num_image:
            if self.last_batch_handle != "discard":
                self.cur = 0
            raise StopIteration
        idx = self.seq[self.cur]
        self.cur += 1
        if self.imgrec is not None:
            header, img = recordio.unpack(self.imgrec.read_idx(idx))
            return (header.label if self.imglist is None else self.imglist[idx][0]), img
        label, fname = self.imglist[idx]
        return label, self.read_image(fname)

    def _batchify(self, batch_data, batch_label, start=0):
        i = start
        try:
            while i < self.batch_size:
                label, s = self.next_sample()
                data = self.imdecode(s)
                try:
                    self.check_valid_image(data)
                except RuntimeError:
                    continue
                data = self.augmentation_transform(data)
                batch_data[i] = self.postprocess_data(data)
                batch_label[i] = _np(label).reshape(batch_label[i].shape)
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def next(self):
        if self._cache_data is not None:
            batch_data, batch_label, i = self._cache_data, self._cache_label, self._cache_idx
        else:
            batch_data = np.zeros((self.batch_size,) + self.data_shape, np.float32)
            batch_label = self._new_label_buffer()
            i = self._batchify(batch_data, batch_label)
        pad = self.batch_size - i
        if pad:
            if self.last_batch_handle == "discard":
                raise StopIteration
            if self.last_batch_handle == "roll_over" and self._cache_data is None:
                self._cache_data, self._cache_label, self._cache_idx = batch_data, batch_label, i
                raise StopIteration
            self._batchify(batch_data, batch_label, i)
            if self.last_batch_handle == "pad":
                self._allow_read = False
            else:
                self._cache_data = self._cache_label = self._cache_idx = None
        return io.DataBatch([array(batch_data)], [array(batch_label)], pad=pad)

    def _new_label_buffer(self):
        return np.zeros(self.provide_label[0][1], np.float32)

    def check_data_shape(self, data_shape):
        """Checks that ``data_shape`` is CHW with 3 channels."""
        if len(data_shape) != 3:
            raise ValueError("data_shape should have length 3, with dimensions CxHxW")
        if data_shape[0] != 3:
            raise ValueError("This iterator expects inputs to have 3 channels.")

    def check_valid_image(self, data):
        """Raises RuntimeError for an image with no pixels."""
        if len(data[0].shape) == 0:
            raise RuntimeError("Data shape is wrong")

    def imdecode(self, s):
        """Decodes an image, naming the record or file when it is broken."""
        try:
            return imdecode(s)
        except (MXNetError, ValueError) as err:
            where = (f"index: {self.seq[self.cur - 1]}" if self.seq is not None
                     else "a sequential record")
            raise RuntimeError(f"Broken image {where}, {err}") from err

    def read_image(self, fname):
        """The bytes of image file ``fname`` under ``path_root``."""
        with open(os.path.join(self.path_root or "", fname), "rb") as fin:
            return fin.read()

    def augmentation_transform(self, data):
        """Applies the augmenters in order."""
        for aug in self.auglist:
            data = aug(data)
        return data

    def postprocess_data(self, datum):
        """HWC -> CHW (as a NumPy array for the batch buffer)."""
        return _np(datum).transpose(2, 0, 1)


def _read_lst(path, dtype):
    imglist, keys = {}, []
    with open(path) as fin:
        for lineno, line in enumerate(fin, 1):
            fields = line.strip().split("\t")
            if fields == [""]:
                continue
            try:
                key = int(fields[0])
                label = np.array([float(v) for v in fields[1:-1]], dtype=dtype)
            except ValueError as err:
                raise MXNetError(f"ImageIter: {path!r} line {lineno} is not "
                                 f"'index<TAB>label(s)<TAB>path'") from err
            imglist[key] = (label, fields[-1])
            keys.append(key)
    return imglist, keys


def _from_list(imglist, dtype):
    result, keys = {}, []
    for index, img in enumerate(imglist, 1):
        key = str(index)
        if len(img) > 2:
            label = np.array(img[:-1], dtype=dtype)
        elif isinstance(img[0], numeric_types):
            label = np.array([img[0]], dtype=dtype)
        else:
            label = np.array(img[0], dtype=dtype)
        result[key] = (label, img[-1])
        keys.append(key)
    return result, keys
