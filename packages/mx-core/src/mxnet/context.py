"""Devices: ``mx.cpu()``, ``mx.gpu(i)``, ``with mx.Context(...)``."""
import threading
import warnings

from .base import MXNetError, _MXClassPropertyMetaClass, classproperty
from .plugins._manager import define_registry, get_registry
from ._backends import BackendRegistry

__all__ = ["Context", "cpu", "gpu", "cpu_pinned", "current_context", "num_gpus",
           "gpu_memory_info", "Device"]

define_registry("backends", BackendRegistry)

_DEVTYPE2STR = {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}
_DEVSTR2TYPE = {v: k for k, v in _DEVTYPE2STR.items()}
# pinned and shared CPU memory are plain host memory here
_BACKEND_OF = {"cpu": "cpu", "cpu_pinned": "cpu", "cpu_shared": "cpu", "gpu": "gpu"}


class Context(metaclass=_MXClassPropertyMetaClass):
    """A device: its type (``"cpu"``, ``"gpu"``, ...) and its index.

    Used as a context manager it becomes the default device of array creation.
    """

    __slots__ = ("device_typeid", "device_id", "_old_ctx", "_backend")
    devtype2str = _DEVTYPE2STR
    devstr2type = _DEVSTR2TYPE
    _default = threading.local()       # per thread: each thread has its own default

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            self.device_typeid = device_type.device_typeid
            self.device_id = device_type.device_id
        else:
            if device_type not in _DEVSTR2TYPE:
                raise MXNetError(f"Unknown device type {device_type!r}; expected one of "
                                 f"{', '.join(_DEVSTR2TYPE)}")
            self.device_typeid = _DEVSTR2TYPE[device_type]
            self.device_id = int(device_id)
        self._old_ctx = None
        self._backend = None

    @property
    def device_type(self):
        return _DEVTYPE2STR[self.device_typeid]

    @property
    def backend(self):
        """The :class:`mxnet.plugins.Backend` serving this device (looked up once)."""
        be = self._backend
        if be is None:
            be = self._backend = _lookup_backend(self)
        return be

    def __hash__(self):
        return hash((self.device_typeid, self.device_id))

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_typeid == other.device_typeid
                and self.device_id == other.device_id)

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        return f"{self.device_type}({self.device_id})"

    __repr__ = __str__

    def __enter__(self):
        self._old_ctx = current_context()
        Context._default.value = self
        return self

    def __exit__(self, *exc):
        Context._default.value = self._old_ctx

    @classproperty
    def default_ctx(cls):
        # MXNet 1.9.1 compat: a deprecated class property, readable and assignable
        warnings.warn("Context.default_ctx has been deprecated. Please use "
                      "Context.current_context() instead.", DeprecationWarning, stacklevel=3)
        return current_context()

    @default_ctx.setter
    def default_ctx(cls, value):
        warnings.warn("Context.default_ctx has been deprecated. Please use "
                      "Context.current_context() instead.", DeprecationWarning, stacklevel=3)
        cls._default.value = value

    def empty_cache(self):
        """Release cached device memory (a no-op on the CPU)."""
        empty = getattr(self.backend, "empty_cache", None)
        if empty is not None:
            empty(self.device_id)


Device = Context


def _lookup_backend(ctx):
    name = _BACKEND_OF.get(ctx.device_type, ctx.device_type)
    backend = get_registry("backends").get(name)
    if backend is None:
        if name == "gpu":
            raise MXNetError(f"{ctx} is not available: no GPU backend is installed. "
                             "Install it with `pip install mx-cuda[cuda12]` (or "
                             "[cuda13]) on a machine with an NVIDIA GPU.")
        raise MXNetError(f"No backend is installed for device type {name!r}")
    count = backend.device_count()
    if count == 0 and name == "gpu":
        # the backend is installed (mx-cuda) but cannot run: say why, not what to install
        why = getattr(backend, "unavailable_reason", None)
        raise MXNetError(f"{ctx} is not available: the GPU backend is installed but no "
                         f"GPU is visible" + (f" ({why})" if why else ""))
    # MXNet 1.9.1 compat: every cpu(i) names the host (tests spread "devices" over
    # cpu(0), cpu(1)...), so only accelerator ids are checked against the count
    if name != "cpu" and (ctx.device_id >= count or ctx.device_id < 0):
        raise MXNetError(f"{ctx} is not available: {count} {name} device(s) visible")
    # a backend serving several devices may hand out a per-device view (mx-cuda makes
    # that device current before each kernel)
    return backend.for_device(ctx.device_id) if hasattr(backend, "for_device") \
        else backend


def cpu(device_id=0):
    """The CPU context. ``device_id`` is kept for MXNet compatibility."""
    return Context("cpu", device_id)


def cpu_pinned(device_id=0):
    return Context("cpu_pinned", device_id)


def gpu(device_id=0):
    """GPU ``device_id``; using it needs the mx-cuda plugin and a visible GPU."""
    return Context("gpu", device_id)


def current_context():
    """The default context of array creation (``cpu(0)`` unless set by ``with``)."""
    ctx = getattr(Context._default, "value", None)
    if ctx is None:
        ctx = Context._default.value = Context("cpu", 0)
    return ctx


def num_gpus():
    """Number of visible GPUs (0 when no GPU backend is installed)."""
    backend = get_registry("backends").get("gpu")
    return 0 if backend is None else backend.device_count()


def gpu_memory_info(device_id=0):
    """``(free, total)`` bytes of GPU ``device_id``."""
    return gpu(device_id).backend.memory_info(device_id)
