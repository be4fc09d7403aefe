"""The backend's device bookkeeping, with a recording stand-in for CuPy's device API.

What is checked is mx-cuda's own logic: which device is made current before each
kernel, allocation, copy and random draw when there are several GPUs, and that one GPU
switches nothing. The stand-in computes with NumPy; nothing here claims GPU results
(those are in test_gpu.py).
"""
import types

import numpy as np
import pytest

import mxnet as mx
from mxnet_cuda.backend import CudaBackend


class _Device:
    log = None

    def __init__(self, i=None):
        self.id = 0 if i is None else i

    def use(self):
        _Device.log.append(("use", self.id))

    def __enter__(self):
        _Device.log.append(("enter", self.id))
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        _Device.log.append(("sync", self.id))


def _fake_cupy(log):
    """numpy, plus the few device calls of CuPy the backend makes."""
    _Device.log = log
    mod = types.ModuleType("fakecupy")
    mod.__getattr__ = lambda name: getattr(np, name)
    mod.ndarray = np.ndarray
    mod.asnumpy = np.asarray
    mod.cuda = types.SimpleNamespace(
        Device=_Device,
        runtime=types.SimpleNamespace(memGetInfo=lambda: (3, 4)))
    mod.random = types.SimpleNamespace(default_rng=np.random.default_rng)
    mod.get_default_memory_pool = lambda: types.SimpleNamespace(
        free_all_blocks=lambda: log.append(("free", None)))
    mod.get_default_pinned_memory_pool = mod.get_default_memory_pool
    return mod


def _gpu(backend, i):
    """gpu(i) bound to ``backend`` (not the registered one)."""
    ctx = mx.Context("gpu", i)
    ctx._backend = backend.for_device(i)
    return ctx


@pytest.fixture
def two_gpus():
    log = []
    be = CudaBackend(probe=lambda: (_fake_cupy(log), 2, None))
    return be, log


def test_each_kernel_runs_on_its_device(two_gpus):
    be, log = two_gpus
    g0, g1 = _gpu(be, 0), _gpu(be, 1)
    assert g1.backend is not g0.backend and g1.backend.name == "gpu"
    x = mx.nd.array([1.0, 2.0], ctx=g1)
    assert ("enter", 1) in log                 # the copy to the device
    log.clear()
    y = x * 2 + 1
    assert log == [("use", 1), ("use", 1)]      # one per operator, before its kernel
    np.testing.assert_array_equal(y.asnumpy(), [3.0, 5.0])
    log.clear()
    mx.nd.zeros((2,), ctx=g0)
    assert log == [("use", 0)]
    log.clear()
    x.attach_grad()
    assert log == [("use", 1)]


def test_random_generators_per_device(two_gpus):
    be, log = two_gpus
    be.seed(5, 1)
    log.clear()
    a = be.rng(1).random(3)
    assert ("enter", 1) in log and ("enter", 0) not in log
    be.seed(5, 1)
    np.testing.assert_array_equal(be.rng(1).random(3), a)
    assert be.rng(1).standard_normal(2, dtype="float16").dtype == np.float16
    assert be.rng(1).random(2, dtype=np.float16).dtype == np.float16
    assert be.rng(0).normal(1.0, 0.0, size=(2,)).tolist() == [1.0, 1.0]
    be.seed(9)                      # all devices: generators rebuilt from 9
    assert be.rng(0) is not None and not be._seeds


def test_sync_memory_and_cache(two_gpus):
    be, log = two_gpus
    be._probed()
    be.synchronize(None)
    assert [e for e in log if e[0] == "sync"] == [("sync", 0), ("sync", 1)]
    assert be.memory_info(1) == (3, 4)
    log.clear()
    be.empty_cache(1)
    assert log[0] == ("enter", 1) and ("free", None) in log


def test_one_gpu_switches_nothing():
    log = []
    be = CudaBackend(probe=lambda: (_fake_cupy(log), 1, None))
    assert be.for_device(0) is be
    x = mx.nd.array([1.0], ctx=_gpu(be, 0))
    log.clear()
    x + 1
    assert log == []
