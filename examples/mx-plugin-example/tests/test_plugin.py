"""The example plugin, as installed: its operator and its optimizer."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd, plugins


def test_operator_is_generated_from_the_registry():
    fn = mx.nd.scaled_tanh
    assert fn.opdef.source == "mxnet_plugin_example.plugin"
    assert "scale * tanh(data)" in fn.__doc__
    assert list(fn.__signature__.parameters)[:2] == ["data", "scale"]


@pytest.mark.parametrize("scale", [1.0, 2.5, "0.5"])
def test_forward(scale):
    x = np.linspace(-3, 3, 13).astype(np.float32)
    out = mx.nd.scaled_tanh(mx.nd.array(x), scale=scale)
    np.testing.assert_allclose(out.asnumpy(), float(scale) * np.tanh(x), rtol=1e-6)


def test_gradient_matches_central_differences():
    x = np.array([-1.2, -0.1, 0.0, 0.4, 2.0])
    data = mx.nd.array(x, dtype="float64")
    data.attach_grad()
    with autograd.record():
        y = mx.nd.scaled_tanh(data, scale=1.5)
    y.backward()
    eps = 1e-6
    numeric = 1.5 * (np.tanh(x + eps) - np.tanh(x - eps)) / (2 * eps)
    np.testing.assert_allclose(data.grad.asnumpy(), numeric, rtol=1e-6)


def test_bad_parameter_names_the_operator():
    with pytest.raises(mx.base.MXNetError, match="scaled_tanh"):
        mx.nd.scaled_tanh(mx.nd.ones((2,)), scale="big")


def test_optimizer_registered():
    klass = plugins.get_registry("optimizers").get("examplesgd")
    assert klass is not None and klass.__module__ == "mxnet_plugin_example.optimizer"
    if not hasattr(mx.optimizer, "create"):
        pytest.skip("mx.optimizer is not available")
    opt = mx.optimizer.create("examplesgd", learning_rate=0.5, wd=0.0)
    weight, grad = mx.nd.array([1.0, 2.0]), mx.nd.array([0.2, -0.4])
    opt.update(0, weight, grad, opt.create_state(0, weight))
    np.testing.assert_allclose(weight.asnumpy(), [0.9, 2.2], rtol=1e-6)
