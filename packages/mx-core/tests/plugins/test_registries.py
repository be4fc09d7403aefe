"""Optimizers and initializers through the plugin registries (the resets run inside an
isolated manager)."""
import pytest

import mxnet as mx
from mxnet.base import MXNetError


def test_plugin_registry_and_register(fresh_plugins):
    # inside fresh_plugins: the resets below must not replace the suite's registries
    from mxnet.plugins import get_registry, hookimpl, register_plugin, reset

    class MyOpt(mx.optimizer.SGD):
        pass

    class Plugin:
        @hookimpl
        def mxnet_register_optimizers(self, registry):
            registry.add("pluginsgd", MyOpt)

    plugin = register_plugin(Plugin(), name="test-optimizer-plugin")
    try:
        assert isinstance(mx.optimizer.create("PluginSGD"), MyOpt)
        assert get_registry("optimizers").get("sgd") is mx.optimizer.SGD
    finally:
        reset()
    assert "pluginsgd" not in mx.optimizer.Optimizer.opt_registry
    del plugin

    @mx.optimizer.register
    class Registered(mx.optimizer.SGD):
        pass
    assert isinstance(mx.optimizer.create("registered"), Registered)
    reset()                              # a fresh registry keeps registered classes
    assert mx.optimizer.Optimizer.opt_registry["registered"] is Registered
    with pytest.warns(UserWarning, match="overriding existing optimizer"):
        mx.optimizer.register(type("Registered", (mx.optimizer.SGD,), {}))


def test_initializer_register_and_plugin_registry(fresh_plugins):
    # inside fresh_plugins: the reset below must not replace the suite's registries
    from mxnet.plugins import get_registry, hookimpl, register_plugin, reset

    @mx.init.register
    class MyInit(mx.init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 7
    arr = mx.nd.zeros((2,))
    mx.init.create("myinit")(mx.init.InitDesc("a_weight"), arr)
    assert (arr.asnumpy() == 7).all()

    class Plugin:
        @hookimpl
        def mxnet_register_initializers(self, registry):
            registry.add("sevens", MyInit)
    register_plugin(Plugin(), name="test-init-plugin")
    try:
        assert isinstance(mx.init.create("sevens"), MyInit)
        assert get_registry("initializers").get("xavier") is mx.init.Xavier
    finally:
        reset()
    assert isinstance(mx.init.create("myinit"), MyInit)      # kept after a reset
    with pytest.raises(MXNetError):
        mx.init.register(object)
