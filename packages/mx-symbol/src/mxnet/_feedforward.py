"""``mx.model.FeedForward``: MXNet's deprecated scikit-style model (fit/predict/score on
NumPy arrays or data iterators), trained here through a :class:`~mxnet.mod.Module`."""
import warnings

import numpy as np

from . import ndarray as nd
from .context import Context, cpu

__all__ = ["FeedForward"]


class FeedForward:
    """``FeedForward(symbol, ctx, num_epoch, optimizer, initializer, numpy_batch_size,
    arg_params, aux_params, ..., **optimizer_params)``; deprecated in MXNet for
    ``mx.mod.Module`` (and warns so)."""

    def __init__(self, symbol, ctx=None, num_epoch=None, epoch_size=None, optimizer="sgd",
                 initializer=None, numpy_batch_size=128, arg_params=None, aux_params=None,
                 allow_extra_params=False, begin_epoch=0, **kwargs):
        warnings.warn("mxnet.model.FeedForward has been deprecated. Please use "
                      "mxnet.mod.Module instead.", DeprecationWarning, stacklevel=2)
        from .initializer import Uniform
        self.symbol = symbol
        self.arg_params, self.aux_params = arg_params, aux_params
        self.allow_extra_params = allow_extra_params
        if allow_extra_params:
            args, auxs = set(symbol.list_arguments()), set(symbol.list_auxiliary_states())
            self.arg_params = {k: v for k, v in (arg_params or {}).items() if k in args}
            self.aux_params = {k: v for k, v in (aux_params or {}).items() if k in auxs}
        self.ctx = [cpu()] if ctx is None else [ctx] if isinstance(ctx, Context) else ctx
        self.num_epoch = num_epoch
        self.epoch_size = epoch_size
        self.kwargs = kwargs.copy()
        self.optimizer = optimizer
        self.initializer = Uniform(0.01) if initializer is None else initializer
        self.numpy_batch_size = numpy_batch_size
        self.begin_epoch = begin_epoch
        self._module = None

    # -- data ----------------------------------------------------------------------
    def _init_iter(self, X, y, is_train):
        from .io import DataIter, NDArrayIter
        if isinstance(X, (np.ndarray, nd.NDArray)):
            if y is None:
                if is_train:
                    raise ValueError("y must be specified when X is numpy.ndarray")
                y = np.zeros(X.shape[0])
            if not isinstance(y, (np.ndarray, nd.NDArray)):
                raise TypeError("y must be ndarray when X is numpy.ndarray")
            if X.shape[0] != y.shape[0]:
                raise ValueError("The numbers of data points and labels not equal")
            if y.ndim == 2 and y.shape[1] == 1:
                y = y.flatten()
            if y.ndim != 1:
                raise ValueError("Label must be 1D or 2D (with 2nd dimension being 1)")
            batch = min(X.shape[0], self.numpy_batch_size)
            if is_train:
                return NDArrayIter(X, y, batch, shuffle=True, last_batch_handle="roll_over")
            return NDArrayIter(X, y, batch, shuffle=False)
        if not isinstance(X, DataIter):
            raise TypeError("X must be DataIter, NDArray or numpy.ndarray")
        return X

    def _init_eval_iter(self, eval_data):
        from .io import DataIter
        if eval_data is None or isinstance(eval_data, DataIter):
            return eval_data
        if isinstance(eval_data, (tuple, list)) and len(eval_data) == 2:
            if eval_data[0] is None:
                raise ValueError("Eval data is NONE")
            data, label = (np.array(v) if isinstance(v, list) else v for v in eval_data)
            return self._init_iter(data, label, is_train=True)
        raise TypeError("Eval data must be DataIter, or NDArray/numpy.ndarray/list pair "
                        "(i.e. tuple/list of length 2)")

    def _new_module(self, data_iter, for_training):
        from .module import Module
        label_names = [d[0] for d in data_iter.provide_label or []]
        mod = Module(self.symbol, data_names=[d[0] for d in data_iter.provide_data],
                     label_names=label_names, context=self.ctx)
        mod.bind(data_iter.provide_data, data_iter.provide_label or None,
                 for_training=for_training)
        return mod

    # -- training ------------------------------------------------------------------
    def fit(self, X, y=None, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", logger=None, work_load_list=None,
            monitor=None, eval_end_callback=None, eval_batch_end_callback=None):
        """Train ``num_epoch`` epochs (``rescale_grad`` = 1/batch size, as MXNet)."""
        from .model import LogValidationMetricsCallback
        data = self._init_iter(X, y, is_train=True)
        eval_data = self._init_eval_iter(eval_data)
        mod = self._new_module(data, for_training=True)
        params = dict(self.kwargs)
        params.setdefault("rescale_grad", 1.0 / data.batch_size)
        mod.fit(data, eval_data=eval_data, eval_metric=eval_metric,
                epoch_end_callback=epoch_end_callback, batch_end_callback=batch_end_callback,
                kvstore=kvstore, optimizer=self.optimizer, optimizer_params=params,
                eval_end_callback=eval_end_callback or LogValidationMetricsCallback(),
                eval_batch_end_callback=eval_batch_end_callback,
                initializer=self.initializer, arg_params=self.arg_params,
                aux_params=self.aux_params, allow_missing=True,
                begin_epoch=self.begin_epoch, num_epoch=self.num_epoch, monitor=monitor)
        self.arg_params, self.aux_params = mod.get_params()
        if logger is not None:
            logger.info("FeedForward: trained %s epochs", self.num_epoch)

    def _predictor(self, data):
        mod = self._new_module(data, for_training=False)
        mod.set_params(self.arg_params, self.aux_params, allow_missing=False,
                       allow_extra=True)
        return mod

    def predict(self, X, num_batch=None, return_data=False, reset=True):
        """Outputs (NumPy) over ``X``, padding removed; with ``return_data`` also the
        data and labels."""
        data = self._init_iter(X, None, is_train=False)
        if reset:
            data.reset()
        mod = self._predictor(data)
        outs, datas, labels = [], [], []
        for i, batch in enumerate(data):
            if num_batch is not None and i == num_batch:
                break
            mod.forward(batch, is_train=False)
            real = data.batch_size - (batch.pad or 0)
            outs.append([o[0:real].asnumpy() for o in mod.get_outputs()])
            if return_data:
                datas.append([x[0:real].asnumpy() for x in batch.data])
                labels.append([x[0:real].asnumpy() for x in batch.label or []])
        outputs = _join(outs)
        if not return_data:
            return outputs
        return outputs, _join(datas), _join(labels)

    def score(self, X, eval_metric="acc", num_batch=None, batch_end_callback=None,
              reset=True):
        """The value of ``eval_metric`` over ``X``."""
        from . import metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        data = self._init_iter(X, None, is_train=False)
        if reset:
            data.reset()
        mod = self._predictor(data)
        mod.score(data, eval_metric, num_batch=num_batch,
                  batch_end_callback=batch_end_callback, reset=False)
        return eval_metric.get()[1]

    # -- checkpoints ---------------------------------------------------------------
    def save(self, prefix, epoch=None, remove_amp_cast=True):
        from .model import save_checkpoint
        epoch = self.num_epoch if epoch is None else epoch
        save_checkpoint(prefix, epoch, self.symbol, self.arg_params, self.aux_params,
                        remove_amp_cast=remove_amp_cast)

    @staticmethod
    def load(prefix, epoch, ctx=None, **kwargs):
        from .model import load_checkpoint
        symbol, arg_params, aux_params = load_checkpoint(prefix, epoch)
        return FeedForward(symbol, ctx=ctx, arg_params=arg_params, aux_params=aux_params,
                           begin_epoch=epoch, **kwargs)

    @staticmethod
    def create(symbol, X, y=None, ctx=None, num_epoch=None, epoch_size=None,
               optimizer="sgd", initializer=None, eval_data=None, eval_metric="acc",
               epoch_end_callback=None, batch_end_callback=None, kvstore="local",
               logger=None, work_load_list=None, eval_end_callback=None,
               eval_batch_end_callback=None, **kwargs):
        """Construct and ``fit`` in one call."""
        model = FeedForward(symbol, ctx=ctx, num_epoch=num_epoch, epoch_size=epoch_size,
                            optimizer=optimizer, initializer=initializer, **kwargs)
        model.fit(X, y, eval_data=eval_data, eval_metric=eval_metric,
                  epoch_end_callback=epoch_end_callback,
                  batch_end_callback=batch_end_callback, kvstore=kvstore, logger=logger,
                  work_load_list=work_load_list, eval_end_callback=eval_end_callback,
                  eval_batch_end_callback=eval_batch_end_callback)
        return model


def _join(batches):
    if not batches:
        return []
    joined = [np.concatenate([b[k] for b in batches]) for k in range(len(batches[0]))]
    return joined[0] if len(joined) == 1 else joined

