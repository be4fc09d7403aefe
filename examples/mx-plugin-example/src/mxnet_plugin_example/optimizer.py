"""The example optimizer: plain SGD with weight decay and gradient clipping.

Imported by the ``mxnet_register_optimizers`` hook, i.e. only once optimizers are
first used.
"""
try:
    from mxnet.optimizer import Optimizer
except ImportError:      # an mx-core without mx.optimizer: still a valid plain class
    Optimizer = object


class ExampleSGD(Optimizer):
    """``w -= lr * (rescale_grad * clip(grad) + wd * w)``; keeps no state."""

    def create_state(self, index, weight):
        return None

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = grad * self.rescale_grad
        if self.clip_gradient is not None:
            g = g.clip(-self.clip_gradient, self.clip_gradient)
        weight[:] = weight - lr * (g + wd * weight)
