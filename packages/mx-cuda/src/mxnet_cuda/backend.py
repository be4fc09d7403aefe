"""The ``gpu`` device backend: CuPy arrays, one CuPy random generator per device.

CuPy is imported on first need (the first ``mx.gpu`` use, ``mx.num_gpus()``), not when
mxnet starts, so CPU-only programs never pay for it. Without CuPy or without a visible
device the backend still registers, with ``device_count() == 0``: ``mx.num_gpus()`` is 0
and ``mx.gpu(0)`` raises an MXNetError saying no GPU is visible (and why).

Several devices: CuPy computes on the thread's *current* device. mx-core asks a backend
for a per-device view (:meth:`CudaBackend.for_device`); with more than one GPU each
view's ``xp`` property makes its device current before handing out ``cupy``, and the
dispatcher reads ``backend.xp`` right before every kernel call, so every operator,
allocation and optimizer update runs on the device of its arrays. With one GPU the
view is the backend itself and nothing is switched.
"""
import importlib
import warnings

import numpy as np

from mxnet.plugins import Backend

__all__ = ["CudaBackend", "load_cupy"]

_INSTALL_HINT = "install it with `pip install mx-cuda[cuda12]` (or [cuda13])"


def load_cupy():
    """``(cupy or None, device count, reason why there is no device or None)``."""
    try:
        import cupy
    except ImportError as err:
        return None, 0, f"CuPy is not importable ({err}); {_INSTALL_HINT}"
    try:
        count = int(cupy.cuda.runtime.getDeviceCount())
    except Exception as err:        # CUDARuntimeError: no driver, no device, bad driver
        return cupy, 0, f"the CUDA runtime reports: {err}"
    if count == 0:
        return cupy, 0, "the CUDA runtime sees no device (check CUDA_VISIBLE_DEVICES)"
    return cupy, count, None


def _has_nccl(cp):
    """Whether CuPy's NCCL binding loads (CuPy warns when the library is missing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nccl = importlib.import_module(cp.__name__ + ".cuda.nccl")
        except ImportError:
            return False
    return bool(getattr(nccl, "available", False))


class _DeviceRNG:
    """A ``cupy.random.Generator`` living on one device, called on that device.

    Adds what mx-core's samplers use beyond CuPy's Generator: ``normal`` and float16
    draws (CuPy samples float32/float64 only; float16 is a cast of float32)."""

    def __init__(self, cupy, device_id, seed):
        self._cp = cupy
        self._device = cupy.cuda.Device(device_id)
        with self._device:
            self._gen = cupy.random.default_rng(seed)

    def __getattr__(self, name):
        method = getattr(self._gen, name)
        if not callable(method):
            return method

        def call(*args, **kwargs):
            half = kwargs.get("dtype") is not None and np.dtype(kwargs["dtype"]) == np.float16
            if half:
                kwargs["dtype"] = "float32"
            with self._device:
                out = method(*args, **kwargs)
                return out.astype("float16") if half else out
        return call

    def normal(self, loc=0.0, scale=1.0, size=None, dtype="float64"):
        with self._device:
            return loc + scale * self.standard_normal(size, dtype=dtype)


class _DeviceView(Backend):
    """The backend as seen from one device of several (see the module docstring)."""

    name = "gpu"

    def __init__(self, parent, device_id):
        self._parent = parent
        self._id = device_id
        self._device = parent.cupy.cuda.Device(device_id)

    @property
    def features(self):
        return self._parent.features

    @property
    def xp(self):
        # read by the dispatcher immediately before each kernel call
        self._device.use()
        return self._parent.cupy

    def device_count(self):
        return self._parent.device_count()

    # the rest is the parent's (Backend's defaults would shadow a __getattr__)
    def asarray(self, data, dtype, device_id):
        return self._parent.asarray(data, dtype, device_id)

    def to_numpy(self, array):
        return self._parent.to_numpy(array)

    def synchronize(self, device_id=None):
        self._parent.synchronize(device_id)

    def rng(self, device_id):
        return self._parent.rng(device_id)

    def seed(self, seed, device_id=None):
        self._parent.seed(seed, device_id)

    def memory_info(self, device_id):
        return self._parent.memory_info(device_id)

    def empty_cache(self, device_id):
        self._parent.empty_cache(device_id)


class CudaBackend(Backend):
    """NVIDIA GPUs through CuPy; registered by :mod:`mxnet_cuda.plugin` as ``gpu``."""

    name = "gpu"

    def __init__(self, probe=load_cupy):
        self._probe = probe
        self._state = None              # (cupy, count, reason) once probed
        self._rngs = {}
        self._seeds = {}
        self._default_seed = 0
        self._views = {}

    # -- probing ---------------------------------------------------------------------
    def _probed(self):
        if self._state is None:
            self._state = self._probe()
        return self._state

    @property
    def cupy(self):
        return self._probed()[0]

    @property
    def xp(self):
        return self._probed()[0]

    @property
    def unavailable_reason(self):
        """Why no GPU is usable (None when one is); mx-core puts it in its error."""
        return self._probed()[2]

    @property
    def features(self):
        cp, count, _ = self._probed()
        nccl = bool(count) and _has_nccl(cp)
        # CuPy 14 ships no cuDNN binding; see README (nvidia-cudnn-frontend)
        return {"CUDA": count > 0, "CUDNN": False, "NCCL": nccl, "CUDA_RTC": count > 0}

    def device_count(self):
        return self._probed()[1]

    def for_device(self, device_id):
        """The backend for device ``device_id``: itself with one GPU, else a view."""
        if self.device_count() <= 1:
            return self
        view = self._views.get(device_id)
        if view is None:
            view = self._views[device_id] = _DeviceView(self, device_id)
        return view

    # -- data ------------------------------------------------------------------------
    def asarray(self, data, dtype, device_id):
        cp = self.cupy
        with cp.cuda.Device(device_id):
            if isinstance(data, cp.ndarray):        # maybe from another device: a copy
                return cp.array(data, dtype=dtype, copy=True)
            return cp.asarray(np.asarray(data), dtype=dtype)

    def to_numpy(self, array):
        if isinstance(array, np.ndarray):
            return array
        return self.cupy.asnumpy(array)

    def synchronize(self, device_id=None):
        if self._state is None:         # never used: nothing can be queued
            return
        cp, count, _ = self._state
        for i in range(count) if device_id is None else [device_id]:
            cp.cuda.Device(i).synchronize()

    # -- random ----------------------------------------------------------------------
    def rng(self, device_id):
        gen = self._rngs.get(device_id)
        if gen is None:
            seed = self._seeds.get(device_id, self._default_seed)
            gen = self._rngs[device_id] = _DeviceRNG(self.cupy, device_id, seed)
        return gen

    def seed(self, seed, device_id=None):
        # generators are (re)built lazily: seeding never touches the device
        if device_id is None:
            self._default_seed = seed
            self._seeds.clear()
            self._rngs.clear()
        else:
            self._seeds[device_id] = seed
            self._rngs.pop(device_id, None)

    # -- memory ----------------------------------------------------------------------
    def memory_info(self, device_id):
        cp = self.cupy
        with cp.cuda.Device(device_id):
            free, total = cp.cuda.runtime.memGetInfo()
        return int(free), int(total)

    def empty_cache(self, device_id):
        cp = self.cupy
        with cp.cuda.Device(device_id):
            cp.get_default_memory_pool().free_all_blocks()
            cp.get_default_pinned_memory_pool().free_all_blocks()
