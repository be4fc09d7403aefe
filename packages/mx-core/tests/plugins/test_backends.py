"""A device backend added through ``mxnet_register_backends``: a NumPy "gpu" double.

It stands in for mx-cuda so that everything device-related (contexts, copies across
devices, autograd across devices, errors) is tested on every machine.
"""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, plugins
from mxnet.base import MXNetError
from mxnet.plugins import Backend, hookimpl


class FakeGPU(Backend):
    """Two "GPUs" whose arrays are NumPy arrays (copied in, never shared)."""

    name = "gpu"
    xp = np
    features = {"CUDNN": True}

    def __init__(self):
        self.rngs = [np.random.default_rng(i) for i in range(2)]
        self.synced = []

    def device_count(self):
        return 2

    def asarray(self, data, dtype, device_id):
        return np.array(data, dtype=dtype, copy=True)

    def to_numpy(self, array):
        return np.array(array, copy=True)

    def synchronize(self, device_id=None):
        self.synced.append(device_id)

    def rng(self, device_id):
        return self.rngs[device_id]

    def seed(self, seed, device_id=None):
        for i in range(2) if device_id is None else [device_id]:
            self.rngs[i] = np.random.default_rng(seed + i)


class FakeGPUPlugin:
    @hookimpl
    def mxnet_register_backends(self, registry):
        registry.add(FakeGPU())


@pytest.fixture
def gpus(fresh_plugins):
    plugins.get_registry("ops")
    plugins.register_plugin(FakeGPUPlugin(), name="fake-gpu")
    return plugins.get_registry("backends").get("gpu")


def test_without_backend_gpu_names_mx_cuda(fresh_plugins):
    assert mx.num_gpus() == 0
    with pytest.raises(MXNetError, match="mx-cuda"):
        mx.nd.ones((2,), ctx=mx.gpu(0))
    with pytest.raises(MXNetError, match="mx-cuda"):
        mx.nd.array([1, 2]).copyto(mx.gpu(0))
    assert not mx.runtime.Features().is_enabled("CUDA")


def test_gpu_backend_registered(gpus):
    assert mx.num_gpus() == 2
    assert isinstance(gpus, FakeGPU)
    features = mx.runtime.Features()
    assert features.is_enabled("CUDA") and features.is_enabled("cudnn")
    with pytest.raises(MXNetError, match="gpu"):
        mx.nd.ones((2,), ctx=mx.gpu(2))


def test_arrays_and_ops_on_each_gpu(gpus):
    for i in range(2):
        ctx = mx.gpu(i)
        a = mx.nd.array([[1, 2], [3, 4]], ctx=ctx)
        b = mx.nd.ones((2, 2), ctx=ctx)
        for out in (a + b, a * 2, mx.nd.dot(a, b), mx.nd.relu(a - 2), a.sum(axis=1)):
            assert out.context == ctx
        np.testing.assert_array_equal(mx.nd.dot(a, b).asnumpy(), [[3, 3], [7, 7]])
        fc = mx.nd.FullyConnected(a, b, num_hidden=2, no_bias=True)
        assert fc.context == ctx
        np.testing.assert_array_equal(fc.asnumpy(), [[3, 3], [7, 7]])


def test_mixed_devices_raise(gpus):
    with pytest.raises(MXNetError, match="one device"):
        mx.nd.ones((2,), ctx=mx.gpu(0)) + mx.nd.ones((2,), ctx=mx.gpu(1))
    with pytest.raises(MXNetError, match="one device"):
        mx.nd.ones((2,), ctx=mx.gpu(0)) + mx.nd.ones((2,))


def test_copyto_and_as_in_context(gpus):
    x = mx.nd.array([1.5, -2.0, 3.0])
    g0 = x.copyto(mx.gpu(0))
    g1 = g0.as_in_context(mx.gpu(1))
    back = g1.as_in_context(mx.cpu())
    assert (g0.context, g1.context, back.context) == (mx.gpu(0), mx.gpu(1), mx.cpu())
    np.testing.assert_array_equal(back.asnumpy(), x.asnumpy())
    assert g0.as_in_context(mx.gpu(0)) is g0
    dst = mx.nd.zeros((3,), ctx=mx.gpu(1))
    x.copyto(dst)
    np.testing.assert_array_equal(dst.asnumpy(), x.asnumpy())
    assert dst.context == mx.gpu(1)
    g0[:] = 0                      # device copies do not share memory
    assert x.asnumpy().tolist() == [1.5, -2.0, 3.0]


def test_autograd_on_gpu(gpus):
    x = mx.nd.array([1.0, 2.0, 3.0], ctx=mx.gpu(1))
    x.attach_grad()
    with autograd.record():
        y = (x * x + 2 * x).sum()
    y.backward()
    assert x.grad.context == mx.gpu(1)
    np.testing.assert_allclose(x.grad.asnumpy(), [4.0, 6.0, 8.0])


def test_autograd_across_devices(gpus):
    w = mx.nd.array([0.5, -1.0], ctx=mx.gpu(0))
    w.attach_grad()
    x = mx.nd.array([2.0, 3.0])
    with autograd.record():
        on_cpu = w.as_in_context(mx.cpu())       # recorded copy gpu(0) -> cpu
        loss = (on_cpu * x).sum()
    loss.backward()
    assert w.grad.context == mx.gpu(0)
    np.testing.assert_allclose(w.grad.asnumpy(), [2.0, 3.0])


def test_waitall_synchronizes_backends(gpus):
    mx.nd.waitall()
    assert None in gpus.synced
