"""A pytest plugin for the GPU conformance run: every test runs with ``gpu(0)`` as the
default context, so another package's tests (mx-core's operator tests) create their
arrays on the GPU and compare with NumPy as usual::

    pytest -p mxnet_cuda.pytest_gpu packages/mx-core/tests/ops -q

Without a visible GPU every test is skipped ("no GPU visible"). Tests that assert the
context is the CPU, or call kernels with NumPy directly, are expected to differ; the
rest is the conformance signal.
"""
import pytest


@pytest.fixture(autouse=True)
def _gpu_default_context():
    import mxnet as mx
    if mx.num_gpus() == 0:
        pytest.skip("no GPU visible")
    with mx.gpu(0):
        yield
