"""mx-cuda's tests: the plugin loaded (by its entry point when installed, else by hand),
and the ``gpu`` marker: those tests run only where CuPy sees a GPU."""
import pytest

from mxnet import plugins


def _ensure_plugin():
    """The ``gpu`` backend registered: installed mx-cuda loads by its entry point; a
    source checkout (PYTHONPATH) registers the plugin module here."""
    if plugins.get_registry("backends").get("gpu") is None:
        from mxnet_cuda import plugin
        plugins.register_plugin(plugin, name="cuda")
    return plugins.get_registry("backends").get("gpu")


def gpu_visible():
    try:
        import cupy
    except ImportError:
        return False
    try:
        return bool(cupy.cuda.is_available())
    except Exception:
        return False


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs CuPy and a visible CUDA GPU "
                                       "(skipped with 'no GPU visible' otherwise)")


def pytest_collection_modifyitems(config, items):
    if gpu_visible():
        return
    skip = pytest.mark.skip(reason="no GPU visible")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def cuda_backend():
    return _ensure_plugin()
