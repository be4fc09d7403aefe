"""mx.lr_scheduler against MXNet 1.9.1's recorded schedules."""
import json
import pathlib

import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent / "data" / "optim"
CASES = json.loads((DATA / "lr_schedulers.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['class']}-{sorted(c['kwargs'])}")
def test_schedule_matches_mxnet(case):
    sched = getattr(mx.lr_scheduler, case["class"])(**case["kwargs"])
    got = [sched(n) for n in case["num_update"]]
    # The same float operations in the same order: equal to the last bit.
    assert got == pytest.approx(case["lr"], rel=1e-15, abs=0)


@pytest.mark.parametrize("make,message", [
    (lambda: mx.lr_scheduler.FactorScheduler(step=0), "greater or equal than 1"),
    (lambda: mx.lr_scheduler.FactorScheduler(step=2, factor=1.5), "no more than 1"),
    (lambda: mx.lr_scheduler.MultiFactorScheduler(step=[5, 3]), "increasing"),
    (lambda: mx.lr_scheduler.MultiFactorScheduler(step=[0, 3]), "greater or equal"),
    (lambda: mx.lr_scheduler.PolyScheduler(max_update=0), "strictly positive"),
    (lambda: mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=0.1,
                                             warmup_begin_lr=0.2), "higher than"),
    (lambda: mx.lr_scheduler.CosineScheduler(max_update=10, warmup_steps=-1), "positive"),
    (lambda: mx.lr_scheduler.CosineScheduler(max_update=10, warmup_mode="exp"), "linear"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message) as err:
        make()
    assert isinstance(err.value, MXNetError)


def test_base_class_and_warmup():
    sched = mx.lr_scheduler.LRScheduler(base_lr=1.0, warmup_steps=4, warmup_begin_lr=0.2)
    assert [sched.get_warmup_lr(n) for n in range(4)] == pytest.approx([0.2, 0.4, 0.6, 0.8])
    with pytest.raises(NotImplementedError):
        sched(10)
    with pytest.raises(MXNetError):
        sched.get_warmup_lr(4)


def test_scheduler_drives_optimizer_learning_rate():
    sched = mx.lr_scheduler.MultiFactorScheduler(step=[1, 2], factor=0.1, base_lr=1.0)
    opt = mx.optimizer.SGD(lr_scheduler=sched)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.zeros((1,))
    for _ in range(3):
        upd(0, mx.nd.ones((1,)), w)
    # the count is bumped before the rate is read: rates 1.0, 0.1, 0.01 (as MXNet)
    assert w.asnumpy()[0] == pytest.approx(-1.11, rel=1e-6)
