"""gluon.data.vision: datasets read from tiny files in the standard formats, transforms
against outputs of MXNet 1.9.1's image operators (``vision/transforms.npz``)."""
import gzip
import hashlib
import os
import struct

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.gluon.data import vision
from mxnet.gluon.data.vision import _image_kernels as K
from mxnet.gluon.data.vision import transforms as T

HERE = os.path.dirname(os.path.abspath(__file__))
with np.load(os.path.join(HERE, "vision", "transforms.npz")) as _npz:
    GOLD = {key: _npz[key] for key in _npz.files}
IMG = GOLD["img"]


def _nd(values):
    return mx.nd.array(values, dtype=values.dtype)


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """Point MXNet's download path at an empty file:// repository."""
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "no-repo").as_uri())


# -- NumPy kernels vs MXNet's operators --------------------------------------------------

def test_to_tensor_and_normalize_kernels():
    np.testing.assert_allclose(K.to_tensor(IMG), GOLD["to_tensor"], rtol=1e-6)
    np.testing.assert_allclose(K.to_tensor(np.stack([IMG, IMG])), GOLD["to_tensor_batch"],
                               rtol=1e-6)
    tensor = GOLD["to_tensor"]
    np.testing.assert_allclose(K.normalize(tensor, (0.485, 0.456, 0.406),
                                           (0.229, 0.224, 0.225)), GOLD["normalize"],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(K.normalize(tensor, 0.5, 0.25), GOLD["normalize_scalar"],
                               rtol=1e-6)
    with pytest.raises(MXNetError, match="mean must have either 1 or 3"):
        K.normalize(tensor, (0.5, 0.1), 1.0)


@pytest.mark.parametrize("dtype", ["u8", "f32"])
@pytest.mark.parametrize("name,fn,arg", [
    ("brightness", K.adjust_brightness, 1.3), ("contrast", K.adjust_contrast, 0.6),
    ("saturation", K.adjust_saturation, 1.4), ("hue", K.adjust_hue, 0.85),
    ("lighting", K.adjust_lighting, (0.1, -0.2, 0.3))])
def test_color_kernels_match_mxnet(name, fn, arg, dtype):
    img = IMG if dtype == "u8" else IMG.astype(np.float32)
    out = fn(img, arg)
    expected = GOLD[f"{name}_{dtype}"]
    assert out.dtype == expected.dtype and out.shape == expected.shape
    if dtype == "u8":   # float32 rounding may move a value across an integer
        assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1
    else:
        np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-3)


def test_resize_shape_rule():
    assert K.resize_shape(5, 10, 4, True) == (4, 8)
    assert K.resize_shape(11, 7, 4, True) == (6, 4)
    assert K.resize_shape(5, 10, 4, False) == (4, 4)
    assert K.resize_shape(5, 10, (4, 3), False) == (3, 4)


# -- transforms (mx.nd.image operators when registered, else the kernels) -----------------

def test_to_tensor_normalize_cast():
    x = _nd(IMG)
    out = T.ToTensor()(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy(), GOLD["to_tensor"], rtol=1e-6)
    norm = T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))(out)
    np.testing.assert_allclose(norm.asnumpy(), GOLD["normalize"], rtol=1e-5, atol=1e-6)
    assert T.Cast("float16")(x).dtype == np.float16


def test_resize_and_crop_resize():
    pytest.importorskip("cv2")
    x = _nd(IMG)
    for transform, key in ((T.Resize((4, 3)), "resize_4x3"),
                           (T.Resize(3, keep_ratio=True), "resize_keep_3"),
                           (T.Resize(6, interpolation=0), "resize_nearest_6")):
        out = transform(x).asnumpy()
        assert out.dtype == np.uint8
        assert np.abs(out.astype(int) - GOLD[key].astype(int)).max() <= 1
    batch = T.Resize((4, 3))(mx.nd.stack(x, x))
    assert batch.shape == (2, 3, 4, 3)
    np.testing.assert_array_equal(T.CropResize(1, 2, 3, 2)(x).asnumpy(), GOLD["crop"])
    assert T.CropResize(1, 2, 3, 2, size=(6, 4))(x).shape == (4, 6, 3)


def test_compose_pipeline():
    pytest.importorskip("cv2")
    pipeline = T.Compose([T.Resize((4, 3)), T.ToTensor(),
                          T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    out = pipeline(_nd(IMG)).asnumpy()
    expected = K.normalize(K.to_tensor(GOLD["resize_4x3"]), (0.485, 0.456, 0.406),
                           (0.229, 0.224, 0.225))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=0.02)
    assert out.shape == (3, 3, 4)


# NOTE: not compared with MXNet's output: for an odd width (height) its flip kernel never
# writes the middle column (row) of a new output, which holds uninitialised memory.
@pytest.mark.parametrize("transform,axis", [(T.RandomFlipLeftRight, 1),
                                            (T.RandomFlipTopBottom, 0)])
def test_random_flips_take_both_outcomes(transform, axis):
    mx.random.seed(7)
    x, flip = _nd(IMG), transform()
    seen = set()
    for _ in range(24):
        out = flip(x).asnumpy()
        if np.array_equal(out, IMG):
            seen.add("same")
        else:
            np.testing.assert_array_equal(out, np.flip(IMG, axis))
            seen.add("flipped")
    assert seen == {"same", "flipped"}


def test_random_color_transforms_with_zero_amount_are_identity():
    x = _nd(IMG.astype(np.float32))
    for transform in (T.RandomBrightness(0), T.RandomContrast(0), T.RandomSaturation(0)):
        np.testing.assert_allclose(transform(x).asnumpy(), IMG, rtol=1e-5, atol=1e-3)
    # hue factor 1 is a full turn of the colour wheel
    np.testing.assert_allclose(T.RandomHue(0)(x).asnumpy(), IMG, atol=0.05)


def test_random_color_transforms_stay_in_range():
    mx.random.seed(3)
    x = _nd(IMG)
    for transform in (T.RandomBrightness(0.5), T.RandomContrast(0.5), T.RandomSaturation(0.5),
                      T.RandomHue(0.1), T.RandomColorJitter(0.3, 0.3, 0.3, 0.1),
                      T.RandomLighting(0.1)):
        out = transform(x)
        assert out.shape == x.shape and out.dtype == np.uint8


def test_random_brightness_draws_a_factor_in_range():
    mx.random.seed(5)
    x = _nd(IMG.astype(np.float32) + 1)
    ratio = T.RandomBrightness(0.25)(x).asnumpy() / x.asnumpy()
    assert np.ptp(ratio) < 1e-5 and 0.75 <= ratio.mean() <= 1.25


def test_random_lighting_adds_one_offset_per_channel():
    mx.random.seed(11)
    x = _nd(IMG.astype(np.float32))
    delta = T.RandomLighting(0.1)(x).asnumpy() - IMG
    assert np.ptp(delta.reshape(-1, 3), axis=0).max() < 1e-3
    assert np.abs(delta).max() > 0


def test_crops():
    pytest.importorskip("cv2")
    x = _nd(IMG)
    np.testing.assert_array_equal(T.CenterCrop(3)(x).asnumpy(), IMG[1:4, 2:5])
    assert T.CenterCrop((4, 2)).forward(x).shape == (2, 4, 3)
    out = T.RandomResizedCrop((4, 3), scale=(0.5, 1.0))(x)
    assert out.shape == (3, 4, 3) and out.dtype == np.uint8


def test_rotations_and_random_apply():
    tensor = _nd(GOLD["to_tensor"])
    np.testing.assert_allclose(T.Rotate(0)(tensor).asnumpy(), GOLD["to_tensor"], atol=1e-5)
    with pytest.raises(TypeError, match="float32"):
        T.Rotate(10)(_nd(IMG))
    with pytest.raises(ValueError, match="ordered"):
        T.RandomRotation((10, -10))
    assert T.RandomRotation((-10, 10))(tensor).shape == tensor.shape
    flip_all = T.RandomApply(T.Cast("float64"), p=1.0)
    assert flip_all(tensor).dtype == np.float64
    assert T.RandomApply(T.Cast("float64"), p=0.0)(tensor).dtype == np.float32


# -- datasets -------------------------------------------------------------------------------

def _write_idx(path, values, label):
    header = struct.pack(">II", 2049, len(values)) if label else \
        struct.pack(">IIII", 2051, len(values), 28, 28)
    with gzip.open(path, "wb") as f:
        f.write(header + values.astype(np.uint8).tobytes())


def _mnist_files(root, n_train=3, n_test=2):
    rng = np.random.RandomState(0)
    images = {"train": rng.randint(0, 256, (n_train, 28, 28)),
              "t10k": rng.randint(0, 256, (n_test, 28, 28))}
    labels = {"train": np.arange(n_train) % 10, "t10k": np.arange(n_test)[::-1]}
    os.makedirs(root, exist_ok=True)
    for split in ("train", "t10k"):
        _write_idx(os.path.join(root, f"{split}-images-idx3-ubyte.gz"), images[split], False)
        _write_idx(os.path.join(root, f"{split}-labels-idx1-ubyte.gz"), labels[split], True)
    return images, labels


@pytest.mark.parametrize("cls", [vision.MNIST, vision.FashionMNIST])
def test_mnist_reads_idx_files(tmp_path, cls, offline):
    images, labels = _mnist_files(str(tmp_path))
    train = cls(root=str(tmp_path))
    assert len(train) == 3
    data, label = train[1]
    assert data.shape == (28, 28, 1) and data.dtype == np.uint8
    np.testing.assert_array_equal(data.asnumpy()[:, :, 0], images["train"][1])
    assert label == 1 and label.dtype == np.int32
    test = cls(root=str(tmp_path), train=False,
               transform=lambda d, lab: (d.astype("float32") / 255, lab + 100))
    data, label = test[0]
    assert len(test) == 2 and label == 101 and data.dtype == np.float32


def test_missing_files_use_download_path_and_fail_offline(tmp_path, offline):
    with pytest.raises(MXNetError, match="t10k-images-idx3-ubyte.gz is not in"):
        vision.MNIST(root=str(tmp_path / "mnist"), train=False)
    with pytest.raises(MXNetError, match="cifar-10-binary.tar.gz"):
        vision.CIFAR10(root=str(tmp_path / "cifar"))


def test_mnist_downloads_absent_files(tmp_path, monkeypatch):
    # MXNet's download path against a file:// repository holding tiny files.
    repo = tmp_path / "repo" / "gluon" / "dataset" / "mnist"
    _mnist_files(str(repo))

    def sha1(name):
        return hashlib.sha1((repo / name).read_bytes()).hexdigest()

    class TinyMNIST(vision.MNIST):
        def _get_data(self):
            self._test_data = (self._test_data[0], sha1(self._test_data[0]))
            self._test_label = (self._test_label[0], sha1(self._test_label[0]))
            super()._get_data()

    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "repo").as_uri())
    root = tmp_path / "store"
    assert len(TinyMNIST(root=str(root), train=False)) == 2
    assert sorted(os.listdir(root)) == ["t10k-images-idx3-ubyte.gz",
                                        "t10k-labels-idx1-ubyte.gz"]


def _cifar_batch(path, n, label_bytes, seed):
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 100, (n, label_bytes))
    chw = rng.randint(0, 256, (n, 3, 32, 32))
    rows = np.concatenate([labels, chw.reshape(n, -1)], axis=1).astype(np.uint8)
    rows.tofile(str(path))
    return chw.transpose(0, 2, 3, 1), labels


def test_cifar10_reads_binary_batches(tmp_path, offline):
    images = [_cifar_batch(tmp_path / f"data_batch_{i}.bin", 2, 1, i)[0] for i in range(1, 6)]
    train = vision.CIFAR10(root=str(tmp_path))
    assert len(train) == 10
    data, label = train[3]
    assert data.shape == (32, 32, 3) and data.dtype == np.uint8 and label.dtype == np.int32
    np.testing.assert_array_equal(data.asnumpy(), images[1][1])
    with pytest.raises(MXNetError, match="cifar-10-binary"):
        vision.CIFAR10(root=str(tmp_path), train=False)   # no test_batch.bin, offline
    test_img, test_lab = _cifar_batch(tmp_path / "test_batch.bin", 3, 1, 9)
    test = vision.CIFAR10(root=str(tmp_path), train=False)
    assert [int(test[i][1]) for i in range(3)] == list(test_lab[:, 0])


def test_cifar10_extracts_a_local_archive(tmp_path, offline):
    import tarfile
    src = tmp_path / "src"
    src.mkdir()
    images, labels = _cifar_batch(src / "test_batch.bin", 2, 1, 4)
    root = tmp_path / "root"
    root.mkdir()
    with tarfile.open(root / "cifar-10-binary.tar.gz", "w:gz") as tar:
        tar.add(src / "test_batch.bin", arcname="test_batch.bin")
    data = vision.CIFAR10(root=str(root), train=False)
    assert len(data) == 2 and int(data[1][1]) == labels[1, 0]
    np.testing.assert_array_equal(data[0][0].asnumpy(), images[0])


@pytest.mark.parametrize("fine", [False, True])
def test_cifar100_coarse_and_fine_labels(tmp_path, fine, offline):
    images, labels = _cifar_batch(tmp_path / "train.bin", 4, 2, 0)
    data = vision.CIFAR100(root=str(tmp_path), fine_label=fine)
    assert [int(data[i][1]) for i in range(4)] == list(labels[:, int(fine)])
    np.testing.assert_array_equal(data[2][0].asnumpy(), images[2])


def test_image_folder_dataset(tmp_path):
    cv2 = pytest.importorskip("cv2")
    rng = np.random.RandomState(0)
    expected = {}
    for cls in ("cat", "dog"):
        (tmp_path / cls).mkdir()
        for i in range(2):
            img = rng.randint(0, 256, (4, 5, 3)).astype(np.uint8)
            cv2.imwrite(str(tmp_path / cls / f"{i}.png"), img[:, :, ::-1])   # RGB -> BGR
            expected[(cls, i)] = img
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    (tmp_path / "README").write_text("not a folder")
    with pytest.warns(UserWarning, match="Ignoring"):
        data = vision.ImageFolderDataset(str(tmp_path))
    assert data.synsets == ["cat", "dog"] and len(data) == 4
    img, label = data[3]
    assert label == 1
    np.testing.assert_array_equal(img.asnumpy(), expected[("dog", 1)])
    with pytest.warns(UserWarning):
        gray = vision.ImageFolderDataset(str(tmp_path), flag=0,
                                         transform=lambda d, lab: (d, lab * 10))
    assert gray[2][0].shape == (4, 5, 1) and gray[2][1] == 10


def test_image_record_dataset(tmp_path):
    pytest.importorskip("cv2")
    rec, idx = str(tmp_path / "data.rec"), str(tmp_path / "data.idx")
    writer = mx.recordio.MXIndexedRecordIO(idx, rec, "w")
    rng = np.random.RandomState(1)
    images = [rng.randint(0, 256, (6, 4, 3)).astype(np.uint8) for _ in range(3)]
    for i, img in enumerate(images):
        header = mx.recordio.IRHeader(0, float(i * 2), i, 0)
        writer.write_idx(i, mx.recordio.pack_img(header, img[:, :, ::-1], img_fmt=".png"))
    writer.close()
    data = vision.ImageRecordDataset(rec)
    assert len(data) == 3
    img, label = data[2]
    assert label == 4.0
    np.testing.assert_array_equal(img.asnumpy(), images[2])
    gray = vision.ImageRecordDataset(rec, flag=0, transform=lambda d, lab: (d.shape, lab))
    assert gray[0] == ((6, 4, 1), 0.0)
