"""ImageRecordIter (``mx.io.ImageRecordIter``): MXNet's C++ image record iterator, in Python.

Covers the default C++ augmenter: decode, ``resize`` (shorter edge), a random affine warp
(``max_rotate_angle``, ``rotate``, ``max_shear_ratio``, ``min/max_random_scale``,
``min/max_aspect_ratio``, ``min/max_img_size``), ``pad``, center or random crop to
``data_shape``, an HLS jitter (``random_h/s/l``), random mirror, and
``((x - mean) * contrast + illumination) / std * scale`` (``max_random_contrast``,
``max_random_illumination``), with MXNet's round-robin batching. The random-resized-crop
family (``random_resized_crop``, ``min/max_crop_size``, ``min/max_random_area``,
``brightness``...) and ``mean_img`` are refused with a clear error.

Batches are decoded by ``min(preprocess_threads, cpu_count)`` worker processes (in this
process when that is 1), up to ``prefetch_buffer`` batches ahead; the batches are the same
whatever the number of workers.
"""
import collections
import os
import warnings
import weakref

import numpy as np

from .. import recordio
from ..base import MXNetError
from ..io import _image_aug as _aug
from ..io._image_decode import BatchDecoder, batch_seed, record_offsets
from ..io._loader import _BatchLoader
from ..io._worker_pool import OrderedWorkerPool
from ..io.io import DataBatch, DataDesc, MXDataIter
from ..ndarray import array

__all__ = ["ImageRecordIter"]

# C++ augmentation parameters this iterator does not implement, with their defaults.
_UNSUPPORTED = {"max_crop_size": -1, "min_crop_size": -1, "max_random_area": 1.0,
                "min_random_area": 1.0, "random_resized_crop": False, "brightness": 0.0,
                "contrast": 0.0, "saturation": 0.0, "pca_noise": 0.0, "mean_img": ""}
_IGNORED = ("verbose", "ctx", "device_id", "shuffle_chunk_size", "shuffle_chunk_seed",
            "aug_seq")


class ImageRecordIter(MXDataIter):
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
        Random crop position / random horizontal flip, drawn from a generator seeded by
        ``(seed_aug or seed, epoch, batch number)``: reproducible, and independent of
        ``preprocess_threads``.
    mean_r, mean_g, mean_b, std_r, std_g, std_b, scale : float
        Output ``(x - mean) / std * scale``.
    inter_method : int
        Interpolation of the resizes (see `mx.image.imresize`).
    max_rotate_angle, rotate, max_shear_ratio, min_random_scale, max_random_scale,
    min_aspect_ratio, max_aspect_ratio, min_img_size, max_img_size, pad, fill_value,
    random_h, random_s, random_l, max_random_contrast, max_random_illumination
        MXNet's default augmenter (see the module docstring), drawn from the same
        seeded generator as the crop and mirror.
    dtype : str, optional
        ``uint8``/``int8`` return raw pixels; default float32.
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts``.
    preprocess_threads : int
        Decode in ``min(preprocess_threads, os.cpu_count())`` worker processes (started on
        the first batch; 1 or less decodes in this process). Scripts must guard their
        top level with ``if __name__ == "__main__":``, as for any ``spawn`` start.
    prefetch_buffer : int
        Batches decoded ahead by the workers.
    """

    def __init__(self, path_imgrec, data_shape, batch_size, path_imgidx=None,
                 path_imglist=None, label_width=1, shuffle=False, seed=0, round_batch=True,
                 resize=-1, rand_crop=False, rand_mirror=False, mean_r=0.0, mean_g=0.0,
                 mean_b=0.0, std_r=1.0, std_g=1.0, std_b=1.0, scale=1.0, inter_method=1,
                 dtype=None, num_parts=1, part_index=0, data_name="data",
                 label_name="softmax_label", preprocess_threads=4, prefetch_buffer=4,
                 seed_aug=None, **kwargs):
        super().__init__(int(batch_size))
        aug = _augmenter(kwargs)
        data_shape = tuple(int(d) for d in data_shape)
        if len(data_shape) != 3 or data_shape[0] not in (1, 3):
            raise MXNetError(f"ImageRecordIter: data_shape must be (1 or 3, H, W), "
                             f"got {data_shape}")
        self.data_shape = data_shape
        self.label_width = int(label_width)
        self.shuffle = shuffle
        self._rng = np.random.RandomState(seed)
        self.dtype = np.dtype(dtype or "float32")
        self._keys = _record_offsets(path_imgrec, path_imgidx, shuffle, num_parts, part_index)
        self._pos = 0
        self._decoder = BatchDecoder(
            path_imgrec, data_shape, resize, inter_method, rand_crop, rand_mirror,
            (mean_r, mean_g, mean_b), (std_r, std_g, std_b), scale, self.dtype,
            self.label_width, _read_labels(path_imglist) if path_imglist else None, aug)
        workers = min(int(preprocess_threads), os.cpu_count() or 1)
        self._prefetch = max(1, int(prefetch_buffer))
        self._pool = (OrderedWorkerPool(self._decoder, workers, "ImageRecordIter",
                                        (self.batch_size,) + data_shape, self.dtype,
                                        self._prefetch) if workers > 1 else None)
        # Stops the workers when the iterator is collected (the finalizer holds no `self`).
        weakref.finalize(self, _shutdown, self._pool, self._decoder)
        self._pads = collections.deque()
        self._aug_seed = seed if seed_aug is None else seed_aug
        self._epoch, self._batch_no, self._exhausted = 0, 0, False
        self._loader = _BatchLoader(self.batch_size, str(round_batch).lower()
                                    not in ("false", "0"))
        label_shape = (self.batch_size,) + ((self.label_width,) if self.label_width > 1 else ())
        self.provide_data = [DataDesc(data_name, (self.batch_size,) + data_shape,
                                      self.dtype.type)]
        self.provide_label = [DataDesc(label_name, label_shape, np.float32)]
        self.current_batch = None
        self.rewind()

    # -- the sequential source of the batch loader: record offsets -------------------
    def rewind(self):
        self._pos = 0
        if self.shuffle:
            self._rng.shuffle(self._keys)

    def next_sample(self):
        if self._pos >= len(self._keys):
            return None
        self._pos += 1
        return self._keys[self._pos - 1]

    # -- DataIter --------------------------------------------------------------------
    def reset(self):
        if self._pool is not None:
            self._pool.clear()
            snapshots = [snap for _, snap in self._pads if snap is not None]
            if snapshots:
                self._restore(snapshots[0])
            self._pads.clear()
        self._loader.reset(self)
        self._epoch, self._batch_no, self._exhausted = self._epoch + 1, 0, False

    def _plan(self):
        """The next batch's ``(offsets, pad, seed)``, or None at the end of the epoch."""
        batch = None if self._exhausted else self._loader.next_batch(self)
        if batch is None:
            self._exhausted = True
            return None
        seed = batch_seed(self._aug_seed, self._epoch, self._batch_no)
        self._batch_no += 1
        return batch[0], batch[1], seed

    def _snapshot(self):
        """The batching state before the batch that reaches the end of the data, if the
        next one does: completing it rewinds (and reshuffles), so a reset() before it is
        consumed restores this, leaving the same state as without workers."""
        if not 0 < len(self._keys) - self._pos < self.batch_size:
            return None
        return (self._pos, self._loader._overflow, self._rng.get_state(),
                list(self._keys) if self.shuffle else None)

    def _restore(self, snapshot):
        self._pos, self._loader._overflow, state, keys = snapshot
        self._rng.set_state(state)
        if keys is not None:
            self._keys = keys

    def _fill(self):
        while len(self._pool) < self._prefetch:
            snapshot = self._snapshot()
            plan = self._plan()
            if plan is None:
                return
            self._pool.submit(plan[0], plan[2], rows=len(plan[0]))
            self._pads.append((plan[1], snapshot))

    def iter_next(self):
        if self._pool is None:
            plan = self._plan()
            if plan is None:
                return False
            self.current_batch = self._batch(*self._decoder(plan[0], plan[2]), plan[1])
            return True
        self._fill()
        if not self._pads:
            return False
        pad = self._pads.popleft()[0]
        self.current_batch = self._pool.get(lambda data, label: self._batch(data, label, pad))
        self._fill()
        return True

    def _batch(self, data, label, pad):
        """A DataBatch of copies of ``data`` and ``label`` (short ones padded with 0)."""
        if len(data) < self.batch_size:     # round_batch=False: a short last batch
            data = np.concatenate([data, np.zeros((self.batch_size - len(data),)
                                                  + data.shape[1:], data.dtype)])
            label = np.concatenate([label, np.zeros((self.batch_size - len(label),)
                                                    + label.shape[1:], label.dtype)])
        return DataBatch([array(data, dtype=self.dtype)], [array(label)], pad=pad)



def _shutdown(pool, decoder):
    if pool is not None:
        pool.close()
    decoder.close()


def _record_offsets(path_imgrec, path_imgidx, shuffle, num_parts, part_index):
    """The byte offsets of the records this iterator reads, in file (or index) order."""
    if not path_imgidx:
        if shuffle or num_parts > 1:
            raise MXNetError("ImageRecordIter: shuffle and num_parts need path_imgidx")
        return record_offsets(path_imgrec)
    rec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
    keys = [rec.idx[key] for key in rec.keys]
    rec.close()
    if num_parts > 1:
        part = len(keys) // num_parts
        keys = keys[part_index * part:(part_index + 1) * part]
    return keys


def _augmenter(kwargs):
    """The Augmenter of the augmentation arguments in ``kwargs`` (None if none is on)."""
    for name in _IGNORED:
        kwargs.pop(name, None)
    params = {k: kwargs.pop(k) for k in list(kwargs) if k in _aug.DEFAULTS}
    bad = sorted(k for k, v in kwargs.items()
                 if k in _UNSUPPORTED and v != _UNSUPPORTED[k])
    if bad:
        raise MXNetError(f"ImageRecordIter: augmentation {bad} is not implemented here; "
                         "use mx.image.ImageIter with aug_list for custom augmentation")
    unknown = sorted(k for k in kwargs if k not in _UNSUPPORTED)
    if unknown:
        # MXNet 1.9.1 compat: the C++ iterator ignores arguments it does not know
        warnings.warn(f"ImageRecordIter: ignoring unknown arguments {unknown}", stacklevel=3)
    if all(v == _aug.DEFAULTS[k] for k, v in params.items()):
        return None
    return _aug.Augmenter(**params)


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
