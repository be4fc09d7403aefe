"""Estimator details MXNet 1.9.1's own tests check: handler categorization, context
errors, default handler order and the early-stopping/auto-mode quirks."""
import warnings

import pytest

import mxnet as mx
from mxnet import gluon
from mxnet.gluon.contrib.estimator import (BatchBegin, BatchEnd, EarlyStoppingHandler,
                                           EpochBegin, Estimator, GradientUpdateHandler,
                                           LoggingHandler, MetricHandler, TrainBegin,
                                           TrainEnd)


def _estimator():
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(2, in_units=3))
    net.initialize()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Estimator(net, gluon.loss.L2Loss(), train_metrics=mx.metric.RMSE())


def test_categorize_handlers_returns_six_lists_in_event_order():
    class A(TrainBegin):
        pass

    class B(EpochBegin, BatchBegin, TrainEnd):
        pass

    class C(EpochBegin, BatchBegin, BatchEnd, TrainEnd):
        pass

    a, b, c = A(), B(), C()
    groups = _estimator()._categorize_handlers([a, b, c])
    assert groups == ([a], [b, c], [b, c], [c], [], [b, c])


def test_unavailable_gpu_context_is_an_assertion_and_bad_type_a_value_error():
    est = _estimator()
    with pytest.raises(AssertionError):
        est._check_context([mx.gpu(100)])
    with pytest.raises(ValueError):
        est._check_context("cpu")


def test_default_handlers_sorted_by_priority():
    est = _estimator()
    est.max_epoch, est.max_batch = 1, None
    with pytest.warns(UserWarning, match="`greater` operator"):
        stopper = EarlyStoppingHandler(monitor=est.val_metrics[0])   # auto mode
    handlers = est._prepare_default_handlers(None, [stopper])
    kinds = [type(h) for h in handlers]
    assert kinds[0] is GradientUpdateHandler and kinds[1] is MetricHandler
    assert kinds[-1] is LoggingHandler and len(handlers) == 5
