"""Dynamic loss scaling (MXNet 1.9.1's ``contrib/amp/loss_scaler.py``)."""
import logging

from ... import autograd

__all__ = ["LossScaler"]


class LossScaler:
    """Dynamic loss scaler: starts at 2**16, halves on every overflow (that step is
    skipped), doubles after 2000 steps in a row without one, never above 2**24.

    Attributes
    ----------
    loss_scale : float
        The current loss scale.
    """

    def __init__(self):
        self._loss_scale = 2.0 ** 16
        self._next_loss_scale = self._loss_scale
        self._max_loss_scale = 2.0 ** 24
        self._scale_seq_len = 2000
        self._unskipped = 0

    @property
    def loss_scale(self):
        return self._loss_scale

    def has_overflow(self, params):
        """Whether any gradient of ``params`` holds an inf or NaN; updates the scale.

        MXNet 1.9.1 compat: the new scale takes effect from the *next* call (the scale
        used for this step's loss is the one checked here).
        """
        from ...ndarray import multi_all_finite
        grads = [g for p in params if p.grad_req != "null" for g in p.list_grad()]
        finite = True
        with autograd.pause():
            for start in range(0, len(grads), 200):
                chunk = grads[start:start + 200]
                ok = multi_all_finite(*chunk, num_arrays=len(chunk), init_output=True)
                finite = finite and bool(ok.asnumpy()[0])
        overflow = not finite
        self._loss_scale = self._next_loss_scale
        if overflow:
            self._next_loss_scale = self._loss_scale / 2.0
            self._unskipped = 0
            logging.info("AMP: decreasing loss scale to %f", self._next_loss_scale)
        else:
            self._unskipped += 1
        if self._unskipped == self._scale_seq_len:
            self._unskipped = 0
            self._next_loss_scale = min(self._max_loss_scale, self._loss_scale * 2.0)
            logging.info("AMP: increasing loss scale to %f", self._next_loss_scale)
        return overflow
