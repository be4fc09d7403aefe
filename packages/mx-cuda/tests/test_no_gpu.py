"""Without a usable GPU (here: no CuPy, or no device) mx-cuda installs and imports, and
says clearly why ``mx.gpu`` cannot be used. Run for real wherever no GPU is visible."""
import importlib.util

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet_cuda.backend import CudaBackend, load_cupy

from mxnet_cuda import is_available as gpu_visible

pytestmark = pytest.mark.skipif(gpu_visible(), reason="a GPU is visible")


def test_plugin_registers_an_empty_gpu_backend(cuda_backend):
    assert isinstance(cuda_backend, CudaBackend)
    assert cuda_backend.device_count() == 0
    assert mx.num_gpus() == 0
    assert cuda_backend.unavailable_reason


def test_gpu_operations_raise_no_gpu_visible(cuda_backend):
    with pytest.raises(MXNetError, match="no GPU is visible"):
        mx.nd.ones((2,), ctx=mx.gpu(0))
    with pytest.raises(MXNetError, match="no GPU is visible"):
        mx.nd.array([1.0, 2.0]).copyto(mx.gpu(0))
    with pytest.raises(MXNetError, match="no GPU is visible"):
        mx.context.gpu_memory_info(0)
    with pytest.raises(MXNetError, match="no GPU is visible"):
        mx.random.seed(1, ctx=mx.gpu(0))
    with pytest.raises(MXNetError, match="no GPU is visible"):
        with mx.gpu(0):
            mx.nd.zeros((1,))


def test_cpu_work_is_untouched(cuda_backend):
    mx.random.seed(3)              # every backend, the empty gpu one included
    x = mx.nd.random.uniform(shape=(3,))
    mx.nd.waitall()
    assert x.context == mx.cpu()
    np.testing.assert_array_equal((x * 0).asnumpy(), 0)


def test_reason_names_cupy_when_absent():
    cupy, count, reason = load_cupy()
    assert count == 0
    if importlib.util.find_spec("cupy") is None:
        assert cupy is None and "mx-cuda[cuda12]" in reason
    else:
        assert "CUDA" in reason


def test_backend_with_a_probe_that_finds_nothing():
    be = CudaBackend(probe=lambda: (None, 0, "CuPy is not importable (test)"))
    assert be.device_count() == 0 and be.xp is None
    assert be.for_device(0) is be
    assert be.features["CUDA"] is False
    be.synchronize(None)           # nothing was queued: a no-op
    be.seed(5)                     # seeding never touches a device


def test_kernels_registered_for_gpu(cuda_backend):
    from mxnet_cuda.kernels import KERNELS
    ops = mx.plugins.get_registry("ops")
    for name, fn in KERNELS.items():
        assert ops.get(name).kernels["gpu"] is fn
