"""mx.metric against MXNet 1.9.1's golden values, plus registry and API behaviour."""
import json
import math
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet import plugins
from mxnet.plugins import _manager

DATA = pathlib.Path(__file__).resolve().parent / "data" / "metrics"
GOLDEN = json.loads((DATA / "metrics.json").read_text())
INPUTS = np.load(DATA / "inputs.npz")


def _close(actual, expected):
    if expected == "nan" or (isinstance(expected, float) and math.isnan(expected)):
        return math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=GOLDEN["rtol"], abs_tol=GOLDEN["atol"])


def _batches(case):
    b = 0
    while f"{case['id']}.pred.{b}" in INPUTS:
        label = INPUTS.get(f"{case['id']}.label.{b}")
        yield (None if label is None else mx.nd.array(label),
               mx.nd.array(INPUTS[f"{case['id']}.pred.{b}"]))
        b += 1


@pytest.mark.parametrize("case", GOLDEN["metrics"], ids=lambda c: c["id"])
def test_golden(case):
    metric = getattr(mx.metric, case["class"])(**case["kwargs"])
    for (label, pred), expect in zip(_batches(case), case["updates"], strict=True):
        metric.update([] if label is None else [label], [pred])
        for method in ("get", "get_global"):
            name, value = getattr(metric, method)()
            assert name == expect[method][0]
            assert _close(value, expect[method][1]), (method, value, expect[method])
    metric.reset()
    name, value = metric.get()
    assert name == case["after_reset"][0] and _close(value, case["after_reset"][1])


def test_numpy_inputs_and_single_arrays():
    acc = mx.metric.Accuracy()
    acc.update(np.array([0, 1, 1]), np.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]]))
    assert acc.get() == ("accuracy", 2 / 3)


def test_reset_local_keeps_global():
    acc = mx.metric.create("acc")
    acc.update([mx.nd.array([0, 1])], [mx.nd.array([[1, 0], [1, 0]])])
    acc.reset_local()
    acc.update([mx.nd.array([1])], [mx.nd.array([[0, 1]])])
    assert acc.get() == ("accuracy", 1.0)
    assert acc.get_global() == ("accuracy", 2 / 3)
    assert acc.num_inst == 1 and acc.global_num_inst == 3
    assert acc.get_global_name_value() == [("accuracy", 2 / 3)]


def test_composite_and_config():
    comp = mx.metric.create(["acc", "f1", mx.metric.MSE()])
    assert isinstance(comp, mx.metric.CompositeEvalMetric)
    comp.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    names, values = comp.get()
    assert names[:2] == ["accuracy", "f1"]
    assert values[0] == pytest.approx(2 / 3) and values[1] == pytest.approx(0.8)
    config = comp.get_config()
    assert config["metric"] == "CompositeEvalMetric"
    assert config["metrics"][0] == {"axis": 1, "metric": "Accuracy", "name": "accuracy",
                                    "output_names": None, "label_names": None}
    again = mx.metric.create(config["metrics"][0])
    assert isinstance(again, mx.metric.Accuracy)
    with pytest.raises(ValueError):
        comp.get_metric(7)
    assert str(mx.metric.Accuracy()) == "EvalMetric: {'accuracy': nan}"


def test_update_dict_picks_names():
    acc = mx.metric.Accuracy(output_names=["out"], label_names=["lab"])
    acc.update_dict({"lab": mx.nd.array([1]), "other": mx.nd.array([0])},
                    {"out": mx.nd.array([[0, 1]]), "x": mx.nd.array([[1, 0]])})
    assert acc.get() == ("accuracy", 1.0)


def test_create_by_string_forms():
    assert mx.metric.create("top_k_acc", top_k=3).name == "top_k_accuracy_3"
    assert mx.metric.create('{"metric": "ce", "eps": 0.1}').eps == 0.1
    assert isinstance(mx.metric.create('["nll_loss", {}]'), mx.metric.NegativeLogLikelihood)
    assert isinstance(mx.metric.create("PearsonR"), mx.metric.PearsonCorrelation)
    with pytest.raises(ValueError, match="not registered"):
        mx.metric.create("no-such-metric")


def test_custom_metric_and_np():
    def mean_abs(label, pred):
        return np.abs(label - pred).mean()
    metric = mx.metric.create(mean_abs)
    assert metric.name == "mean_abs"
    metric.update([mx.nd.array([1, 2])], [mx.nd.array([2, 4])])
    assert metric.get() == ("mean_abs", 1.5)
    pair = mx.metric.np(lambda label, pred: (float((label == pred).sum()), label.size))
    assert pair.name == "custom(<lambda>)"
    pair.update([mx.nd.array([1, 2, 3])], [mx.nd.array([1, 0, 3])])
    assert pair.get()[1] == pytest.approx(2 / 3)
    with pytest.raises(NotImplementedError):
        pair.get_config()


def test_pcc_multiclass():
    pcc = mx.metric.PCC()
    labels = np.array([0, 1, 2, 2, 1])
    preds = np.eye(3)[[0, 1, 2, 1, 1]]
    pcc.update([mx.nd.array(labels)], [mx.nd.array(preds)])
    # reference: Matthews correlation of the confusion matrix, by hand
    cm = np.zeros((3, 3))
    for p, t in zip([0, 1, 2, 1, 1], labels):
        cm[p, t] += 1
    n, x, y = cm.sum(), cm.sum(1), cm.sum(0)
    ref = (np.trace(cm) * n - (x * y).sum()) / np.sqrt((x * (n - x)).sum() * (y * (n - y)).sum())
    assert pcc.get()[1] == pytest.approx(ref)


def test_shape_mismatch():
    with pytest.raises(ValueError, match="does not match"):
        mx.metric.Accuracy().update([mx.nd.array([1]), mx.nd.array([1])], [mx.nd.array([[1]])])
    with pytest.raises(ValueError):
        mx.metric.TopKAccuracy(top_k=1)


@pytest.fixture
def fresh_metric_registry(monkeypatch):
    """Rebuild only the "metrics" registry around the test (other registries untouched)."""
    monkeypatch.delenv("MXNET_PLUGINS", raising=False)
    _manager._REGISTRIES.pop("metrics", None)
    yield
    _manager._REGISTRIES.pop("metrics", None)


class _Always(mx.metric.EvalMetric):
    def __init__(self, name="always"):
        super().__init__(name)

    def update(self, labels, preds):
        self.sum_metric += 1
        self.num_inst += 1


class _Plugin:
    @plugins.hookimpl
    def mxnet_register_metrics(self, registry):
        registry.add("pluginacc", _Always)


def test_plugin_metrics_are_found_by_name(fresh_metric_registry):
    plugin = plugins.register_plugin(_Plugin(), name="test-metric-plugin")
    try:
        assert isinstance(mx.metric.create("PluginAcc"), _Always)
        assert isinstance(mx.metric.create("acc"), mx.metric.Accuracy)
    finally:
        plugins.unregister_plugin(plugin)


def test_register_writes_the_registry(fresh_metric_registry):
    try:
        mx.metric.register(_Always, "always_user")
        assert isinstance(mx.metric.create("always_user"), _Always)
        assert plugins.get_registry("metrics").get("always_user") is _Always
        _manager._REGISTRIES.pop("metrics")     # a rebuilt registry keeps user metrics
        assert isinstance(mx.metric.create("always_user"), _Always)
        with pytest.warns(UserWarning, match="overriding"):
            mx.metric.register(mx.metric.MSE, "always_user")
    finally:
        mx.metric._BUILTIN.pop("always_user", None)


def test_sums_are_python_floats_as_under_numpy1():
    # MXNet 1.9.1 ran on NumPy 1.x, where 0.0 + float32 gave float64: the metric values
    # are plain floats there, not float32 scalars (NumPy 2 keeps float32)
    pred, label = mx.nd.array([[0.5, 0.25]]), mx.nd.array([[0.75, 0.75]])
    for name in ("mae", "mse", "rmse"):
        metric = mx.metric.create(name)
        metric.update([label], [pred])
        value = metric.get()[1]
        assert type(value) is float, (name, type(value))
    mae = mx.metric.create("mae")
    mae.update([label], [pred])
    assert mae.get()[1] == 0.375


def test_perplexity_ignored_count_is_float():
    metric = mx.metric.Perplexity(ignore_label=1)
    metric.update([mx.nd.array([0, 1, 0])], [mx.nd.array([[0.5, 0.5], [0.1, 0.9], [0.25, 0.75]])])
    assert metric.num_inst == 2.0 and isinstance(metric.num_inst, float)
    assert abs(metric.get()[1] - np.exp(-(np.log(0.5) + np.log(0.25)) / 2)) < 1e-6
