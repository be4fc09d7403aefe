"""Contrib optimizers (``mx.optimizer.contrib``): GroupAdaGrad."""
from .. import ndarray as nd
from ..base import MXNetError
from .optimizer import Optimizer, register

__all__ = ["GroupAdaGrad"]


@register
class GroupAdaGrad(Optimizer):
    """AdaGrad with one learning rate per row of a 2-D weight (no weight decay).

    ``history += mean(g**2, axis=1, keepdims=True)``;
    ``weight -= lr * g / sqrt(history + eps)``.
    """

    def __init__(self, eps=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        if len(weight.shape) != 2:
            raise MXNetError(f"GroupAdaGrad: weights must be 2-D, got shape {weight.shape}")
        return nd.zeros((weight.shape[0], 1), weight.context)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        if wd != 0:
            raise MXNetError(f"GroupAdaGrad: Weight decay is not supported (wd={wd})")
        xp = weight.context.backend.xp
        g = grad._data * self.rescale_grad
        if self.clip_gradient is not None:
            g = xp.clip(g, -self.clip_gradient, self.clip_gradient)
        hist = state._data
        hist += (g * g).mean(axis=1, keepdims=True)
        weight._data -= lr * g / xp.sqrt(hist + self.float_stable_eps)
