"""Environment, seeds, devices and downloads of :mod:`mxnet.test_utils`."""
import bz2
import functools
import gzip
import logging
import os
import platform
import random
import struct
import sys
import zipfile
from contextlib import contextmanager

import numpy as np

__all__ = ["environment", "EnvManager", "set_env_var", "discard_stderr", "with_seed",
           "random_seed", "list_gpus", "download", "download_model", "get_mnist",
           "get_mnist_pkl", "get_mnist_ubyte", "get_cifar10", "get_mnist_iterator",
           "get_zip_data", "get_bz2_data", "get_im2rec_path", "is_cd_run", "is_aarch64_run",
           "has_tvm_ops", "is_op_runnable", "make_dummy_iter_class",
           "get_cuda_compute_capability"]


def _mx():
    import mxnet
    return mxnet


def _set_environ(env_vars):
    for name, value in env_vars.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def environment(*args):
    """Set environment variables inside a ``with`` block, restored afterwards.

    ``environment(name, value)`` or ``environment({name: value, ...})``; a value of
    None unsets the variable.
    """
    if len(args) == 1 and isinstance(args[0], dict):
        env_vars = args[0]
    else:
        assert len(args) == 2, "Expecting one dict arg or two args: env var name and value"
        env_vars = {args[0]: args[1]}
    snapshot = {name: os.environ.get(name) for name in env_vars}
    _set_environ(env_vars)
    try:
        yield
    finally:
        _mx().nd.waitall()
        _set_environ(snapshot)


class EnvManager:
    """One environment variable set inside a ``with`` block (MXNet 1.x's older helper)."""

    def __init__(self, key, val):
        self._key = key
        self._next_val = val
        self._prev_val = None

    def __enter__(self):
        self._prev_val = os.environ.get(self._key)
        os.environ[self._key] = self._next_val

    def __exit__(self, ptype, value, trace):
        _set_environ({self._key: self._prev_val})


def set_env_var(key, val, default_val=""):
    """Set environment variable ``key`` to ``val``; return its previous value."""
    prev_val = os.environ.get(key, default_val)
    os.environ[key] = val
    return prev_val


@contextmanager
def discard_stderr():
    """Discard what the body writes to the stderr file descriptor."""
    with open(os.devnull, "w") as bit_bucket:
        try:
            stderr_fileno = sys.stderr.fileno()
        except (AttributeError, OSError, ValueError):
            yield        # stderr is not a real file (a capture, a pipe object)
            return
        sys.stderr.flush()
        old_stderr = os.dup(stderr_fileno)
        try:
            os.dup2(bit_bucket.fileno(), stderr_fileno)
            yield
        finally:
            sys.stderr.flush()
            os.dup2(old_stderr, stderr_fileno)
            os.close(old_stderr)


def _seed_all(seed):
    np.random.seed(seed)
    _mx().random.seed(seed)
    random.seed(seed)


@contextmanager
def random_seed(seed=None):
    """Run a block with one seed for NumPy, MXNet and Python's ``random``; afterwards the
    generators continue from a state derived from their state before the block."""
    next_seed = np.random.randint(0, np.iinfo(np.int32).max)
    if seed is None:
        np.random.seed()
        seed = np.random.randint(0, np.iinfo(np.int32).max)
    logging.getLogger(__name__).debug("Setting np, mx and python random seeds = %s", seed)
    _seed_all(seed)
    try:
        yield
    finally:
        _seed_all(next_seed)


def with_seed(seed=None):
    """Decorator seeding NumPy, MXNet and Python's ``random`` before a test.

    The seed is ``seed``, else ``MXNET_TEST_SEED``, else a random one; it is logged when
    the test fails so the failure can be reproduced. ``MXNET_TEST_COUNT`` repeats the
    test. NumPy's global state is restored afterwards (test isolation).
    """
    def test_helper(orig_test):
        @functools.wraps(orig_test)
        def test_new(*args, **kwargs):
            test_count = int(os.getenv("MXNET_TEST_COUNT", "1"))
            env_seed = os.getenv("MXNET_TEST_SEED")
            logger = logging.getLogger(__name__)
            for i in range(test_count):
                if seed is not None:
                    this_seed, level = seed, logging.INFO
                elif env_seed is not None:
                    this_seed, level = int(env_seed), logging.INFO
                else:
                    this_seed = np.random.randint(0, np.iinfo(np.int32).max)
                    level = logging.DEBUG
                post_state = np.random.get_state()
                _seed_all(this_seed)
                count = f"{i + 1} of {test_count}: " if test_count > 1 else ""
                logger.log(level, "%sSetting test np/mx/python random seeds, use "
                           "MXNET_TEST_SEED=%s to reproduce.", count, this_seed)
                try:
                    orig_test(*args, **kwargs)
                except BaseException:
                    logger.warning("%sError seen with seeded test, use MXNET_TEST_SEED=%s "
                                   "to reproduce.", count, this_seed)
                    raise
                finally:
                    _mx().nd.waitall()
                    np.random.set_state(post_state)
        return test_new
    return test_helper


def list_gpus():
    """``range(n)`` over the visible GPUs (empty without a GPU backend)."""
    return range(_mx().context.num_gpus())


def get_cuda_compute_capability(ctx):
    """The CUDA compute capability of GPU ``ctx`` as an int (70 for sm_70)."""
    if ctx.device_type != "gpu":
        raise ValueError("Expecting a gpu context to get cuda compute capability, "
                         "while received ctx {}".format(str(ctx)))
    import cupy  # the GPU backend's runtime; absent means no GPU to ask
    return int(cupy.cuda.Device(ctx.device_id).compute_capability)   # e.g. "70"


def download(url, fname=None, dirname=None, overwrite=False, retries=5):
    """Download ``url`` to ``fname`` (in ``dirname``); return the file name.

    An existing file is kept unless ``overwrite``. Failed attempts are retried
    ``retries`` times. Writes to a temporary file first, then renames (no partial file).
    """
    import urllib.request
    assert retries >= 0, "Number of retries should be at least 0"
    if fname is None:
        fname = url.split("/")[-1]
    if dirname is None:
        dirname = os.path.dirname(fname)
    else:
        fname = os.path.join(dirname, fname)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    if not overwrite and os.path.exists(fname):
        logging.info("%s exists, skipping download", fname)
        return fname
    while True:
        tmp = f"{fname}.part{os.getpid()}"
        try:
            with urllib.request.urlopen(url) as response, open(tmp, "wb") as f:
                status = getattr(response, "status", None)   # None for file:// URLs
                if status not in (None, 200):
                    raise OSError(f"failed to open {url}: HTTP {status}")
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    f.write(chunk)
            os.replace(tmp, fname)
            break
        except Exception:
            if os.path.exists(tmp):
                os.remove(tmp)
            retries -= 1
            if retries <= 0:
                raise
            print(f"download failed, retrying, {retries} attempt"
                  f"{'s' if retries > 1 else ''} left")
    logging.info("downloaded %s into %s successfully", url, fname)
    return fname


_MODELS = "http://data.mxnet.io/models/imagenet/"


def download_model(model_name, dst_dir="./", meta_info=None):
    """Download ``model_name``'s ``-symbol.json`` and ``-0000.params``; return
    ``(path prefix, epoch)`` or ``(None, 0)`` for an unknown model."""
    if meta_info is None:
        meta_info = {f"imagenet1k-resnet-{n}": {
            "symbol": f"{_MODELS}resnet/{n}-layers/resnet-{n}-symbol.json",
            "params": f"{_MODELS}resnet/{n}-layers/resnet-{n}-0000.params"}
            for n in (18, 34, 50, 101, 152)}
        meta_info["imagenet1k-inception-bn"] = {
            "symbol": _MODELS + "inception-bn/Inception-BN-symbol.json",
            "params": _MODELS + "inception-bn/Inception-BN-0126.params"}
    if model_name not in meta_info:
        return (None, 0)
    os.makedirs(dst_dir, exist_ok=True)
    meta = dict(meta_info[model_name])
    assert "symbol" in meta, "missing symbol url"
    assert "params" in meta, "missing parameter file url"
    prefix = os.path.join(dst_dir, model_name)
    download(meta["symbol"], prefix + "-symbol.json")
    download(meta["params"], prefix + "-0000.params")
    return (prefix, 0)


def _read_mnist(label_url, image_url):
    with gzip.open(download(label_url)) as flbl:
        struct.unpack(">II", flbl.read(8))
        label = np.frombuffer(flbl.read(), dtype=np.int8)
    with gzip.open(download(image_url), "rb") as fimg:
        _, _, rows, cols = struct.unpack(">IIII", fimg.read(16))
        image = np.frombuffer(fimg.read(), dtype=np.uint8).reshape(len(label), rows, cols)
    return label, image.reshape(image.shape[0], 1, 28, 28).astype(np.float32) / 255


def get_mnist():
    """Download MNIST; a dict of train/test data (N, 1, 28, 28 in [0, 1]) and labels."""
    path = "http://data.mxnet.io/data/mnist/"
    train_lbl, train_img = _read_mnist(path + "train-labels-idx1-ubyte.gz",
                                       path + "train-images-idx3-ubyte.gz")
    test_lbl, test_img = _read_mnist(path + "t10k-labels-idx1-ubyte.gz",
                                     path + "t10k-images-idx3-ubyte.gz")
    return {"train_data": train_img, "train_label": train_lbl,
            "test_data": test_img, "test_label": test_lbl}


def get_mnist_pkl():
    """Download MNIST as ``data/mnist.pkl.gz``."""
    os.makedirs("data", exist_ok=True)
    if not os.path.exists("data/mnist.pkl.gz"):
        download("http://deeplearning.net/data/mnist/mnist.pkl.gz", dirname="data")


def _get_zip(url, names):
    os.makedirs("data", exist_ok=True)
    if not all(os.path.exists(os.path.join("data", n)) for n in names):
        with zipfile.ZipFile(download(url, dirname="data")) as zf:
            zf.extractall("data")


def get_mnist_ubyte():
    """Download and extract the ubyte MNIST files into ``data/``."""
    _get_zip("http://data.mxnet.io/mxnet/data/mnist.zip",
             ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])


def get_cifar10():
    """Download and extract CIFAR10 (RecordIO) into ``data/cifar``."""
    _get_zip("http://data.mxnet.io/mxnet/data/cifar10.zip",
             ["cifar/train.rec", "cifar/test.rec", "cifar/train.lst", "cifar/test.lst"])


def get_mnist_iterator(batch_size, input_shape, num_parts=1, part_index=0):
    """(train, validation) MNIST iterators (needs ``mx.io.MNISTIter``)."""
    mx = _mx()
    get_mnist_ubyte()
    flat = len(input_shape) != 3
    common = dict(input_shape=input_shape, batch_size=batch_size, flat=flat,
                  num_parts=num_parts, part_index=part_index)
    train = mx.io.MNISTIter(image="data/train-images-idx3-ubyte",
                            label="data/train-labels-idx1-ubyte", shuffle=True, **common)
    val = mx.io.MNISTIter(image="data/t10k-images-idx3-ubyte",
                          label="data/t10k-labels-idx1-ubyte", **common)
    return train, val


def get_zip_data(data_dir, url, data_origin_name):
    """Download ``url`` into ``data_dir`` and extract it (once)."""
    data_origin_name = os.path.join(data_dir, data_origin_name)
    if not os.path.exists(data_origin_name):
        download(url, dirname=data_dir, overwrite=False)
        with zipfile.ZipFile(data_origin_name) as zip_file:
            zip_file.extractall(path=data_dir)


def get_bz2_data(data_dir, data_name, url, data_origin_name):
    """Download a ``.bz2`` file into ``data_dir`` and decompress it to ``data_name``."""
    data_name = os.path.join(data_dir, data_name)
    data_origin_name = os.path.join(data_dir, data_origin_name)
    if not os.path.exists(data_name):
        download(url, fname=data_origin_name, dirname=data_dir, overwrite=False)
        with bz2.BZ2File(data_origin_name, "rb") as bz_file, open(data_name, "wb") as fout:
            for line in bz_file:
                fout.write(line)
        os.remove(data_origin_name)


def get_im2rec_path(home_env="MXNET_HOME"):
    """Path of the ``tools/im2rec.py`` script (under ``$MXNET_HOME`` or the package)."""
    root = os.environ.get(home_env) or os.path.dirname(_mx().__file__)
    for path in (os.path.join(root, "tools", "im2rec.py"),
                 os.path.join(root, "..", "..", "tools", "im2rec.py")):
        if os.path.isfile(path):
            return path
    raise IOError("Could not find path to tools/im2rec.py")


def is_cd_run():
    """Whether the tests run as part of a Continuous Delivery job (``CD_JOB=1``)."""
    return os.environ.get("CD_JOB", 0) == "1"


def is_aarch64_run():
    return platform.machine() == "aarch64"


def has_tvm_ops():
    """False: no operators here are generated by TVM."""
    return False


def is_op_runnable():
    """True: every operator runs on every installed backend."""
    return True


def make_dummy_iter_class():
    """Build ``DummyIter`` on ``mx.io.DataIter`` (looked up when first used).

    Returns ``(class, final)``: without ``mx.io`` the class stands alone and is not final.
    """
    try:
        base, final = _mx().io.DataIter, True
    except ImportError:
        base, final = object, False

    class DummyIter(base):
        """An iterator returning the first batch of ``real_iter`` forever (speed tests)."""

        def __init__(self, real_iter):
            if base is not object:
                super().__init__()
            self.real_iter = real_iter
            self.provide_data = real_iter.provide_data
            self.provide_label = real_iter.provide_label
            self.batch_size = real_iter.batch_size
            self.the_batch = next(real_iter)

        def __iter__(self):
            return self

        def next(self):
            """The first batch of the real iterator; never raises StopIteration."""
            return self.the_batch

        __next__ = next
    DummyIter.__module__ = "mxnet.test_utils"
    DummyIter.__qualname__ = "DummyIter"
    return DummyIter, final
