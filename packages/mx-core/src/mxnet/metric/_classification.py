"""Classification metrics: Accuracy, TopKAccuracy, F1, MCC, PCC."""
import math

import numpy

from . import EvalMetric, _to_numpy, alias, check_label_shapes

__all__ = ["Accuracy", "TopKAccuracy", "F1", "MCC", "PCC"]

@alias("acc")
class Accuracy(EvalMetric):
    """Classification accuracy: the fraction of predictions equal to the labels.

    Parameters
    ----------
    axis : int
        The axis of the class scores; predictions with the labels' shape are taken as
        class indices already.
    """

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred = _to_numpy(pred)
            label = _to_numpy(label)
            if pred.shape != label.shape:
                pred = numpy.argmax(pred, axis=self.axis)
            pred = pred.astype("int32").ravel()
            label = label.astype("int32").ravel()
            check_label_shapes(label, pred)
            self._add(int((pred == label).sum()), len(pred))


@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Top-k accuracy: a prediction counts if the label is among its ``top_k`` best scores."""

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.top_k = top_k
        if self.top_k <= 1:
            raise ValueError("Please use Accuracy if top_k is no more than 1")
        self.name += f"_{self.top_k}"

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred = _to_numpy(pred).astype("float32")
            if pred.ndim > 2:
                raise ValueError("Predictions should be no more than 2 dims")
            label = _to_numpy(label).astype("int32").ravel()
            check_label_shapes(label, pred)
            if pred.ndim == 1:
                # MXNet 1.9.1 compat: 1-d scores count in the local sum only.
                order = numpy.argpartition(pred, -self.top_k)
                self.sum_metric += int((order == label).sum())
            else:
                num_classes = pred.shape[1]
                top_k = min(num_classes, self.top_k)
                order = numpy.argpartition(pred, -top_k, axis=1)
                hits = int((order[:, num_classes - top_k:] == label[:, None]).sum())
                self.sum_metric += hits
                self.global_sum_metric += hits
            self.num_inst += pred.shape[0]
            self.global_num_inst += pred.shape[0]


class _BinaryStats:
    """True/false positive/negative counts, local and global, for F1 and MCC."""

    _FIELDS = ("true_positives", "false_positives", "false_negatives", "true_negatives")

    def __init__(self):
        self.reset_stats()

    def update_binary_stats(self, label, pred):
        pred = _to_numpy(pred)
        label = _to_numpy(label).astype("int32")
        pred_label = numpy.argmax(pred, axis=1)
        check_label_shapes(label, pred)
        if len(numpy.unique(label)) > 2:
            raise ValueError("F1 and MCC currently only support binary classification.")
        pred_true = pred_label == 1
        label_true = label == 1
        counts = ((pred_true & label_true).sum(), (pred_true & ~label_true).sum(),
                  (~pred_true & label_true).sum(), (~pred_true & ~label_true).sum())
        for field, count in zip(self._FIELDS, counts):
            setattr(self, field, getattr(self, field) + int(count))
            setattr(self, "global_" + field, getattr(self, "global_" + field) + int(count))

    def _counts(self, use_global):
        prefix = "global_" if use_global else ""
        return [float(getattr(self, prefix + f)) for f in self._FIELDS]

    def fscore(self, use_global=False):
        tp, fp, fn, _ = self._counts(use_global)
        precision = tp / (tp + fp) if tp + fp > 0 else 0.
        recall = tp / (tp + fn) if tp + fn > 0 else 0.
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.

    def matthewscc(self, use_global=False):
        tp, fp, fn, tn = self._counts(use_global)
        if not tp + fp + fn + tn:
            return 0.
        denom = 1.
        for term in (tp + fp, tp + fn, tn + fp, tn + fn):
            denom *= term if term != 0. else 1.
        return (tp * tn - fp * fn) / math.sqrt(denom)

    def total_examples(self, use_global=False):
        return int(sum(self._counts(use_global)))

    def local_reset_stats(self):
        for field in self._FIELDS:
            setattr(self, field, 0)

    def reset_stats(self):
        for field in self._FIELDS:
            setattr(self, field, 0)
            setattr(self, "global_" + field, 0)


class _BinaryMetric(EvalMetric):
    """F1 and MCC: ``average='macro'`` averages per update, ``'micro'`` pools the counts."""

    _score = None

    def __init__(self, name, output_names=None, label_names=None, average="macro"):
        self.average = average
        self.metrics = _BinaryStats()
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self.metrics.update_binary_stats(label, pred)
        score = getattr(self.metrics, self._score)
        if self.average == "macro":
            self._add(score(), 1)
            self.metrics.reset_stats()
        else:
            self.sum_metric = score() * self.metrics.total_examples()
            self.global_sum_metric = score(True) * self.metrics.total_examples(True)
            self.num_inst = self.metrics.total_examples()
            self.global_num_inst = self.metrics.total_examples(True)

    def reset(self):
        super().reset()
        self.metrics.reset_stats()

    def reset_local(self):
        super().reset_local()
        self.metrics.local_reset_stats()


class F1(_BinaryMetric):
    """The F1 score of a binary classification (class 1 is positive).

    Parameters
    ----------
    average : str
        ``'macro'``: mean of the per-update scores; ``'micro'``: score of all counts.
    """

    _score = "fscore"

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)


class MCC(_BinaryMetric):
    """The Matthews correlation coefficient of a binary classification."""

    _score = "matthewscc"

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)

    @property
    def _average(self):         # MXNet's attribute names
        return self.average

    @property
    def _metrics(self):
        return self.metrics


class PCC(EvalMetric):
    """Multi-class Matthews correlation (Pearson correlation of the confusion matrix)."""

    def __init__(self, name="pcc", output_names=None, label_names=None,
                 has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        self.lcm = numpy.pad(self.lcm, ((0, inc), (0, inc)), "constant")
        self.gcm = numpy.pad(self.gcm, ((0, inc), (0, inc)), "constant")
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x = cmat.sum(axis=1)
        y = cmat.sum(axis=0)
        cov_xx = numpy.sum(x * (n - x))
        cov_yy = numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float("nan")
        cov_xy = numpy.sum(cmat.diagonal() * n - x * y)
        return cov_xy / (cov_xx * cov_yy) ** 0.5

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label = _to_numpy(label).astype("int32")
            pred = _to_numpy(pred)
            pred = pred.argmax(axis=1) if pred.shape != label.shape else pred.astype("int32")
            n = int(max(pred.max(), label.max()))
            if n >= self.k:
                self._grow(n + 1 - self.k)
            bcm = numpy.zeros((self.k, self.k))
            numpy.add.at(bcm, (pred.ravel(), label.ravel()), 1)
            self.lcm += bcm
            self.gcm += bcm
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._calc_mcc(self.lcm) * self.num_inst

    @property
    def global_sum_metric(self):
        return self._calc_mcc(self.gcm) * self.global_num_inst

    def reset(self):
        self.global_num_inst = 0.
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0.
        self.lcm = numpy.zeros((self.k, self.k))
