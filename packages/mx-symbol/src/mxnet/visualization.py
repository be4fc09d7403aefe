"""``mx.viz``: a printed layer table of a Symbol and a Graphviz drawing of it.

:func:`print_summary` prints the same table as MXNet 1.9.1, character for
character (its quirks included, marked below). :func:`plot_network` returns a
``graphviz.Digraph``; it needs the ``graphviz`` Python package
(``pip install mx-symbol[viz]``; rendering also needs Graphviz's ``dot`` program).
"""
import copy
import json
import re
import warnings

from .symbol import Symbol

__all__ = ["print_summary", "plot_network"]

_WEIGHT_SUFFIXES = ("_weight", "_bias", "_beta", "_gamma", "_moving_var", "_moving_mean",
                    "_running_var", "_running_mean")
_COLORS = ("#8dd3c7", "#fb8072", "#ffffb3", "#bebada", "#80b1d3", "#fdb462", "#b3de69",
           "#fccde5")


def _str2tuple(string):
    """The digits groups of a shape string: ``"(3, 3)"`` -> ``["3", "3"]``."""
    return re.findall(r"\d+", string)


def _output_shapes(symbol, shape):
    internals = symbol.get_internals()
    _, out_shapes, _ = internals.infer_shape(**shape)
    if out_shapes is None:
        raise ValueError("Input shape is incomplete")
    return dict(zip(internals.list_outputs(), out_shapes))


def _print_row(fields, positions):
    line = ""
    for field, end in zip(fields, positions):
        line += str(field)
        line = line[:end]
        line += " " * (end - len(line))
    print(line)


def _layer_params(node, pre_filter, shape_dict):
    """Parameter count MXNet 1.9.1 reports for one layer (0 for unknown ops)."""
    op, attrs = node["op"], node.get("attrs", {})
    no_bias = attrs.get("no_bias") == "True"
    if op == "Convolution":
        count = pre_filter * int(attrs["num_filter"]) // int(attrs.get("num_group", "1"))
        for k in _str2tuple(attrs["kernel"]):
            count *= int(k)
        return count if no_bias else count + int(attrs["num_filter"])
    if op == "FullyConnected":
        return (pre_filter if no_bias else pre_filter + 1) * int(attrs["num_hidden"])
    if op == "BatchNorm":
        # MXNet 1.9.1 compat: gamma and beta only; without shapes it counts nothing
        if shape_dict is None:
            return 0
        return int(shape_dict[node["name"] + "_output"][1]) * 2
    if op == "Embedding":
        return int(attrs["input_dim"]) * int(attrs["output_dim"])
    return 0


def print_summary(symbol, shape=None, line_length=120, positions=[.44, .64, .74, 1.]):
    """Print a table of the layers of ``symbol``: name (type), output shape (without
    the batch axis; needs ``shape``, a dict of input shapes), parameter count and
    the layers it reads, then the total parameter count."""
    if not isinstance(symbol, Symbol):
        raise TypeError("symbol must be Symbol")
    shape_dict = _output_shapes(symbol, shape) if shape is not None else None
    conf = json.loads(symbol.tojson())
    nodes = conf["nodes"]
    # MXNet 1.9.1 compat: "heads" is the first head's [node, index, version] triple,
    # so node 0 (and the node at index 0 of it) count as heads
    heads = set(conf["heads"][0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    print("_" * line_length)
    _print_row(["Layer (type)", "Output Shape", "Param #", "Previous Layer"], positions)
    print("=" * line_length)
    total = 0
    for i, node in enumerate(nodes):
        if node["op"] == "null" and i > 0:
            continue
        out_shape = []
        if shape_dict is not None and (node["op"] != "null" or i in heads):
            key = node["name"] + "_output" if node["op"] != "null" else node["name"]
            out_shape = shape_dict.get(key, [None])[1:]
        total += _print_layer(node, nodes, heads, out_shape, shape_dict, positions)
        print(("=" if i == len(nodes) - 1 else "_") * line_length)
    print(f"Total params: {total}")
    print("_" * line_length)


def _print_layer(node, nodes, heads, out_shape, shape_dict, positions):
    previous, pre_filter = [], 0
    if node["op"] != "null":
        for item in node["inputs"]:
            child = nodes[item[0]]
            if child["op"] == "null" and item[0] not in heads:
                continue                    # weights, biases, labels
            previous.append(child["name"])
            if shape_dict is not None:
                key = child["name"] + "_output" if child["op"] != "null" else child["name"]
                if key in shape_dict:
                    pre_filter += int(shape_dict[key][1:][0])
    params = _layer_params(node, pre_filter, shape_dict)
    _print_row([f"{node['name']}({node['op']})", "x".join(str(d) for d in out_shape),
                params, previous[0] if previous else ""], positions)
    for name in previous[1:]:
        _print_row(["", "", "", name], positions)
    return params


def _node_style(node, node_attr):
    """Label and Graphviz attributes of one operator or input node."""
    op, name = node["op"], node["name"]
    attrs = node.get("attrs", {})
    attr = copy.deepcopy(node_attr)
    label = name
    if op == "null":
        attr["shape"] = "oval"
        attr["fillcolor"] = _COLORS[0]
    elif op == "Convolution":
        stride = "x".join(_str2tuple(attrs["stride"])) if "stride" in attrs else "1"
        label = (f"Convolution\n{'x'.join(_str2tuple(attrs['kernel']))}/{stride}, "
                 f"{attrs['num_filter']}")
        attr["fillcolor"] = _COLORS[1]
    elif op == "FullyConnected":
        label = f"FullyConnected\n{attrs['num_hidden']}"
        attr["fillcolor"] = _COLORS[1]
    elif op == "BatchNorm":
        attr["fillcolor"] = _COLORS[3]
    elif op in ("Activation", "LeakyReLU"):
        act = attrs["act_type"] if op == "Activation" else attrs.get("act_type", "Leaky")
        label = f"{op}\n{act}"
        attr["fillcolor"] = _COLORS[2]
    elif op == "Pooling":
        kernel = "x".join(_str2tuple(attrs["kernel"])) if "kernel" in attrs else "[]"
        stride = "x".join(_str2tuple(attrs["stride"])) if "stride" in attrs else "1"
        label = f"Pooling\n{attrs['pool_type']}, {kernel}/{stride}"
        attr["fillcolor"] = _COLORS[4]
    elif op in ("Concat", "Flatten", "Reshape"):
        attr["fillcolor"] = _COLORS[5]
    elif op == "Softmax":
        attr["fillcolor"] = _COLORS[6]
    else:
        attr["fillcolor"] = _COLORS[7]
        if op == "Custom":
            label = attrs["op_type"]
    return label, attr


def _edge_key(child):
    if child["op"] == "null":
        return child["name"]
    key = child["name"] + "_output"
    if "num_outputs" in child.get("attrs", {}):
        # MXNet 1.9.1 compat: a multi-output input is labelled with its last output
        key += str(int(child["attrs"]["num_outputs"]) - 1)
    return key


def plot_network(symbol, title="plot", save_format="pdf", shape=None, dtype=None,
                 node_attrs={}, hide_weights=True):
    """A ``graphviz.Digraph`` of ``symbol``: one node per operator and input, edges
    labelled with shapes (given ``shape``) and dtypes (given ``dtype``); inputs named
    like weights (``*_weight``, ``*_bias``...) are hidden with ``hide_weights``."""
    try:
        from graphviz import Digraph
    except ImportError:
        raise ImportError("Draw network requires graphviz library: "
                          "pip install mx-symbol[viz] (the graphviz package)") from None
    if not isinstance(symbol, Symbol):
        raise TypeError("symbol must be a Symbol")
    shape_dict = _output_shapes(symbol, shape) if shape is not None else None
    type_dict = None
    if dtype is not None:
        internals = symbol.get_internals()
        _, out_types, _ = internals.infer_type(**dtype)
        if out_types is None:
            raise ValueError("Input type is incomplete")
        type_dict = dict(zip(internals.list_outputs(), out_types))
    nodes = json.loads(symbol.tojson())["nodes"]
    names = [n["name"] for n in nodes]
    if len(names) != len(set(names)):
        repeated = sorted({n for n in names if names.count(n) > 1})
        warnings.warn("There are multiple variables with the same name in your graph, "
                      "this may result in cyclic graph. Repeated names: "
                      + ",".join(repeated), RuntimeWarning)
    node_attr = {"shape": "box", "fixedsize": "true", "width": "1.3", "height": "0.8034",
                 "style": "filled"}
    node_attr.update(node_attrs)
    dot = Digraph(name=title, format=save_format)
    hidden = set()
    for node in nodes:
        if node["op"] == "null" and node["name"].endswith(_WEIGHT_SUFFIXES):
            if hide_weights:
                hidden.add(node["name"])
            continue     # MXNet 1.9.1 compat: shown weights get no node of their own
        label, attr = _node_style(node, node_attr)
        dot.node(name=node["name"], label=label, **attr)
    for node in nodes:
        if node["op"] == "null":
            continue
        inputs = node["inputs"]
        if node["op"] == "_contrib_BilinearResize2D":
            inputs = inputs[:1]
        for item in inputs:
            child = nodes[item[0]]
            if child["name"] in hidden:
                continue
            attr = {"dir": "back", "arrowtail": "open", "label": ""}
            key = _edge_key(child)
            if shape_dict is not None:
                attr["label"] = "x".join(str(d) for d in shape_dict[key][1:])
            if type_dict is not None:
                attr["label"] += "(" + type_dict[key].__name__ + ")"
            dot.edge(tail_name=node["name"], head_name=child["name"], **attr)
    return dot
