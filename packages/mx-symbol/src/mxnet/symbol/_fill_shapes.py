"""Partial ``shape`` parameters of source operators, completed before running.

``mx.sym.zeros(shape=(0, 20))`` (the begin states of ``mx.rnn`` cells) leaves its batch
dimension unknown (0 in MXNet's legacy shape mode); shape inference fills it from the
consumers. Operators run with their parameters, so the bound graph gets a copy of such
nodes with the inferred shape written in.
"""
import ast

from mxnet._ops.infer import unknown_dim

from . import _infer
from .symbol import Symbol, _Node

__all__ = ["complete_source_shapes"]


def _partial(text):
    try:
        value = ast.literal_eval(text) if isinstance(text, str) else text
    except (ValueError, SyntaxError):
        return False
    return isinstance(value, tuple) and any(unknown_dim(d) for d in value)


def complete_source_shapes(sym, shapes):
    """``sym`` with the partial ``shape`` of input-less nodes replaced by the inferred
    one (``sym`` itself when there is nothing to complete)."""
    nodes = sym._nodes()
    targets = [n for n in nodes if not n.is_var and not n.inputs and
               _partial(n.attrs.get("shape"))]
    if not targets:
        return sym
    seeded = _infer._seed(sym, None, shapes, "__shape__", _infer._parse_shape)
    values = _infer._propagate(sym, seeded, _infer._shape_rule, True)
    filled = {}
    for node in targets:
        shape = values.get((id(node), 0))
        if shape is not None and _infer._complete(shape):
            filled[id(node)] = str(tuple(shape))
    if not filled:
        return sym
    new = {}
    for node in nodes:
        inputs = [(new[id(c)], i) for c, i in node.inputs]
        if id(node) in filled or any(a is not b for (a, _), (b, _) in
                                     zip(inputs, node.inputs)):
            attrs = dict(node.attrs)
            if id(node) in filled:
                attrs["shape"] = filled[id(node)]
            new[id(node)] = _Node(node.op, node.name, attrs, inputs)
        else:
            new[id(node)] = node
    return Symbol([(new[id(n)], i) for n, i in sym._outputs])
