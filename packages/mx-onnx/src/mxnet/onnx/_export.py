"""Symbol + parameters -> ONNX ModelProto (opset 13).

The graph is read from the Symbol's JSON (MXNet's own interchange form: nodes in
topological order, string attributes), each attribute parsed by the operator registry
into typed values with MXNet's defaults, and every node handed to the converter
registered for its operator in ``_ops_export``. Shapes come from the Symbol's own
inference over its internals, so reshape-like operators export as static shapes.
"""
import json
import logging
import os
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

from mxnet import ndarray as nd
from mxnet.base import MXNetError
from mxnet.plugins import get_registry

from ._ops_export import CONVERTERS

__all__ = ["export_model", "get_operator_support"]

OPSET = 13


def get_operator_support():
    """The MXNet operator names ``export_model`` converts."""
    return sorted(CONVERTERS)


def _load_symbol(sym):
    if isinstance(sym, str):
        from mxnet import symbol
        return symbol.load(sym)
    return sym


def _load_params(params):
    if isinstance(params, str):
        params = nd.load(params)
    if isinstance(params, (list, tuple)):
        merged = {}
        for part in params:
            merged.update(part)
        params = merged
    if not isinstance(params, dict):
        raise MXNetError("export_model: params must be a .params path, a dict or a list "
                         f"[arg_params, aux_params], got {type(params).__name__}")
    return {k.split(":", 1)[1] if k.startswith(("arg:", "aux:")) else k: v
            for k, v in params.items()}


class Graph:
    """What a converter sees: tensor names, shapes, typed attributes, and the lists
    it appends ONNX nodes and initializers to."""

    def __init__(self, nodes, shapes, dtypes, params):
        self.nodes = nodes
        self.shapes = shapes          # tensor name -> shape
        self.dtypes = dtypes          # tensor name -> numpy dtype
        self.params = params          # parameter name -> numpy array
        self.onnx_nodes = []
        self.initializers = []
        self._count = 0

    @staticmethod
    def out_name(node, index):
        return node["name"] if index == 0 else f"{node['name']}_output{index}"

    def input_names(self, node):
        return [self.out_name(self.nodes[i], j) for i, j, *_ in node["inputs"]]

    def shape(self, name):
        return self.shapes[name]

    def fresh(self, base):
        self._count += 1
        return f"{base}__{self._count}"

    def const(self, base, value, dtype=None):
        """An initializer holding ``value``; returns its name."""
        name = self.fresh(base)
        array = np.asarray(value, dtype=dtype)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def add(self, op_type, inputs, outputs, **attrs):
        self.onnx_nodes.append(helper.make_node(
            op_type, inputs, outputs, name=self.fresh(outputs[0]),
            **{k: v for k, v in attrs.items() if v is not None}))
        return outputs[0]


def _shapes_and_types(sym, data_shapes, data_types):
    internals = sym.get_internals()
    _, out_shapes, _ = internals.infer_shape(**data_shapes)
    _, out_types, _ = internals.infer_type(**data_types)
    names = internals.list_outputs()
    if out_shapes is None or any(s is None for s in out_shapes):
        raise MXNetError("export_model: the graph's shapes could not all be inferred "
                         f"from the inputs {data_shapes}")
    shapes, dtypes = {}, {}
    for name, shape, dtype in zip(names, out_shapes, out_types):
        # one output: "conv0_output"; several: "split0_output0", "split0_output1"
        key = name.rsplit("_output", 1)[0] if name.endswith(("_output", "_output0")) \
            else name
        shapes[key], dtypes[key] = tuple(shape), np.dtype(dtype)
    return shapes, dtypes


def export_model(sym, params, in_shapes=None, in_types=np.float32,
                 onnx_file_path="model.onnx", verbose=False, dynamic=False,
                 dynamic_input_shapes=None, run_shape_inference=False, input_type=None,
                 input_shape=None, large_model=False):
    """Export a Symbol and its parameters to an ONNX file (opset 13).

    Parameters
    ----------
    sym : Symbol or str
        The model, or the path of its ``-symbol.json``.
    params : dict, [arg_params, aux_params] or str
        The parameters (``arg:``/``aux:`` prefixes allowed) or a ``.params`` path.
    in_shapes : list of tuple
        One shape per data input (the arguments that are not parameters, in order).
    in_types : dtype or list of dtypes
        Their types (float32 by default).
    onnx_file_path : str
        Where to write the model (written atomically).
    dynamic : bool
        Make every input dimension symbolic (or as ``dynamic_input_shapes`` says, None
        marking a symbolic dimension).
    input_shape, input_type : MXNet's older names of ``in_shapes`` and ``in_types``.

    Returns
    -------
    str : ``onnx_file_path``
    """
    if large_model:
        raise MXNetError("export_model: large_model (external data) is not supported")
    in_shapes = input_shape if in_shapes is None else in_shapes
    in_types = input_type if input_type is not None else in_types
    if in_shapes is None:
        raise MXNetError("export_model: in_shapes (one shape per data input) is required")
    sym = _load_symbol(sym)
    params = {k: v.asnumpy() for k, v in _load_params(params).items()}
    graph_json = json.loads(sym.tojson())
    nodes = graph_json["nodes"]
    data_names = [n["name"] for n in nodes if n["op"] == "null" and n["name"] not in params]
    if len(in_shapes) != len(data_names):
        raise MXNetError(f"export_model: {len(data_names)} data inputs {data_names} but "
                         f"{len(in_shapes)} shapes in in_shapes")
    types = list(in_types) if isinstance(in_types, (list, tuple)) else \
        [in_types] * len(data_names)
    data_shapes = dict(zip(data_names, map(tuple, in_shapes)))
    data_types = {n: np.dtype(t) for n, t in zip(data_names, types)}
    shapes, dtypes = _shapes_and_types(sym, data_shapes, data_types)
    shapes.update(data_shapes)
    dtypes.update(data_types)
    for name, value in params.items():
        shapes[name], dtypes[name] = value.shape, value.dtype
    g = Graph(nodes, shapes, dtypes, params)
    inputs = []
    dyn = list(dynamic_input_shapes or []) if dynamic else []
    for k, node in enumerate(nodes):
        name = node["name"]
        if node["op"] == "null":
            if name not in params:
                shape = data_shapes[name]
                if dynamic:
                    spec = dyn[len(inputs)] if len(dyn) > len(inputs) else [None] * len(shape)
                    shape = [f"{name}_d{i}" if d is None else d for i, d in enumerate(spec)]
                inputs.append(helper.make_tensor_value_info(
                    name, helper.np_dtype_to_tensor_dtype(data_types[name]), shape))
            continue
        op = get_registry("ops").get(node["op"])
        convert = CONVERTERS.get(op.name)
        if convert is None:
            raise MXNetError(f"export_model: operator {node['op']} (node {name!r}) has no "
                             "ONNX converter; supported: see mx.onnx.get_operator_support()")
        attrs = op.parse({k: v for k, v in node.get("attrs", {}).items()
                          if not k.startswith("__")})
        if verbose:
            logging.info("Converting %s %s", node["op"], name)
        convert(g, dict(node, op=op.name), attrs)   # aliases as their canonical name
    # parameters the ONNX nodes read (BatchNorm's fixed gamma is a constant instead)
    read = {name for n in g.onnx_nodes for name in n.input}
    g.initializers += [numpy_helper.from_array(value, name)
                       for name, value in params.items() if name in read]
    outputs = []
    for i, j, *_ in graph_json["heads"]:
        name = Graph.out_name(nodes[i], j)
        outputs.append(helper.make_tensor_value_info(
            name, helper.np_dtype_to_tensor_dtype(dtypes.get(name, np.dtype("float32"))),
            [None] * len(shapes[name]) if dynamic else list(shapes[name])))
    model = helper.make_model(
        helper.make_graph(g.onnx_nodes, "mxnet_converted_model", inputs, outputs,
                          g.initializers),
        opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mx-onnx")
    if run_shape_inference:
        model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model)
    _save(model, onnx_file_path)
    return onnx_file_path


def _save(model, path):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".onnx")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(model.SerializeToString())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
