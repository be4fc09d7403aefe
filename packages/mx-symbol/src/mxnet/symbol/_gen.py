"""Generate ``mx.sym.<op>`` front-ends from the operator registry.

A call builds one graph node: Symbol arguments are its inputs (missing ones become
variables named ``<node>_<input>``), other arguments its parameters, kept as the
strings MXNet stores in ``-symbol.json``.
"""
import inspect

import numpy as np

from mxnet.attribute import AttrScope
from mxnet.base import MXNetError
from mxnet.name import NameManager
from mxnet.ndarray._gen import _docstring, _signature

from .symbol import HIDDEN_KEYS, Symbol, _Node


def _attr_string(spec, value):
    if value is None:
        return "None"
    if spec is not None and spec.kind == "dtype":
        return np.dtype(value).name
    if isinstance(value, (list, tuple)) and spec is not None and spec.kind == "shape tuple":
        return spec.to_str(tuple(value))
    return str(value)


# MXNet 1.9.1 compat: operators that give their variable inputs a default initializer
# when composed (nnvm's FSetInputVarAttrOnCompose), by input index
_VAR_INIT = {
    "LeakyReLU": {1: '["Constant", {"value": 0.25}]'},
    "BatchNorm": {3: '["zero", {}]', 4: '["one", {}]'},
    "_contrib_SyncBatchNorm": {3: '["zero", {}]', 4: '["one", {}]'},
    "IdentityAttachKLSparseReg": {1: '["zero", {}]'},
}


def _set_input_var_init(op, entries):
    table = _VAR_INIT.get(op.name)
    if not table:
        return
    for index, (node, _) in enumerate(entries):
        if index in table and node.is_var and "__init__" not in node.attrs:
            node.attrs["__init__"] = table[index]


def create(op, hint, args, kwargs):
    """Build the node of ``op`` for a front-end call (``hint`` names it by default)."""
    name = kwargs.pop("name", None)
    attr = kwargs.pop("attr", None)
    kwargs.pop("out", None)
    hidden = {}
    for key in HIDDEN_KEYS.intersection(kwargs):
        value = str(kwargs.pop(key))
        hidden[key] = hidden[f"__{key}__"] = value
    given = {}
    if op.varargs is not None:
        inputs = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) \
            else list(args)
        # keyword Symbols (mx.sym.Custom(data=x, op_type=...)) are inputs, placed in the
        # operator's input-name order as MXNet composes them
        named = {k: kwargs.pop(k) for k in list(kwargs) if isinstance(kwargs[k], Symbol)}
        kwargs.setdefault(op.varargs, len(inputs) + len(named))
    else:
        inputs = None
        params = [p for p in op.param_order if p not in kwargs]
        slots = list(op.inputs)
        for value in args:
            if isinstance(value, Symbol) and slots:
                given[slots.pop(0)] = value
            elif value is None and slots:
                slots.pop(0)        # an absent optional input (CTCLoss(x, y, None, None))
            elif params:
                kwargs[params.pop(0)] = value
            else:
                raise MXNetError(f"Operator {op.name}: too many positional arguments")
        for key in list(kwargs):
            if key in op.inputs and (isinstance(kwargs[key], Symbol) or kwargs[key] is None):
                value = kwargs.pop(key)
                if value is not None:
                    given[key] = value
    # an explicit None is a value ("None", e.g. axis=None flattens), as MXNet passes it
    strs = {k: _attr_string(op.params.get(k), v) for k, v in kwargs.items()}
    parsed = op.parse({k: v for k, v in strs.items() if not k.startswith("__")})
    if op.varargs is not None and named:
        order = op.input_names(parsed)
        unknown = sorted(set(named) - set(order))
        if unknown:
            raise MXNetError(f"Operator {op.name}: unknown input {unknown[0]!r}; its "
                             f"inputs are {order}")
        inputs += [named[n] for n in order if n in named]
    node_name = NameManager._get().get(name, hint)
    attrs = AttrScope._get().get(attr)
    attrs.update(strs)
    attrs.update(hidden)
    if inputs is None:
        inputs = []
        for iname in op.input_names(parsed):
            sym = given.get(iname)
            if sym is None:
                sym = Symbol([(_Node(None, f"{node_name}_{iname}", dict(attrs), []), 0)])
            inputs.append(sym)
    entries = []
    for sym in inputs:
        if not isinstance(sym, Symbol) or len(sym._outputs) != 1:
            raise MXNetError(f"Operator {op.name}: inputs must be single-output Symbols, "
                             f"got {sym!r}")
        entries.append(sym._outputs[0])
    _set_input_var_init(op, entries)
    node = _Node(op, node_name, attrs, entries)
    return Symbol([(node, i) for i in range(op.num_visible_outputs(parsed))])


def make_function(op, public_name, module_name):
    def fn(*args, **kwargs):
        return create(op, public_name, args, kwargs)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__module__ = module_name
    fn.__doc__ = _docstring(op).replace("NDArray", "Symbol")
    sig = _signature(op)
    params = [p.replace(name="attr") if p.name == "out" else p
              for p in sig.parameters.values()]
    fn.__signature__ = inspect.Signature(params)
    fn.opdef = op
    return fn
