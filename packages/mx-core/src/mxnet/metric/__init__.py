"""Online evaluation metrics (``mx.metric``), as in MXNet 1.9.1.

A metric accumulates ``sum_metric`` / ``num_inst`` over ``update(labels, preds)`` calls;
``get()`` returns ``(name, sum_metric / num_inst)``. Metrics with global statistics keep a
second pair (``global_sum_metric`` / ``global_num_inst``) that ``reset_local()`` leaves alone.
Labels and predictions may be NDArrays or NumPy arrays; the arithmetic is done in NumPy.

Metric classes are found by lower-case name through the plugin registry ``metrics``
(hook ``mxnet_register_metrics``), so ``mx.metric.create('myacc')`` finds plugin metrics.
"""
import json
import math
import warnings
from collections import OrderedDict

import numpy

from ..base import numeric_types, string_types
from ..plugins import _manager

__all__ = ["EvalMetric", "CompositeEvalMetric", "Accuracy", "TopKAccuracy", "F1", "MCC",
           "Perplexity", "MAE", "MSE", "RMSE", "CrossEntropy", "NegativeLogLikelihood",
           "PearsonCorrelation", "PCC", "Loss", "Torch", "Caffe", "CustomMetric", "np",
           "create", "register", "alias", "check_label_shapes"]


def _is_array(x):
    return isinstance(x, numpy.ndarray) or hasattr(x, "asnumpy")


def _to_numpy(x):
    return x.asnumpy() if hasattr(x, "asnumpy") else numpy.asarray(x)


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Checks that labels and predictions agree in length (or shape, if ``shape``).

    With ``wrap``, a single array is wrapped in a list. Raises ValueError on mismatch.
    """
    if shape:
        label_shape, pred_shape = labels.shape, preds.shape
    else:
        label_shape, pred_shape = len(labels), len(preds)
    if label_shape != pred_shape:
        raise ValueError(f"Shape of labels {label_shape} does not match shape of "
                         f"predictions {pred_shape}")
    if wrap:
        labels = [labels] if _is_array(labels) else labels
        preds = [preds] if _is_array(preds) else preds
    return labels, preds


class EvalMetric:
    """Base class of every evaluation metric.

    Parameters
    ----------
    name : str
        Name of this metric instance for display.
    output_names : list of str, or None
        Predictions used by `update_dict` (default: all).
    label_names : list of str, or None
        Labels used by `update_dict` (default: all).
    """

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The configuration; ``metric.create(**config)`` recreates the metric."""
        config = self._kwargs.copy()
        config.update({"metric": self.__class__.__name__, "name": self.name,
                       "output_names": self.output_names, "label_names": self.label_names})
        return config

    def update_dict(self, label, pred):
        """Updates with ``name -> array`` dicts, picking `label_names` / `output_names`."""
        if self.output_names is not None:
            pred = [pred[name] for name in self.output_names]
        else:
            pred = list(pred.values())
        if self.label_names is not None:
            label = [label[name] for name in self.label_names]
        else:
            label = list(label.values())
        self.update(label, pred)

    def update(self, labels, preds):
        """Updates the internal evaluation result with lists of labels and predictions."""
        raise NotImplementedError()

    def reset(self):
        """Resets the local and global results."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Resets the local results only."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def _add(self, value, count):
        # MXNet 1.9.1 compat: under NumPy 1.x ``0.0 + float32`` promoted to float64, so
        # the sums were Python-float-like; NumPy 2 would keep float32 (NEP 50).
        if isinstance(value, numpy.generic):
            value = value.item()
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def get(self):
        """``(name, value)`` of the local result (NaN before any update)."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        """``(name, value)`` of the global result."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    def get_name_value(self):
        """``[(name, value), ...]`` of the local result."""
        return _zip_pairs(*self.get())

    def get_global_name_value(self):
        """``[(name, value), ...]`` of the global result."""
        if not self._has_global_stats:
            return self.get_name_value()
        return _zip_pairs(*self.get_global())


def _zip_pairs(name, value):
    name = name if isinstance(name, list) else [name]
    value = value if isinstance(value, list) else [value]
    return list(zip(name, value))


# ---------------------------------------------------------------------------------
# Registry: mx-core's metrics are kept here and copied into the plugin registry
# ``metrics`` when it is built, before the plugins' hooks run.
# ---------------------------------------------------------------------------------
_BUILTIN = {}
_STATE = {"importing": True}


def _make_registry():
    reg = _manager.NameRegistry("metric")
    for key, klass in _BUILTIN.items():
        reg.add(key, klass)
    return reg


_manager.define_registry("metrics", _make_registry)


def register(klass, name=None):
    """Registers a metric class under ``name`` (default: the class name), lower-cased."""
    if not (isinstance(klass, type) and issubclass(klass, EvalMetric)):
        raise TypeError(f"Can only register subclass of EvalMetric, got {klass!r}")
    key = (name or klass.__name__).lower()
    if _STATE["importing"]:
        _BUILTIN[key] = klass
        return klass
    reg = _manager.get_registry("metrics")
    old = reg.get(key)
    if old is not None and old is not klass:
        warnings.warn(f"New metric {klass.__module__}.{klass.__name__} registered with name "
                      f"{key} is overriding existing metric {old.__module__}.{old.__name__}",
                      UserWarning, stacklevel=2)
    _BUILTIN[key] = klass       # survives a registry rebuild (plugins.reset())
    reg.add(key, klass)
    return klass


def alias(*aliases):
    """Class decorator registering a metric under extra names."""
    def reg(klass):
        for name in aliases:
            register(klass, name)
        return klass
    return reg


def _lookup(name):
    key = name.lower()
    klass = _manager.get_registry("metrics").get(key) or _BUILTIN.get(key)
    if klass is None:
        raise ValueError(f"Metric {name!r} is not registered. Please register with "
                         f"metric.register first (known: {sorted(_BUILTIN)})")
    return klass


def create(metric, *args, **kwargs):
    """Creates a metric from a name, an instance, a config dict or JSON string, a list of
    those (a `CompositeEvalMetric`), or a function ``feval(label, pred)`` (`CustomMetric`).

    Examples
    --------
    >>> metric1 = mx.metric.create('acc')
    >>> metric2 = mx.metric.create(lambda label, pred: numpy.mean(label == pred))
    >>> metric3 = mx.metric.create([metric1, metric2, 'rmse'])
    """
    # MXNet 1.9.1 compat: any callable (even a metric class) becomes a CustomMetric.
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return _create(metric, *args, **kwargs)


def _create(*args, **kwargs):
    if args:
        name, args = args[0], args[1:]
    else:
        name = kwargs.pop("metric")
    if isinstance(name, EvalMetric):
        if args or kwargs:
            raise ValueError("metric is already an instance. Additional arguments are invalid")
        return name
    if isinstance(name, dict):
        return _create(**name)
    if not isinstance(name, string_types):
        raise TypeError(f"metric must be of string type, got {type(name).__name__}")
    if name.startswith("["):
        name, kwargs = json.loads(name)
        return _create(name, **kwargs)
    if name.startswith("{"):
        return _create(**json.loads(name))
    return _lookup(name)(*args, **kwargs)


@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Manages several child metrics; `get` returns lists of names and values.

    Examples
    --------
    >>> eval_metrics = mx.metric.CompositeEvalMetric(['acc', 'f1'])
    >>> eval_metrics.update([mx.nd.array([0, 1, 1])],
    ...                     [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> eval_metrics.get()
    (['accuracy', 'f1'], [0.6666666666666666, 0.8])
    """

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(i) for i in (metrics or [])]

    def add(self, metric):
        """Adds a child metric (anything `create` accepts)."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """Returns the child metric at ``index``."""
        try:
            return self.metrics[index]
        except IndexError:
            raise ValueError(f"Metric index {index} is out of range 0 and "
                             f"{len(self.metrics)}") from None

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict(i for i in labels.items() if i[0] in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict(i for i in preds.items() if i[0] in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, "metrics", ()):
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def _collect(self, method):
        names, values = [], []
        for metric in self.metrics:
            name, value = getattr(metric, method)()
            names.extend([name] if isinstance(name, string_types) else name)
            values.extend([value] if isinstance(value, numeric_types) else value)
        return (names, values)

    def get(self):
        return self._collect("get")

    def get_global(self):
        return self._collect("get_global")

    def get_config(self):
        config = super().get_config()
        config.update({"metrics": [i.get_config() for i in self.metrics]})
        return config


register(CompositeEvalMetric)


class CustomMetric(EvalMetric):
    """A metric computed by ``feval(label, pred)`` on NumPy arrays; ``feval`` returns a
    value (counted once) or a ``(sum_metric, num_inst)`` tuple.

    Parameters
    ----------
    feval : callable
        The metric function.
    name : str, optional
        Default: ``feval.__name__`` (``custom(<lambda>)`` for a lambda).
    allow_extra_outputs : bool
        Skip the check that labels and predictions are equally many.
    """

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if "<" in name:
                name = f"custom({name})"
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            reval = self._feval(_to_numpy(label), _to_numpy(pred))
            if isinstance(reval, tuple):
                self._add(*reval)
            else:
                self._add(reval, 1)

    def get_config(self):
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """Creates a `CustomMetric` from a function of NumPy ``(label, pred)``.

    Examples
    --------
    >>> def custom_metric(label, pred):
    ...     return numpy.mean(numpy.abs(label - pred))
    >>> metric = mx.metric.np(custom_metric)
    """
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)


# The metric families live in their own modules; they keep this module as their
# public path (``mxnet.metric.Accuracy``), as in MXNet.
from ._classification import F1, MCC, PCC, Accuracy, TopKAccuracy  # noqa: E402
from ._regression import (MAE, MSE, RMSE, Caffe, CrossEntropy, Loss,  # noqa: E402
                          NegativeLogLikelihood, PearsonCorrelation, Perplexity, Torch)

for _klass in (Accuracy, TopKAccuracy, F1, MCC, Perplexity, MAE, MSE, RMSE, CrossEntropy,
               NegativeLogLikelihood, PearsonCorrelation, PCC, Loss, Torch, Caffe,
               CustomMetric):
    _klass.__module__ = __name__        # pickles and reprs name the public path
    register(_klass)
del _klass
alias("ce")(CrossEntropy)
alias("nll_loss")(NegativeLogLikelihood)
alias("pearsonr")(PearsonCorrelation)
_STATE["importing"] = False
