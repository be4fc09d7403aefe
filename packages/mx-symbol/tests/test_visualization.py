"""mx.viz: print_summary and plot_network against output recorded from MXNet 1.9.1.

tests/data/viz/*.json hold what the real MXNet 1.9.1 printed (print_summary) and
the Graphviz source it built (plot_network) for the networks defined below, plus
its -symbol.json of each network.
"""
import contextlib
import io
import json
import os
import sys
import types

import numpy as np
import pytest

import mxnet as mx

DATA = os.path.join(os.path.dirname(__file__), "data", "viz")


def _load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


SUMMARY = _load("print_summary_1.9.1.json")
PLOTS = _load("plot_network_1.9.1.json")


def mlp():
    data = mx.sym.var("data")
    h = mx.sym.FullyConnected(data, num_hidden=128, name="fc1")
    h = mx.sym.Activation(h, act_type="relu", name="relu1")
    h = mx.sym.FullyConnected(h, num_hidden=64, name="fc2")
    h = mx.sym.Activation(h, act_type="relu", name="relu2")
    h = mx.sym.FullyConnected(h, num_hidden=10, name="fc3")
    return mx.sym.SoftmaxOutput(h, name="softmax")


def convnet():
    data = mx.sym.var("data")
    h = mx.sym.Convolution(data, kernel=(5, 5), num_filter=20, name="conv1")
    h = mx.sym.BatchNorm(h, name="bn1")
    h = mx.sym.Activation(h, act_type="tanh", name="tanh1")
    h = mx.sym.Pooling(h, pool_type="max", kernel=(2, 2), stride=(2, 2), name="pool1")
    h = mx.sym.Convolution(h, kernel=(3, 3), num_filter=16, num_group=4, no_bias=True,
                           name="conv2")
    b = mx.sym.Convolution(h, kernel=(1, 1), num_filter=16, name="conv3")
    h = mx.sym.elemwise_add(h, b, name="add")
    h = mx.sym.Flatten(h, name="flatten")
    h = mx.sym.FullyConnected(h, num_hidden=10, no_bias=True, name="fc")
    return mx.sym.SoftmaxOutput(h, name="softmax")


def embedding():
    h = mx.sym.Embedding(mx.sym.var("data"), input_dim=100, output_dim=8, name="embed")
    return mx.sym.sum(h, axis=1, name="pool")


NETS = {"mlp": (mlp, {"data": (64, 784)}), "convnet": (convnet, {"data": (8, 3, 28, 28)}),
        "embedding": (embedding, {"data": (4, 5)})}
VARIANTS = {"shape": lambda s: {"shape": s}, "noshape": lambda s: {},
            "narrow": lambda s: {"shape": s, "line_length": 80,
                                 "positions": [30, 50, 60, 80]}}


def _summary(sym, **kwargs):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        mx.viz.print_summary(sym, **kwargs)
    return buf.getvalue()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("net", sorted(NETS))
def test_print_summary_matches_mxnet(net, variant):
    build, shape = NETS[net]
    assert _summary(build(), **VARIANTS[variant](shape)) == SUMMARY[f"{net}_{variant}"]


@pytest.mark.parametrize("net", sorted(NETS))
def test_print_summary_of_mxnet_written_json(net):
    sym = mx.sym.load_json(SUMMARY[f"{net}_json"])
    assert _summary(sym, shape=NETS[net][1]) == SUMMARY[f"{net}_shape"]


def test_print_summary_totals_and_errors():
    text = _summary(mlp(), shape={"data": (1, 784)})
    assert "Total params: 109386" in text         # 784*128+128 + 128*64+64 + 64*10+10
    with pytest.raises(TypeError, match="Symbol"):
        mx.viz.print_summary("not a symbol")
    with pytest.raises(ValueError, match="incomplete"):
        mx.viz.print_summary(mlp(), shape={"softmax_label": (2,)})


def test_viz_is_the_visualization_module():
    import mxnet.visualization
    assert mx.viz is mxnet.visualization
    assert mx.visualization.print_summary is mx.viz.print_summary


@pytest.mark.parametrize("case", sorted(PLOTS))
def test_plot_network_source_matches_mxnet(case):
    pytest.importorskip("graphviz")
    net, variant = case.split("_")
    build, shape = NETS[net]
    if variant == "plain":
        dot = mx.viz.plot_network(build())
    else:
        dot = mx.viz.plot_network(build(), title="net", save_format="png", shape=shape,
                                  dtype={"data": np.float32},
                                  node_attrs={"fixedsize": "false"}, hide_weights=False)
    # graphviz releases differ only in the final newline
    assert dot.source.rstrip("\n") == PLOTS[case].rstrip("\n")


class _FakeDigraph:
    def __init__(self, name, format):
        self.name, self.format, self.nodes, self.edges = name, format, {}, []

    def node(self, name, label, **attr):
        self.nodes[name] = (label, attr)

    def edge(self, tail_name, head_name, **attr):
        self.edges.append((tail_name, head_name, attr["label"]))


def test_plot_network_builds_the_graph(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", types.SimpleNamespace(Digraph=_FakeDigraph))
    dot = mx.viz.plot_network(mlp(), title="t", shape={"data": (2, 784)})
    assert (dot.name, dot.format) == ("t", "pdf")
    assert dot.nodes["fc1"][0] == "FullyConnected\n128"
    assert dot.nodes["relu1"][0] == "Activation\nrelu"
    assert "fc1_weight" not in dot.nodes                      # hide_weights
    assert ("fc2", "relu1", "128") in dot.edges
    assert ("fc1", "data", "784") in dot.edges


def test_plot_network_without_graphviz_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)        # import fails
    with pytest.raises(ImportError, match=r"mx-symbol\[viz\]"):
        mx.viz.plot_network(mlp())


def test_plot_network_warns_on_repeated_names(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", types.SimpleNamespace(Digraph=_FakeDigraph))
    x = mx.sym.var("x")
    sym = mx.sym.elemwise_add(mx.sym.relu(x, name="a"), mx.sym.relu(x, name="a"), name="s")
    with pytest.warns(RuntimeWarning, match="Repeated names: a"):
        mx.viz.plot_network(sym)
