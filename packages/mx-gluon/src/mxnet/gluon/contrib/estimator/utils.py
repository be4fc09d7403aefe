"""Helpers shared by the Estimator and its event handlers (MXNet's estimator.utils)."""
from ....metric import Accuracy, CompositeEvalMetric, EvalMetric
from ...loss import SoftmaxCrossEntropyLoss


def _check_metrics(metrics):
    """``metrics`` as a flat list of EvalMetric (composites are expanded)."""
    if isinstance(metrics, CompositeEvalMetric):
        return [m for metric in metrics.metrics for m in _check_metrics(metric)]
    if isinstance(metrics, EvalMetric):
        return [metrics]
    metrics = list(metrics or [])
    if not all(isinstance(m, EvalMetric) for m in metrics):
        raise ValueError("metrics must be a Metric or a list of Metric, refer to "
                         f"mxnet.metric.EvalMetric: {metrics}")
    return metrics


def _check_handler_metric_ref(handler, known_metrics):
    """A handler may only watch metrics the estimator updates."""
    for attribute in dir(handler):
        # MXNet 1.9.1 compat: only attributes named like 'metric' are checked
        if "metric" not in attribute:
            continue
        reference = getattr(handler, attribute)
        if not reference:
            continue
        for metric in reference if isinstance(reference, list) else [reference]:
            _check_metric_known(handler, metric, known_metrics)


def _check_metric_known(handler, metric, known_metrics):
    if metric not in known_metrics:
        raise ValueError(f"Event handler {type(handler).__name__} refers to a metric "
                         f"instance {metric} outside of the known training and validation "
                         "metrics. Please use the metrics from estimator.train_metrics and "
                         "estimator.val_metrics instead.")


def _suggest_metric_for_loss(loss):
    """Accuracy for a softmax cross-entropy loss, else nothing."""
    return Accuracy() if isinstance(loss, SoftmaxCrossEntropyLoss) else None
