"""ONNX ModelProto -> (Symbol, arg_params, aux_params), and a Gluon SymbolBlock.

Initializers become parameters (BatchNormalization's mean and variance auxiliary
states); constant inputs that MXNet takes as attributes (Reshape's shape, Clip's
bounds, Slice's starts...) are read from initializers or Constant nodes.
"""
import onnx
from onnx import numpy_helper

from mxnet import ndarray as nd
from mxnet.base import MXNetError

from ._ops_import import IMPORTERS

__all__ = ["import_model", "import_to_gluon", "get_model_metadata"]


def _load(model_file):
    model = model_file
    if isinstance(model_file, str):
        try:
            model = onnx.load(model_file)
        except OSError:
            raise                       # a missing or unreadable file says so itself
        except Exception as err:        # protobuf's DecodeError and its kin
            raise MXNetError(f"import_model: {model_file} is not an ONNX model "
                             f"({type(err).__name__}: {err})") from err
    if not isinstance(model, onnx.ModelProto):
        raise MXNetError(f"import_model: expected an ONNX file path or ModelProto, got "
                         f"{type(model_file).__name__}")
    return model


class Context:
    """What an importer sees: symbols by tensor name, constant values, and the
    parameter tables it may move tensors into."""

    def __init__(self, graph):
        self.consts = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        self.tensors = {}
        self.aux = set()

    def sym(self, name):
        from mxnet import symbol
        if name not in self.tensors:
            self.tensors[name] = symbol.var(name)
        return self.tensors[name]

    def value(self, name, what):
        if name not in self.consts:
            raise MXNetError(f"import_model: {what} must be a constant tensor; {name!r} "
                             "is computed by the graph")
        return self.consts[name]


def import_model(model_file):
    """Read an ONNX model as ``(sym, arg_params, aux_params)``."""
    from mxnet import symbol
    model = _load(model_file)
    graph = model.graph
    ctx = Context(graph)
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Constant":        # a value like an initializer
            ctx.consts[node.output[0]] = numpy_helper.to_array(attrs["value"])
            continue
        convert = IMPORTERS.get(node.op_type)
        if convert is None:
            raise MXNetError(f"import_model: ONNX operator {node.op_type} (node "
                             f"{node.name!r}) has no MXNet importer")
        attrs = {k: v.decode() if isinstance(v, bytes) else v for k, v in attrs.items()}
        attrs["__num_outputs__"] = len(node.output)
        outs = convert(ctx, list(node.input), attrs, node.name or node.output[0])
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        for name, out in zip(node.output, outs):
            ctx.tensors[name] = out
    heads = [ctx.sym(o.name) for o in graph.output]
    sym = heads[0] if len(heads) == 1 else symbol.Group(heads)
    used = set(sym.list_arguments()) | set(sym.list_auxiliary_states())
    arg_params, aux_params = {}, {}
    for name, value in ctx.consts.items():
        if name in used:
            (aux_params if name in ctx.aux else arg_params)[name] = nd.array(
                value, dtype=value.dtype)
    return sym, arg_params, aux_params


def get_model_metadata(model_file):
    """``{'input_tensor_data': [(name, shape)], 'output_tensor_data': [...]}``."""
    graph = _load(model_file).graph
    params = {t.name for t in graph.initializer}

    def shape(value_info):
        return tuple(d.dim_value if d.HasField("dim_value") else d.dim_param
                     for d in value_info.type.tensor_type.shape.dim)
    return {"input_tensor_data": [(i.name, shape(i)) for i in graph.input
                                  if i.name not in params],
            "output_tensor_data": [(o.name, shape(o)) for o in graph.output]}


def import_to_gluon(model_file, ctx):
    """The ONNX model as a ``gluon.SymbolBlock`` with its parameters on ``ctx``."""
    from mxnet import gluon, symbol
    sym, arg_params, aux_params = import_model(model_file)
    data_names = [n for n in sym.list_arguments() if n not in arg_params]
    net = gluon.SymbolBlock(outputs=sym, inputs=[symbol.var(n) for n in data_names])
    params = net.collect_params()
    for name, value in list(arg_params.items()) + list(aux_params.items()):
        if name in params:
            params[name].shape = value.shape
            params[name]._load_init(value, ctx)
    return net
