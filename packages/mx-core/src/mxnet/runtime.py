"""What this installation can do: ``mx.runtime.Features()`` and the installed parts.

``Features`` keeps MXNet 1.9.1's API (a dict of :class:`Feature` by name with
``is_enabled``) and its feature names, so client code that gates on
``Features().is_enabled("CUDA")`` keeps working; the answers describe this stack
(a GPU backend plugin, an image library, the kvstore package) rather than compile flags.
:func:`parts` and :func:`plugins` list the installed distributions and plugins, as
``python -m mxnet info`` prints them.
"""
import collections
import importlib
import importlib.util
import warnings
from importlib import metadata

__all__ = ["Feature", "Features", "feature_list", "Part", "Plugin", "parts", "plugins",
           "load_registry_owners"]

# The distributions of this project, in dependency order.
PART_NAMES = ("mx-core", "mx-symbol", "mx-gluon", "mx-kvstore", "mx-onnx", "mx-cuda", "mx")

# MXNet 1.9.1's feature names, in its order, then our own additions.
_MXNET_FEATURES = (
    "CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "CPU_SSE", "CPU_SSE2", "CPU_SSE3",
    "CPU_SSE4_1", "CPU_SSE4_2", "CPU_SSE4A", "CPU_AVX", "CPU_AVX2", "OPENMP", "SSE",
    "F16C", "JEMALLOC", "BLAS_OPEN", "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE", "LAPACK",
    "MKLDNN", "OPENCV", "CAFFE", "PROFILER", "DIST_KVSTORE", "CXX14", "INT64_TENSOR_SIZE",
    "SIGNAL_HANDLER", "DEBUG", "TVM_OP")
_OWN_FEATURES = ("CPU", "IMAGE", "SYMBOL", "GLUON", "KVSTORE", "ONNX")

# numpy's CPU flag name for each MXNet CPU feature
_CPU_FLAGS = {"CPU_SSE": "SSE", "CPU_SSE2": "SSE2", "CPU_SSE3": "SSE3",
              "CPU_SSE4_1": "SSE41", "CPU_SSE4_2": "SSE42", "CPU_AVX": "AVX",
              "CPU_AVX2": "AVX2", "SSE": "SSE", "F16C": "F16C"}


class Feature:
    """One feature of the runtime: its ``name`` and whether it is ``enabled``."""

    __slots__ = ("name", "enabled")

    def __init__(self, name, enabled):
        self.name = name
        self.enabled = bool(enabled)

    def __repr__(self):
        return ("✔ " if self.enabled else "✖ ") + self.name


class Features(collections.OrderedDict):
    """Features by name (``Features()["CUDA"].enabled``).

    A singleton, as in MXNet (``Features() is Features()``); unlike MXNet's
    compile-time list, each call looks again, so a backend registered at run time
    shows up.
    """

    instance = None

    def __new__(cls):
        if cls.instance is None:
            cls.instance = super().__new__(cls)
        return cls.instance

    def __init__(self):
        super().__init__()
        self.clear()
        self.update((f.name, f) for f in feature_list())

    def __repr__(self):
        return str(list(self.values()))

    def is_enabled(self, feature_name):
        """Whether ``feature_name`` (any case) is enabled; RuntimeError if unknown."""
        feature_name = feature_name.upper()
        if feature_name not in self:
            raise RuntimeError(f"Feature '{feature_name}' is unknown, known features "
                               f"are: {list(self.keys())}")
        return self[feature_name].enabled


def feature_list():
    """Every :class:`Feature`, MXNet's names first."""
    state = _probe()
    return [Feature(name, state.get(name, False))
            for name in _MXNET_FEATURES + _OWN_FEATURES]


def _probe():
    from .plugins import get_registry
    backends = get_registry("backends")
    gpu = backends.get("gpu")
    # a backend may announce extra features (CUDNN, NCCL) by a ``features`` dict
    state = dict(getattr(gpu, "features", None) or {})
    state["CPU"] = backends.get("cpu") is not None
    # a gpu backend that announces no features is taken to be usable when registered
    state.setdefault("CUDA", gpu is not None)
    state.setdefault("CUDA_RTC", state["CUDA"])
    image = _has_module("cv2")     # the image extra: opencv-python-headless
    state["OPENCV"] = state["IMAGE"] = image
    state["LAPACK"] = state["INT64_TENSOR_SIZE"] = True    # numpy.linalg, 64-bit sizes
    state["SYMBOL"] = _has_module("mxnet.symbol")
    state["GLUON"] = _has_module("mxnet.gluon")
    state["KVSTORE"] = _has_module("mxnet.kvstore")
    state["DIST_KVSTORE"] = state["KVSTORE"] and _has_module("mpi4py")
    state["ONNX"] = _has_module("mxnet.onnx")
    state.update(_blas())
    state.update(_cpu_flags())
    return state


def _has_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _blas():
    import numpy as np
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            name = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:   # older numpy or a build without this metadata
        return {}
    name = str(name).lower()
    return {"BLAS_OPEN": "openblas" in name, "BLAS_MKL": "mkl" in name,
            "BLAS_APPLE": "accelerate" in name}


def _cpu_flags():
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as flags
    except ImportError:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from numpy.core._multiarray_umath import __cpu_features__ as flags
        except ImportError:
            return {}
    return {name: bool(flags.get(flag)) for name, flag in _CPU_FLAGS.items()}


# ---------------------------------------------------------------------------------
# Installed parts and plugins
# ---------------------------------------------------------------------------------
Part = collections.namedtuple("Part", "name version location")
Plugin = collections.namedtuple("Plugin", "name distribution version target registered")


def parts():
    """The installed distributions of this project, as :class:`Part` tuples."""
    found = []
    for name in PART_NAMES:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        try:
            location = str(dist.locate_file(""))
        except Exception:     # some finders cannot locate files
            location = "?"
        found.append(Part(name, dist.version, location))
    return found


# The module that defines each registry kind (``define_registry``) or fills its defaults;
# imported before the registry is built, so a registry is never built without them.
REGISTRY_OWNERS = {"optimizers": "mxnet.optimizer", "initializers": "mxnet.initializer",
                   "metrics": "mxnet.metric", "kvstores": "mxnet.kvstore",
                   "exporters": "mxnet.onnx", "importers": "mxnet.onnx"}


def load_registry_owners():
    """Import every :data:`REGISTRY_OWNERS` module that is installed.

    Returns ``{kind: "module: error"}`` for the owners that are installed but fail to
    import (a missing package is not a problem: its kind keeps the default registry).
    """
    problems = {}
    for kind, module in REGISTRY_OWNERS.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name is None or not module.startswith(err.name):
                problems[kind] = f"{module}: {type(err).__name__}: {err}"
        except Exception as err:     # a broken part must not hide the others
            problems[kind] = f"{module}: {type(err).__name__}: {err}"
    return problems


def plugins(kinds=("ops", "backends", "optimizers", "initializers", "metrics",
                   "kvstores", "exporters", "importers")):
    """The loaded third-party plugins, each with what it registered.

    ``registered`` maps a registry kind to the names that came from the plugin's
    package (operators by :attr:`OpDef.source`, other entries by their module).
    Registries whose owning module fails to import are left out.
    """
    from .plugins import loaded_plugins
    broken = load_registry_owners()
    contents = {kind: _registry_sources(kind) for kind in kinds if kind not in broken}
    out = []
    for ep_name, dist_name, target in loaded_plugins():
        package = _package_of(target)
        registered = {}
        for kind, entries in contents.items():
            names = [name for name, source in entries
                     if source == package or source.startswith(package + ".")]
            if names:
                registered[kind] = names
        out.append(Plugin(ep_name, dist_name, _version(dist_name), target, registered))
    return out


def _package_of(target):
    module = target.split(":")[0]
    return module.rpartition(".")[0] or module


def _version(dist_name):
    try:
        return metadata.version(dist_name)
    except (metadata.PackageNotFoundError, ValueError):
        return "?"


def _registry_sources(kind):
    """``[(name, source module)]`` of registry ``kind``; empty if it cannot be built."""
    from .plugins import get_registry
    try:
        reg = get_registry(kind)
    except KeyError:
        return []
    if kind == "ops":
        return [(op.name, op.source or "?") for op in reg.ops()]
    if kind == "backends":
        return [(name, type(reg.get(name)).__module__) for name in reg.names()]
    return [(name, getattr(obj, "__module__", None) or "?") for name, obj in reg.items()]
