"""MXNet 1.x, reborn as a modular pure-Python stack (this is mx-core).

``import mxnet as mx`` gives the tensor core; ``mx.gluon``, ``mx.sym``, ``mx.mod``,
``mx.kv`` and ``mx.onnx`` load on first access from their own distributions.
"""
import importlib
import pkgutil

# ``mxnet`` is a namespace shared by mx-core and the API packages (mx-gluon ships
# ``mxnet/gluon`` and so on); extend_path makes their subfolders importable.
__path__ = pkgutil.extend_path(__path__, __name__)

__version__ = "1.9.1"       # the MXNet API level implemented; client libraries gate on it


def _refuse_real_mxnet():
    from importlib.metadata import PackageNotFoundError, distribution
    for name in ("mxnet", "mxnet-mkl", "mxnet-cu112", "mxnet-cu110", "mxnet-cu102",
                 "mxnet-native"):
        try:
            distribution(name)
        except PackageNotFoundError:
            continue
        raise ImportError(
            f"The original Apache MXNet distribution {name!r} is installed in this "
            "environment. It owns the same import name `mxnet` as mx-core, so the two "
            f"cannot live in one environment: run `pip uninstall {name}` (or use a "
            "separate virtual environment).")


_refuse_real_mxnet()

from . import _allocator  # noqa: E402,F401  (glibc thresholds: see _allocator.py)
from . import base  # noqa: E402
from .base import MXNetError  # noqa: E402
from . import context  # noqa: E402
from .context import Context, Device, cpu, cpu_pinned, current_context, gpu, num_gpus  # noqa: E402,E501
from . import autograd, util  # noqa: E402
from .util import (is_np_array, is_np_shape, np_array, np_shape, set_np_shape,  # noqa: E402
                   use_np, use_np_array, use_np_shape)
from . import ndarray  # noqa: E402
from . import ndarray as nd  # noqa: E402
from . import random  # noqa: E402

# Parts of mx-core and of the API packages loaded on first access.
_LAZY = {
    "gluon": ("mxnet.gluon", "mx-gluon"),
    "symbol": ("mxnet.symbol", "mx-symbol"),
    "sym": ("mxnet.symbol", "mx-symbol"),
    "executor": ("mxnet.executor", "mx-symbol"),
    "module": ("mxnet.module", "mx-symbol"),
    "mod": ("mxnet.module", "mx-symbol"),
    "model": ("mxnet.model", "mx-symbol"),
    "callback": ("mxnet.callback", "mx-symbol"),
    "monitor": ("mxnet.monitor", "mx-symbol"),
    "mon": ("mxnet.monitor", "mx-symbol"),
    "rnn": ("mxnet.rnn", "mx-symbol"),
    "visualization": ("mxnet.visualization", "mx-symbol"),
    "viz": ("mxnet.visualization", "mx-symbol"),
    "kvstore": ("mxnet.kvstore", "mx-kvstore"),
    "kv": ("mxnet.kvstore", "mx-kvstore"),
    "onnx": ("mxnet.onnx", "mx-onnx"),
    "test_utils": ("mxnet.test_utils", "mx-core"),
    "runtime": ("mxnet.runtime", "mx-core"),
    "plugins": ("mxnet.plugins", "mx-core"),
    "numpy_extension": ("mxnet.numpy_extension", "mx-core"),
    "npx": ("mxnet.numpy_extension", "mx-core"),
    "initializer": ("mxnet.initializer", "mx-core"),
    "init": ("mxnet.initializer", "mx-core"),
    "optimizer": ("mxnet.optimizer", "mx-core"),
    "lr_scheduler": ("mxnet.lr_scheduler", "mx-core"),
    "metric": ("mxnet.metric", "mx-core"),
    "io": ("mxnet.io", "mx-core"),
    "recordio": ("mxnet.recordio", "mx-core"),
    "image": ("mxnet.image", "mx-core"),
    "img": ("mxnet.image", "mx-core"),
    "contrib": ("mxnet.contrib", "mx-core"),
    "operator": ("mxnet.operator", "mx-core"),
    "profiler": ("mxnet.profiler", "mx-core"),
    "engine": ("mxnet.engine", "mx-core"),
    "registry": ("mxnet.registry", "mx-core"),
    "name": ("mxnet.name", "mx-symbol"),
    "attribute": ("mxnet.attribute", "mx-symbol"),
    "AttrScope": ("mxnet.attribute", "mx-symbol"),
}


def __getattr__(name):
    entry = _LAZY.get(name)
    if entry is None:
        raise AttributeError(f"module 'mxnet' has no attribute {name!r}")
    module_name, dist = entry
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is not None and module_name.startswith(err.name) \
                or err.name == module_name:
            raise ImportError(f"mx.{name} needs the {dist} distribution: "
                              f"pip install {dist}") from err
        raise
    if name == "AttrScope":
        module = module.AttrScope
    globals()[name] = module
    return module


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
