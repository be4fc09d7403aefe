"""Contexts: cpu, gpu without a GPU backend, default-context scopes."""
import pytest

import mxnet as mx
from mxnet.base import MXNetError


def test_cpu_context_and_equality():
    assert mx.cpu() == mx.cpu(0) == mx.Context("cpu", 0)
    assert mx.cpu(1) != mx.cpu(0)
    assert str(mx.gpu(1)) == "gpu(1)" and repr(mx.cpu()) == "cpu(0)"
    assert mx.cpu().device_typeid == 1 and mx.gpu().device_type == "gpu"
    assert mx.context.current_context() == mx.cpu()
    assert hash(mx.cpu()) == hash(mx.Context(mx.cpu()))


def test_with_context_sets_default_for_creation():
    with mx.Context("cpu_pinned", 0):
        assert mx.context.current_context() == mx.cpu_pinned(0)
        a = mx.nd.zeros((2,))
    assert a.context == mx.cpu_pinned(0)
    assert mx.context.current_context() == mx.cpu()


def test_gpu_without_backend_names_the_package():
    assert mx.num_gpus() == 0
    with pytest.raises(MXNetError, match="pip install mx-cuda"):
        mx.nd.zeros((2,), ctx=mx.gpu(0))


def test_unknown_device_type():
    with pytest.raises(MXNetError, match="Unknown device type 'tpu'"):
        mx.Context("tpu")


def test_copy_between_cpu_contexts():
    a = mx.nd.array([1, 2, 3])
    b = a.as_in_context(mx.cpu(0))
    assert b is a
    c = a.copyto(mx.cpu_pinned(0))
    assert c.context == mx.cpu_pinned(0) and c.asnumpy().tolist() == [1, 2, 3]


def test_default_ctx_class_property_is_deprecated():
    with pytest.warns(DeprecationWarning):
        assert mx.Context.default_ctx == mx.current_context()
