"""Device backends, keyed by device type (``"cpu"``, ``"gpu"``, ...).

A backend is a small object: the array namespace ``xp`` that operator code runs on,
moving data to and from NumPy, a random generator per device, and synchronisation.
mx-core ships the NumPy CPU backend; others arrive through ``mxnet_register_backends``.
"""
from ..base import MXNetError

__all__ = ["Backend", "BackendRegistry"]


class Backend:
    """Interface of a device backend; subclass it and register an instance.

    Attributes
    ----------
    name : str
        The device type it serves (``"gpu"``); ``mx.Context(name, i)`` finds it.
    xp : module
        The array namespace operators compute with (``numpy``, ``cupy``).
    """

    name = None
    xp = None

    def device_count(self):
        """Number of devices of this type visible to the process."""
        return 1

    def asarray(self, data, dtype, device_id):
        """A native array on device ``device_id`` from a NumPy array or native array."""
        raise NotImplementedError

    def to_numpy(self, array):
        """A NumPy copy (or view, on the CPU) of a native array."""
        raise NotImplementedError

    def synchronize(self, device_id=None):
        """Block until work queued on the device is done."""

    def rng(self, device_id):
        """The device's random generator (NumPy ``Generator`` API)."""
        raise NotImplementedError

    def seed(self, seed, device_id=None):
        """Reseed one device's generator, or all of them when ``device_id`` is None."""
        raise NotImplementedError

    def for_device(self, device_id):
        """The backend that contexts of device ``device_id`` use (``self`` by default;
        a multi-device backend may return a view that selects its device)."""
        return self

    def memory_info(self, device_id):
        """``(free, total)`` bytes of device memory."""
        raise MXNetError(f"memory_info is not supported by the {self.name} backend")


class BackendRegistry:
    """Backends by device type; filled through ``mxnet_register_backends``."""

    def __init__(self):
        self._backends = {}

    def add(self, backend):
        if not backend.name:
            raise MXNetError(f"Backend {backend!r} has no name")
        old = self._backends.get(backend.name)
        if old is not None and old is not backend:
            raise MXNetError(f"Backend {backend.name!r} is registered twice: by "
                             f"{type(old).__module__} and by {type(backend).__module__}")
        self._backends[backend.name] = backend

    def get(self, name):
        return self._backends.get(name)

    def names(self):
        return list(self._backends)
