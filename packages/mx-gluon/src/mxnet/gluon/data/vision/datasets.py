"""Vision datasets (MXNet 1.9.1's ``gluon/data/vision/datasets.py``).

MNIST, FashionMNIST, CIFAR10 and CIFAR100 read the standard files under ``root`` (MNIST's
idx ``.gz`` files, CIFAR's binary batches). Only a file that is absent is fetched, with
MXNet's download path (``$MXNET_GLUON_REPO`` or Apache's S3 bucket, checked against the
published sha1), which raises ``MXNetError`` when offline. Unlike MXNet 1.9.1, a file
already present is used without comparing its sha1, so local copies or subsets in the
standard format work offline.
"""
import gzip
import os
import struct
import tarfile
import warnings

import numpy as np

from .... import base, image, nd, recordio
from ....base import MXNetError
from ...utils import download
from .. import dataset

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageRecordDataset",
           "ImageFolderDataset"]

_DEFAULT_REPO = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"


def _get_repo_file_url(namespace, filename):
    repo = os.environ.get("MXNET_GLUON_REPO", _DEFAULT_REPO)
    if not repo.endswith("/"):
        repo += "/"
    return f"{repo}{namespace}/{filename}"


def _fetch(namespace, name, sha1, root):
    """Path of ``name`` under ``root``: the local file if present, else downloaded."""
    path = os.path.join(root, name)
    if os.path.exists(path):
        return path
    url = _get_repo_file_url(namespace, name)
    try:
        return download(url, path=root, sha1_hash=sha1)
    except Exception as err:  # noqa: BLE001 - download re-raises the network error
        raise MXNetError(f"gluon.data.vision: {name} is not in {root} and could not be "
                         f"downloaded from {url} ({err}). Put the file there to work "
                         "offline.") from err


def _read_idx(path, header):
    # idx files: big-endian int32 magic and dims, then uint8 values.
    with gzip.open(path, "rb") as fin:
        dims = struct.unpack(header, fin.read(struct.calcsize(header)))
        values = np.frombuffer(fin.read(), dtype=np.uint8)
    return dims, values


class MNIST(dataset._DownloadedDataset):
    """MNIST handwritten digits; each sample is a (28, 28, 1) uint8 image and an int32 label.

    Parameters: ``root`` (default ``$MXNET_HOME/datasets/mnist``), ``train=True`` (else the
    test set), ``transform`` (a ``fn(data, label)`` applied to each sample).
    """

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "mnist"),
                 train=True, transform=None):
        self._train = train
        self._train_data = ("train-images-idx3-ubyte.gz",
                            "6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d")
        self._train_label = ("train-labels-idx1-ubyte.gz",
                             "2a80914081dc54586dbdf242f9805a6b8d2a15fc")
        self._test_data = ("t10k-images-idx3-ubyte.gz",
                           "c3a25af1f52dad7f726cce8cacb138654b760d48")
        self._test_label = ("t10k-labels-idx1-ubyte.gz",
                            "763e7fa3757d93b0cdec073cef058b2004252c17")
        self._namespace = "mnist"
        super().__init__(root, transform)

    def _get_data(self):
        data, label = ((self._train_data, self._train_label) if self._train
                       else (self._test_data, self._test_label))
        namespace = "gluon/dataset/" + self._namespace
        data_file = _fetch(namespace, data[0], data[1], self._root)
        label_file = _fetch(namespace, label[0], label[1], self._root)
        _, labels = _read_idx(label_file, ">II")
        _, pixels = _read_idx(data_file, ">IIII")
        labels = labels.astype(np.int32)
        pixels = pixels.reshape(len(labels), 28, 28, 1)
        self._data = nd.array(pixels, dtype=pixels.dtype)
        # MXNet 1.9.1 compat: labels stay a NumPy array (samples give numpy int32 labels).
        self._label = labels


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST, a drop-in replacement for MNIST ((28, 28, 1) images).

    Parameters: ``root`` (default ``$MXNET_HOME/datasets/fashion-mnist``), ``train``,
    ``transform``.
    """

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "fashion-mnist"),
                 train=True, transform=None):
        self._train = train
        self._train_data = ("train-images-idx3-ubyte.gz",
                            "0cf37b0d40ed5169c6b3aba31069a9770ac9043d")
        self._train_label = ("train-labels-idx1-ubyte.gz",
                             "236021d52f1e40852b06a4c3008d8de8aef1e40b")
        self._test_data = ("t10k-images-idx3-ubyte.gz",
                           "626ed6a7c06dd17c0eec72fa3be1740f146a2863")
        self._test_label = ("t10k-labels-idx1-ubyte.gz",
                            "17f9ab60e7257a1620f4ad76bbbaf857c3920701")
        self._namespace = "fashion-mnist"
        dataset._DownloadedDataset.__init__(self, root, transform)


class CIFAR10(dataset._DownloadedDataset):
    """CIFAR-10; each sample is a (32, 32, 3) uint8 image and an int32 label.

    Parameters: ``root`` (default ``$MXNET_HOME/datasets/cifar10``), ``train``,
    ``transform``. Reads ``data_batch_1..5.bin`` / ``test_batch.bin`` (CIFAR's binary
    version), fetching and extracting ``cifar-10-binary.tar.gz`` when one is missing.
    """

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "cifar10"),
                 train=True, transform=None):
        self._train = train
        self._archive_file = ("cifar-10-binary.tar.gz",
                              "fab780a1e191a7eda0f345501ccd62d20f7ed891")
        self._train_data = [("data_batch_1.bin", "aadd24acce27caa71bf4b10992e9e7b2d74c2540"),
                            ("data_batch_2.bin", "c0ba65cce70568cd57b4e03e9ac8d2a5367c1795"),
                            ("data_batch_3.bin", "1dd00a74ab1d17a6e7d73e185b69dbf31242f295"),
                            ("data_batch_4.bin", "aab85764eb3584312d3c7f65fd2fd016e36a258e"),
                            ("data_batch_5.bin", "26e2849e66a845b7f1e4614ae70f4889ae604628")]
        self._test_data = [("test_batch.bin", "67eb016db431130d61cd03c7ad570b013799c88c")]
        self._namespace = "cifar10"
        super().__init__(root, transform)

    _label_bytes = 1

    def _read_batch(self, filename):
        """(images NHWC uint8, int32 labels) of one binary batch: label byte(s) + 3072."""
        with open(filename, "rb") as fin:
            raw = np.frombuffer(fin.read(), dtype=np.uint8)
        record = 3072 + self._label_bytes
        if raw.size % record:
            raise MXNetError(f"{type(self).__name__}: {filename} is not a CIFAR binary batch "
                             f"(size {raw.size} is not a multiple of {record})")
        raw = raw.reshape(-1, record)
        images = raw[:, self._label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return images, raw[:, self._label_column()].astype(np.int32)

    def _label_column(self):
        return 0

    def _get_data(self):
        # Only the batches of the split asked for must be present (MXNet wants both).
        files = self._train_data if self._train else self._test_data
        if any(not os.path.exists(os.path.join(self._root, name)) for name, _ in files):
            archive = _fetch("gluon/dataset/" + self._namespace, *self._archive_file,
                             self._root)
            with tarfile.open(archive) as tar:
                _extract_flat(tar, self._root)
        batches = [self._read_batch(os.path.join(self._root, name)) for name, _ in files]
        data = np.concatenate([b[0] for b in batches])
        self._data = nd.array(data, dtype=data.dtype)
        self._label = np.concatenate([b[1] for b in batches])


def _extract_flat(tar, root):
    # CIFAR archives hold one folder of batches; MXNet extracts members as they are, and
    # we keep only regular files, refusing paths that would leave ``root``.
    for member in tar.getmembers():
        target = os.path.realpath(os.path.join(root, member.name))
        if not member.isfile() or not target.startswith(os.path.realpath(root) + os.sep):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with tar.extractfile(member) as src, open(target, "wb") as dst:
            dst.write(src.read())


class CIFAR100(CIFAR10):
    """CIFAR-100; (32, 32, 3) uint8 images with coarse (20) or fine (100) int32 labels.

    Parameters: ``root`` (default ``$MXNET_HOME/datasets/cifar100``), ``fine_label=False``,
    ``train``, ``transform``. Reads ``train.bin`` / ``test.bin``.
    """

    _label_bytes = 2

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "cifar100"),
                 fine_label=False, train=True, transform=None):
        self._train = train
        self._archive_file = ("cifar-100-binary.tar.gz",
                              "a0bb982c76b83111308126cc779a992fa506b90b")
        self._train_data = [("train.bin", "e207cd2e05b73b1393c74c7f5e7bea451d63e08e")]
        self._test_data = [("test.bin", "8fb6623e830365ff53cf14adec797474f5478006")]
        self._fine_label = fine_label
        self._namespace = "cifar100"
        dataset._DownloadedDataset.__init__(self, root, transform)

    def _label_column(self):
        return int(bool(self._fine_label))


class ImageRecordDataset(dataset.RecordFileDataset):
    """Images and labels of a RecordIO file (``filename.rec`` with its ``.idx``).

    Parameters: ``filename``, ``flag=1`` (1: RGB, 0: grayscale), ``transform``.
    """

    def __init__(self, filename, flag=1, transform=None):
        super().__init__(filename)
        self._flag = flag
        self._transform = transform

    def __getitem__(self, idx):
        header, img = recordio.unpack(super().__getitem__(idx))
        data = image.imdecode(img, self._flag)
        if self._transform is not None:
            return self._transform(data, header.label)
        return data, header.label


class ImageFolderDataset(dataset.Dataset):
    """Images stored as ``root/<class name>/<image>`` (.jpg, .jpeg, .png).

    Parameters: ``root``, ``flag=1`` (1: RGB, 0: grayscale), ``transform``.
    Attributes: ``synsets`` (class names; label i is ``synsets[i]``), ``items``
    ((filename, label) pairs).
    """

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = [".jpg", ".jpeg", ".png"]
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets = []
        self.items = []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn(f"Ignoring {path}, which is not a directory.", stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn(f"Ignoring {filename} of type {ext}. Only support "
                                  f"{', '.join(self._exts)}", stacklevel=3)
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        img = image.imread(self.items[idx][0], self._flag)
        label = self.items[idx][1]
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)
