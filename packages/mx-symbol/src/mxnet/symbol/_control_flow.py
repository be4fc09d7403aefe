"""Symbolic control flow: ``mx.sym.contrib.foreach``, ``while_loop`` and ``cond``.

Each builds one node (``_foreach``, ``_while_loop``, ``_cond``) holding its body as a
subgraph: the body is traced once on placeholder variables; nodes of the enclosing
graph it reads (weights, other symbols) are cut out and become inputs of the node.
The node's kernel interprets the subgraph with NDArray operators, step by step; its
gradient (``_backward_<op>``) re-runs the steps under ``autograd.record`` and
back-propagates the head gradients to every input.

The subgraphs live in this process (the node names them by key): a ``-symbol.json``
holding these nodes cannot be loaded elsewhere.
"""
import itertools

import numpy as np

from mxnet import _nested
from mxnet.base import MXNetError

from .symbol import Symbol, _Node

__all__ = ["foreach", "while_loop", "cond"]

_SUBGRAPHS = {}
_KEYS = itertools.count()


def _flatten(value, what):
    """Nested lists of Symbols -> (flat list, format to rebuild them); None (no
    outputs) is an empty list, as in MXNet."""
    return _nested.flatten(value, Symbol, what, MXNetError, none_is_empty=True)


_regroup = _nested.regroup


def _placeholders(prefix, count):
    return [Symbol([(_Node(None, f"{prefix}{i}", {}, []), 0)]) for i in range(count)]


def _cut(outputs, placeholders):
    """(subgraph symbol, its free input entries): graph entries of ``outputs`` not
    depending on ``placeholders`` are replaced by new variables."""
    holder_ids = {id(p._outputs[0][0]) for p in placeholders}
    heads = [e for s in outputs for e in s._outputs]
    nodes = Symbol(heads)._nodes()
    inner = set(holder_ids)
    for node in nodes:
        if not node.is_var and any(id(c) in inner for c, _ in node.inputs):
            inner.add(id(node))
    free, new = {}, {}

    def cut(entry):
        node, i = entry
        if id(node) in inner:
            return (new[id(node)], i)
        key = (id(node), i)
        if key not in free:
            name = node.name if node.is_var else f"{node.name}_output{i}"
            free[key] = (entry, _Node(None, name, {}, []))
        return (free[key][1], 0)
    for node in nodes:
        if id(node) in holder_ids:
            new[id(node)] = node
        elif id(node) in inner:
            new[id(node)] = _Node(node.op, node.name, node.attrs,
                                  [cut(e) for e in node.inputs])
    sub = Symbol([cut(e) for e in heads])
    entries = [entry for entry, _ in free.values()]
    names = [var.name for _, var in free.values()]
    return sub, entries, names


def _register(kind, sub, input_names, n_out, extra=None):
    key = f"{kind}{next(_KEYS)}"
    _SUBGRAPHS[key] = dict(sym=sub, inputs=input_names, n_out=n_out, **(extra or {}))
    return key


def _node(op_name, key, entries, n_outputs):
    from mxnet.plugins import get_registry
    from .. import name as _name
    op = get_registry("ops").get(op_name)
    # MXNet 1.9.1 names the node by its operator (``_foreach0``); ``name`` only
    # prefixes the subgraph's placeholders
    node_name = _name.NameManager._get().get(None, op_name)
    attrs = {"num_args": str(len(entries)), "num_outputs": str(n_outputs),
             "subgraph": key}
    node = _Node(op, node_name, attrs, list(entries))
    return [Symbol([(node, i)]) for i in range(n_outputs)]


def foreach(body, data, init_states, name="foreach"):
    """Run ``body(data_slice, states) -> (outputs, new_states)`` over the first axis of
    ``data``; returns ``(outputs stacked on a new first axis, final states)``."""
    flat_data, data_fmt = _flatten(data, "data")
    flat_states, state_fmt = _flatten(init_states, "init_states")
    data_ph = _placeholders(f"{name}_data", len(flat_data))
    state_ph = _placeholders(f"{name}_state", len(flat_states))
    outs, new_states = body(_regroup(data_ph, data_fmt)[0],
                            _regroup(state_ph, state_fmt)[0])
    flat_outs, out_fmt = _flatten(outs, "foreach outputs")
    flat_new, _ = _flatten(new_states, "foreach states")
    if len(flat_new) != len(flat_states):
        raise MXNetError(f"foreach: the body returned {len(flat_new)} states for "
                         f"{len(flat_states)} initial states")
    sub, free, free_names = _cut(flat_outs + flat_new, data_ph + state_ph)
    names = [p.name for p in data_ph + state_ph] + free_names
    key = _register("foreach", sub, names, len(flat_outs),
                    dict(n_data=len(flat_data), n_states=len(flat_states)))
    entries = [s._outputs[0] for s in flat_data + flat_states] + free
    res = _node("_foreach", key, entries, len(flat_outs) + len(flat_states))
    outputs, _ = _regroup(res[:len(flat_outs)], out_fmt)
    states, _ = _regroup(res[len(flat_outs):], state_fmt)
    return outputs, states


def while_loop(cond, func, loop_vars, max_iterations=None, name="while_loop"):
    """``func(*loop_vars) -> (step_outputs, new_loop_vars)`` while ``cond(*loop_vars)``
    holds, at most ``max_iterations`` times. Step outputs are stacked and padded (with
    zeros) to ``max_iterations`` rows; returns ``(outputs, final loop_vars)``."""
    if max_iterations is None:
        raise ValueError("max_iterations should be specified")
    flat_vars, var_fmt = _flatten(loop_vars, "loop_vars")
    var_ph = _placeholders(f"{name}_var", len(flat_vars))
    grouped = _regroup(var_ph, var_fmt)[0]
    args = grouped if isinstance(grouped, list) else [grouped]
    pred = cond(*args)
    outs, new_vars = func(*args)
    flat_outs, out_fmt = _flatten(outs, "while_loop outputs")
    flat_new, _ = _flatten(new_vars, "while_loop loop_vars")
    if len(flat_new) != len(flat_vars):
        raise MXNetError(f"while_loop: func returned {len(flat_new)} loop variables for "
                         f"{len(flat_vars)}")
    sub, free, free_names = _cut([pred] + flat_outs + flat_new, var_ph)
    names = [p.name for p in var_ph] + free_names
    key = _register("while_loop", sub, names, len(flat_outs),
                    dict(n_vars=len(flat_vars), max_iterations=int(max_iterations)))
    entries = [s._outputs[0] for s in flat_vars] + free
    res = _node("_while_loop", key, entries, len(flat_outs) + len(flat_vars))
    outputs, _ = _regroup(res[:len(flat_outs)], out_fmt)
    final, _ = _regroup(res[len(flat_outs):], var_fmt)
    return outputs, final


def cond(pred, then_func, else_func, name="cond"):
    """``then_func()`` if the scalar ``pred`` is true at run time, else ``else_func()``
    (both return the same structure of Symbols)."""
    then_out, then_fmt = _flatten(then_func(), "then_func outputs")
    else_out, _ = _flatten(else_func(), "else_func outputs")
    if len(then_out) != len(else_out):
        raise MXNetError("cond: then_func and else_func return different numbers of "
                         "outputs")
    then_sub, then_free, then_names = _cut(then_out, [])
    else_sub, else_free, else_names = _cut(else_out, [])
    key = _register("cond", then_sub, then_names, len(then_out),
                    dict(else_sym=else_sub, else_inputs=else_names,
                         n_then=len(then_free)))
    entries = [pred._outputs[0]] + then_free + else_free
    res = _node("_cond", key, entries, len(then_out))
    return _regroup(res, then_fmt)[0]


def subgraph(key):
    try:
        return _SUBGRAPHS[key]
    except KeyError:
        raise MXNetError(f"control flow subgraph {key!r} is not defined in this "
                         "process (symbols holding foreach/while_loop/cond cannot be "
                         "loaded from JSON)") from None


def as_bool(array):
    value = np.asarray(array)
    if value.size != 1:
        raise MXNetError(f"cond: the condition must be a scalar, got shape {value.shape}")
    return bool(value.reshape(()))
