"""Regression and loss metrics: Perplexity, MAE, MSE, RMSE, CrossEntropy,
NegativeLogLikelihood, PearsonCorrelation, Loss, Torch, Caffe."""
import math

import numpy

from . import EvalMetric, _is_array, _to_numpy, check_label_shapes

__all__ = ["Perplexity", "MAE", "MSE", "RMSE", "CrossEntropy", "NegativeLogLikelihood",
           "PearsonCorrelation", "Loss", "Torch", "Caffe"]

class Perplexity(EvalMetric):
    """Perplexity, ``exp`` of the mean negative log-probability of the labels.

    Parameters
    ----------
    ignore_label : int or None
        Label positions with this value are left out.
    axis : int
        The axis of the class probabilities.
    """

    def __init__(self, ignore_label, axis=-1, name="perplexity", output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        if len(labels) != len(preds):
            raise ValueError(f"Perplexity: {len(labels)} labels for {len(preds)} predictions")
        loss, num = 0., 0
        for label, pred in zip(labels, preds):
            pred = _to_numpy(pred)
            label = _to_numpy(label)
            if label.size != pred.size / pred.shape[-1]:
                raise ValueError(f"shape mismatch: {label.shape} vs. {pred.shape}")
            label = label.reshape(-1)
            axis = self.axis % pred.ndim
            # NOTE: like MXNet's pick (mode 'clip'), out-of-range labels clip to the ends.
            index = numpy.clip(label.astype("int32"), 0, pred.shape[axis] - 1)
            rest = pred.shape[:axis] + pred.shape[axis + 1:]
            index = numpy.expand_dims(index.reshape(rest), axis)
            prob = numpy.take_along_axis(pred, index, axis).squeeze(axis)
            if self.ignore_label is not None:
                ignore = (label.reshape(rest) == self.ignore_label).astype(prob.dtype)
                num -= float(ignore.sum())     # MXNet 1.9.1: a float count
                prob = prob * (1 - ignore) + ignore
            loss -= float(numpy.log(numpy.maximum(prob.dtype.type(1e-10), prob)).sum())
            num += prob.size
        self._add(loss, num)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))


class _Regression(EvalMetric):
    """MAE, MSE, RMSE: the mean over batches of a per-batch error."""

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label = _to_numpy(label)
            pred = _to_numpy(pred)
            # MXNet 1.9.1 compat: 1-d arrays become columns, so (n,) vs (n, 1) broadcast.
            label = label.reshape(label.shape[0], 1) if label.ndim == 1 else label
            pred = pred.reshape(pred.shape[0], 1) if pred.ndim == 1 else pred
            self._add(self._error(label - pred), 1)


class MAE(_Regression):
    """Mean absolute error."""

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    @staticmethod
    def _error(diff):
        return numpy.abs(diff).mean()


class MSE(_Regression):
    """Mean squared error."""

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    @staticmethod
    def _error(diff):
        return (diff ** 2.0).mean()


class RMSE(_Regression):
    """Root mean squared error (averaged over batches)."""

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    @staticmethod
    def _error(diff):
        return numpy.sqrt((diff ** 2.0).mean())


class _LogLoss(EvalMetric):
    """CrossEntropy and NegativeLogLikelihood: ``-log(p[label] + eps)`` per sample."""

    def __init__(self, eps, name, output_names, label_names):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label = _to_numpy(label).ravel()
            pred = _to_numpy(pred)
            if label.shape[0] != pred.shape[0]:
                raise ValueError(f"{self.name}: {label.shape[0]} labels for "
                                 f"{pred.shape[0]} predictions")
            prob = pred[numpy.arange(label.shape[0]), numpy.int64(label)]
            self._add((-numpy.log(prob + self.eps)).sum(), label.shape[0])


class CrossEntropy(_LogLoss):
    """Cross entropy ``-log(p[label] + eps)`` averaged over samples.

    Parameters
    ----------
    eps : float
        Added to the probability before the log.
    """

    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


class NegativeLogLikelihood(_LogLoss):
    """Negative log likelihood ``-log(p[label] + eps)`` averaged over samples."""

    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


class PearsonCorrelation(EvalMetric):
    """Pearson correlation of predictions and labels.

    Parameters
    ----------
    average : str
        ``'macro'``: mean of the per-batch correlations; ``'micro'``: correlation of
        all values seen (streamed with Welford's update).
    """

    def __init__(self, name="pearsonr", output_names=None, label_names=None,
                 average="macro"):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def reset_micro(self):
        self._sse_p = self._mean_p = self._sse_l = self._mean_l = 0
        self._pred_nums = self._label_nums = 0
        self._conv = 0

    def reset(self):
        super().reset()
        if self.average == "micro":
            self.reset_micro()

    @staticmethod
    def update_variance(new_values, *aggregate):
        count, mean, m_2 = aggregate
        count += len(new_values)
        delta = new_values - mean
        mean += numpy.sum(delta / count)
        m_2 += numpy.sum(delta * (new_values - mean))
        return count, mean, m_2

    def update_cov(self, label, pred):
        # MXNet 1.9.1 compat: uses the label mean after its update, the pred mean before.
        self._conv = self._conv + numpy.sum((label - self._mean_l) * (pred - self._mean_p))

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = _to_numpy(label).ravel().astype(numpy.float64)
            pred = _to_numpy(pred).ravel().astype(numpy.float64)
            if self.average == "macro":
                self._add(numpy.corrcoef(pred, label)[0, 1], 1)
                continue
            self._add(0, 1)
            self._label_nums, self._mean_l, self._sse_l = self.update_variance(
                label, self._label_nums, self._mean_l, self._sse_l)
            self.update_cov(label, pred)
            self._pred_nums, self._mean_p, self._sse_p = self.update_variance(
                pred, self._pred_nums, self._mean_p, self._sse_p)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        if self.average == "macro":
            return (self.name, self.sum_metric / self.num_inst)
        n = self._label_nums
        return (self.name, self._conv / ((n - 1) * numpy.sqrt(self._sse_p / (n - 1))
                                         * numpy.sqrt(self._sse_l / (n - 1))))


class Loss(EvalMetric):
    """Mean of the predictions, for outputs that already are losses (labels are ignored)."""

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        if _is_array(preds):
            preds = [preds]
        for pred in preds:
            pred = _to_numpy(pred)
            self._add(float(pred.sum()), pred.size)


class Torch(Loss):
    """Dummy metric for torch criterions."""

    def __init__(self, name="torch", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


class Caffe(Loss):
    """Dummy metric for caffe criterions."""

    def __init__(self, name="caffe", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)
