"""Hook implementations; the entry point ``example`` in group ``mxnet`` names this module.

Hooks run once, lazily, when mxnet first builds the registry they fill; nothing here
runs per operation.
"""
from mxnet.plugins import Float, hookimpl


@hookimpl
def mxnet_register_ops(registry):
    @registry.register("scaled_tanh", inputs=["data"],
                       params=[Float("scale", 1.0, doc="Factor applied to tanh(data).")])
    def scaled_tanh(xp, data, *, scale):
        """Computes ``scale * tanh(data)`` element-wise."""
        # xp is the array namespace of the device (numpy on cpu, cupy on gpu)
        return scale * xp.tanh(data)

    @scaled_tanh.gradient
    def _(F, inputs, outputs, ograds, *, scale):
        # d/dx = scale * (1 - tanh(x)^2); written with operators, so it differentiates again
        t = F.tanh(inputs[0])
        return (ograds[0] * scale * (1 - t * t),)


@hookimpl
def mxnet_register_optimizers(registry):
    # imported here: the optimizer module loads only when optimizers are first used
    from .optimizer import ExampleSGD
    registry.add("examplesgd", ExampleSGD)
