"""gluon.contrib.estimator: the training loop, its default handlers and checkpoints
(log lines and file names as MXNet 1.9.1 writes them)."""
import logging
import os

import numpy as np
import pytest

import mxnet as mx
from mxnet import gluon
from mxnet.gluon.contrib.estimator import (BatchEnd, BatchProcessor, CheckpointHandler,
                                           EarlyStoppingHandler, EpochEnd, Estimator,
                                           LoggingHandler, ValidationHandler)


def _setup(lr=0.1, seed=0):
    mx.random.seed(seed)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(8, activation="relu", in_units=5), gluon.nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier())
    rs = np.random.RandomState(seed)
    x = rs.randn(48, 5).astype("float32")
    y = ((x[:, 0] > 0).astype("float32") + (x[:, 1] > 0))
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=16)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    est = Estimator(net, gluon.loss.SoftmaxCrossEntropyLoss(), trainer=trainer,
                    context=mx.cpu())
    return net, loader, est


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_fit_trains_like_a_hand_written_loop():
    net, loader, est = _setup()
    before = [v.data().copy() for v in net.collect_params().values()]
    est.fit(loader, epochs=2)
    # the same two epochs by hand, from the same start
    ref, _, _ = _setup()
    for v, value in zip(ref.collect_params().values(), before):
        v.set_data(value)
    trainer = gluon.Trainer(ref.collect_params(), "sgd", {"learning_rate": 0.1})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for _ in range(2):
        for x, y in loader:
            with mx.autograd.record():
                loss = loss_fn(ref(x), y)
            loss.backward()
            trainer.step(x.shape[0])
    for a, b in zip(net.collect_params().values(), ref.collect_params().values()):
        np.testing.assert_allclose(a.data().asnumpy(), b.data().asnumpy(), rtol=1e-5,
                                   atol=1e-6)
    names = [m.name for m in est.train_metrics + est.val_metrics]
    assert names == ["training accuracy", "training softmaxcrossentropyloss",
                     "validation accuracy", "validation softmaxcrossentropyloss"]


def test_log_lines_and_batches_mode():
    _, loader, est = _setup()
    lines = _Lines()
    est.logger.handlers = [lines]
    est.fit(loader, batches=4,
            event_handlers=[LoggingHandler(log_interval=2, metrics=est.train_metrics)])
    assert lines.lines[:3] == ["Training begin: using optimizer SGD with current learning "
                               "rate 0.1000 ", "Train for 4 batches.",
                               "[Epoch 0] Begin, current learning rate: 0.1000"]
    assert lines.lines[3].startswith("[Epoch 0][Batch 0][Samples 16] time/interval: ")
    assert "training accuracy: " in lines.lines[3]
    assert lines.lines[-1].startswith("Train finished using total ")
    assert "with 2 epochs." in lines.lines[-1]          # 3 batches, then 1 more


def test_validation_and_custom_stopping_handler():
    _, loader, est = _setup()
    calls = []

    class StopAfterTwo(BatchEnd, EpochEnd):
        def batch_end(self, estimator, *args, **kwargs):
            calls.append(kwargs["batch"][0].shape[0])
            return len(calls) == 2

        def epoch_end(self, estimator, *args, **kwargs):
            return True

    est.fit(loader, val_data=loader, epochs=5, event_handlers=[
        StopAfterTwo(), ValidationHandler(loader, est.evaluate, batch_period=1)])
    assert calls == [16, 16]
    name, value = est.val_metrics[0].get()
    assert name == "validation accuracy" and 0 <= value <= 1


def test_checkpoints_best_and_resume(tmp_path):
    _, loader, est = _setup()
    est.net.hybridize()
    folder = str(tmp_path)
    handler = CheckpointHandler(folder, monitor=est.train_metrics[0], save_best=True,
                                mode="max", max_checkpoints=2)
    est.fit(loader, epochs=3, event_handlers=[handler])
    # named by batches done so far: 3 per epoch (as MXNet 1.9.1 names them)
    assert sorted(os.listdir(folder)) == [
        "model-best.params", "model-best.states", "model-epoch1batch6.params",
        "model-epoch1batch6.states", "model-epoch2batch9.params",
        "model-epoch2batch9.states", "model-symbol.json"]
    # resuming trains only the epochs left and numbers the files on from there
    _, loader, est2 = _setup()
    resume = CheckpointHandler(folder, resume_from_checkpoint=True)
    est2.fit(loader, epochs=4, event_handlers=[resume])
    assert est2.max_epoch == 1
    assert "model-epoch3batch12.params" in os.listdir(folder)
    with pytest.raises(ValueError, match="maximum number of epoch 3 reached"):
        _setup()[2].fit(loader, epochs=3, event_handlers=[
            CheckpointHandler(folder, resume_from_checkpoint=True)])


def test_early_stopping():
    _, loader, est = _setup(lr=0.0)          # no progress: stops after `patience`
    stopper = EarlyStoppingHandler(est.train_metrics[1], patience=2, mode="min")
    est.fit(loader, epochs=20, event_handlers=[stopper])
    assert stopper.stop_training and stopper.current_epoch == 3


def test_batch_processor_and_argument_errors():
    _, loader, est = _setup()

    class Doubling(BatchProcessor):
        def fit_batch(self, estimator, train_batch, batch_axis=0):
            self.seen = train_batch[0].shape
            return super().fit_batch(estimator, train_batch, batch_axis)

    est.batch_processor = processor = Doubling()
    est.fit(loader, batches=1)
    assert processor.seen == (16, 5)
    with pytest.raises(ValueError, match="exactly one type of iteration"):
        est.fit(loader, epochs=1, batches=1)
    with pytest.raises(ValueError, match="only support input as Gluon DataLoader"):
        est.fit([1, 2], epochs=1)
    with pytest.raises(ValueError, match="loss must be a Loss"):
        Estimator(est.net, loss="l2", trainer=est.trainer)
    with pytest.raises(ValueError, match="fit_batch\\(\\) and evaluate_batch\\(\\)"):
        Estimator(est.net, est.loss, trainer=est.trainer, batch_processor=object())
    with pytest.raises(ValueError, match="outside of the known training"):
        est.fit(loader, epochs=1, event_handlers=[
            LoggingHandler(metrics=[mx.metric.Accuracy()])])
    with pytest.warns(UserWarning, match="default SGD"):
        Estimator(est.net, est.loss)
