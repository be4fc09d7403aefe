"""The example third-party plugin, installed for real in a fresh virtual environment.

mx-core and examples/mx-plugin-example are pip-installed from their folders into a
venv without system site-packages; the checks run in that venv's Python.
"""
import json
import pathlib

import pytest

CORE = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = CORE.parents[1] / "examples" / "mx-plugin-example"

CHECK = r"""
import json
import mxnet as mx
from mxnet import autograd, plugins
x = mx.nd.array([-1.0, 0.0, 0.5])
x.attach_grad()
with autograd.record():
    y = mx.nd.scaled_tanh(x, scale=2.0)
y.backward()
opt = plugins.get_registry("optimizers").get("examplesgd")
print(json.dumps({"y": y.asnumpy().tolist(), "grad": x.grad.asnumpy().tolist(),
                  "source": mx.nd.scaled_tanh.opdef.source,
                  "optimizer": None if opt is None else opt.__module__,
                  "plugins": plugins.loaded_plugins()}))
"""


@pytest.fixture(scope="session")
def plugin_venv(make_venv):
    if not EXAMPLE.is_dir():
        pytest.fail(f"{EXAMPLE} is missing")
    venv = make_venv("example-plugin")
    venv.install(CORE, EXAMPLE)
    return venv


def test_operator_and_gradient_in_installed_plugin(plugin_venv):
    import numpy as np
    res = json.loads(plugin_venv.python_run("-c", CHECK))
    x = np.array([-1.0, 0.0, 0.5])
    np.testing.assert_allclose(res["y"], 2 * np.tanh(x), rtol=1e-6)
    np.testing.assert_allclose(res["grad"], 2 * (1 - np.tanh(x) ** 2), rtol=1e-6)
    assert res["source"] == "mxnet_plugin_example.plugin"
    assert res["optimizer"] == "mxnet_plugin_example.optimizer"
    assert res["plugins"] == [["example", "mx-plugin-example",
                               "mxnet_plugin_example.plugin"]]


def test_info_lists_plugin_and_its_operator(plugin_venv):
    out = plugin_venv.python_run("-m", "mxnet", "info")
    assert "mx-core" in out
    assert "example = mxnet_plugin_example.plugin  [mx-plugin-example 0.1.0]" in out
    assert "ops: scaled_tanh" in out
    assert "optimizers: examplesgd" in out


def test_pinning_excludes_the_plugin(plugin_venv):
    code = "import mxnet as mx; print(hasattr(mx.nd, 'scaled_tanh'))"
    assert plugin_venv.python_run("-c", code, MXNET_PLUGINS="none").strip() == "False"
    assert plugin_venv.python_run("-c", code, MXNET_PLUGINS="example").strip() == "True"


def test_info_without_plugins_lists_only_core(make_venv):
    venv = make_venv("core-only")
    venv.install(CORE)
    out = venv.python_run("-m", "mxnet", "info")
    parts = out.split("Parts:")[1].split("Devices:")[0].split()
    assert parts[0] == "mx-core" and "mx-gluon" not in parts and "mx" not in parts
    assert "Plugins (entry-point group 'mxnet'):\n  none" in out
