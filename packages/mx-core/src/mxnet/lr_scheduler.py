"""Learning-rate schedules: ``lr = scheduler(num_update)`` (MXNet's ``mx.lr_scheduler``).

Schedulers are stateful (FactorScheduler and MultiFactorScheduler decay ``base_lr`` as
the update count passes each step), so they are meant to be called with a
non-decreasing ``num_update``, as an optimizer does.
"""
import logging
from math import cos, pi

from .base import MXNetError

__all__ = ["LRScheduler", "FactorScheduler", "MultiFactorScheduler", "PolyScheduler",
           "CosineScheduler"]


class ScheduleError(MXNetError, ValueError):
    """A bad scheduler argument (a ValueError too, as MXNet raised ValueError)."""


class LRScheduler:
    """Base class: ``base_lr`` after an optional warm-up of ``warmup_steps`` updates.

    Parameters
    ----------
    base_lr : float
        The learning rate reached at the end of the warm-up.
    warmup_steps : int
        Number of warm-up updates.
    warmup_begin_lr : float
        The learning rate at update 0 of the warm-up.
    warmup_mode : {'linear', 'constant'}
        'linear' goes from ``warmup_begin_lr`` to ``base_lr``; 'constant' stays at
        ``warmup_begin_lr`` for the whole warm-up.
    """

    def __init__(self, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):
        self.base_lr = base_lr
        if not isinstance(warmup_steps, int):
            raise ScheduleError(f"LRScheduler: warmup_steps must be an int, got "
                                f"{type(warmup_steps).__name__}")
        self.warmup_steps = warmup_steps
        self.warmup_final_lr = base_lr
        self.warmup_begin_lr = warmup_begin_lr
        if warmup_begin_lr > base_lr:
            raise ScheduleError(f"Base lr has to be higher than warmup_begin_lr "
                                f"(base_lr={base_lr}, warmup_begin_lr={warmup_begin_lr})")
        if warmup_steps < 0:
            raise ScheduleError(f"Warmup steps has to be positive or 0, got {warmup_steps}")
        if warmup_mode not in ("linear", "constant"):
            raise ScheduleError(f"Supports only linear and constant modes of warmup, got "
                                f"{warmup_mode!r}")
        self.warmup_mode = warmup_mode

    def get_warmup_lr(self, num_update):
        """The learning rate at warm-up update ``num_update`` (< ``warmup_steps``)."""
        if num_update >= self.warmup_steps:
            raise ScheduleError(f"get_warmup_lr: update {num_update} is past the "
                                f"{self.warmup_steps} warm-up steps")
        if self.warmup_mode == "constant":
            return self.warmup_begin_lr
        span = self.warmup_final_lr - self.warmup_begin_lr
        return self.warmup_begin_lr + span * float(num_update) / float(self.warmup_steps)

    def __call__(self, num_update):
        raise NotImplementedError("must override this")


def _check_factor(cls_name, factor):
    if factor > 1.0:
        raise ScheduleError(f"{cls_name}: Factor must be no more than 1 to make lr reduce, "
                            f"got {factor}")


class FactorScheduler(LRScheduler):
    """Multiply the rate by ``factor`` every ``step`` updates, never below ``stop_factor_lr``.

    The rate at update ``n`` is ``base_lr * factor ** ((n - 1) // step)``.
    """

    def __init__(self, step, factor=1, stop_factor_lr=1e-8, base_lr=0.01,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if step < 1:
            raise ScheduleError(f"FactorScheduler: Schedule step must be greater or equal "
                                f"than 1 round, got {step}")
        _check_factor("FactorScheduler", factor)
        self.step = step
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        # MXNet 1.9.1 compat: the decay is applied one boundary late (``>`` not ``>=``),
        # and repeatedly, so the same number of multiplications gives the same floats.
        while num_update > self.count + self.step:
            self.count += self.step
            self.base_lr *= self.factor
            if self.base_lr < self.stop_factor_lr:
                self.base_lr = self.stop_factor_lr
                logging.info("Update[%d]: now learning rate arrived at %0.5e, will not "
                             "change in the future", num_update, self.base_lr)
            else:
                logging.info("Update[%d]: Change learning rate to %0.5e",
                             num_update, self.base_lr)
        return self.base_lr


class MultiFactorScheduler(LRScheduler):
    """Multiply the rate by ``factor`` once each listed step (an increasing list) is passed."""

    def __init__(self, step, factor=1, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if not isinstance(step, list) or not step:
            raise ScheduleError(f"MultiFactorScheduler: step must be a non-empty list, got "
                                f"{step!r}")
        for i, s in enumerate(step):
            if i and s <= step[i - 1]:
                raise ScheduleError("MultiFactorScheduler: Schedule step must be an "
                                    f"increasing integer list, got {step}")
            if s < 1:
                raise ScheduleError("MultiFactorScheduler: Schedule step must be greater "
                                    f"or equal than 1 round, got {s}")
        _check_factor("MultiFactorScheduler", factor)
        self.step = step
        self.cur_step_ind = 0
        self.factor = factor
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while self.cur_step_ind < len(self.step) and num_update > self.step[self.cur_step_ind]:
            self.count = self.step[self.cur_step_ind]
            self.cur_step_ind += 1
            self.base_lr *= self.factor
            logging.info("Update[%d]: Change learning rate to %0.5e", num_update, self.base_lr)
        return self.base_lr


def _check_max_update(cls_name, max_update):
    if not isinstance(max_update, int):
        raise ScheduleError(f"{cls_name}: max_update must be an int, got "
                            f"{type(max_update).__name__}")
    if max_update < 1:
        raise ScheduleError(f"{cls_name}: maximum number of updates must be strictly "
                            f"positive, got {max_update}")


class PolyScheduler(LRScheduler):
    """Polynomial decay from ``base_lr`` to ``final_lr`` over ``max_update`` updates.

    ``lr = final_lr + (base_lr - final_lr) * (1 - (n - warmup_steps) / max_steps) ** pwr``
    with ``max_steps = max_update - warmup_steps``; the rate stays put after ``max_update``.
    """

    def __init__(self, max_update, base_lr=0.01, pwr=2, final_lr=0,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _check_max_update("PolyScheduler", max_update)
        self.power = pwr
        self.base_lr_orig = self.base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = max_update - warmup_steps

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            done = float(num_update - self.warmup_steps) / float(self.max_steps)
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * \
                pow(1 - done, self.power)
        return self.base_lr


class CosineScheduler(LRScheduler):
    """Cosine decay from ``base_lr`` to ``final_lr`` over ``max_update`` updates.

    ``lr = final_lr + (base_lr - final_lr) * (1 + cos(pi * (n - warmup_steps) / max_steps)) / 2``
    """

    def __init__(self, max_update, base_lr=0.01, final_lr=0,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _check_max_update("CosineScheduler", max_update)
        self.base_lr_orig = base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = max_update - warmup_steps

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            angle = pi * (num_update - self.warmup_steps) / self.max_steps
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * \
                (1 + cos(angle)) / 2
        return self.base_lr
