"""Common subexpression elimination, as ``Executor.get_optimized_symbol`` reports it.

MXNet (``MXNET_ELIMINATE_COMMON_EXPR``, on by default) merges operator nodes with the
same operator, attributes and inputs, except those drawing random numbers or mutating
auxiliary states. Graph outputs that become one entry are kept apart by a ``_copy``
(``<name>_<index>_copy``), so each output still owns its memory.
"""
from .symbol import Symbol, _Node

__all__ = ["eliminate_common_expr"]


def _mergeable(node):
    op = node.op
    return not op.needs_rng and not getattr(op, "aux", ())


def eliminate_common_expr(sym):
    """``sym`` with duplicate subexpressions merged (the first one is kept)."""
    new, canon = {}, {}
    for node in sym._nodes():
        if node.is_var:
            new[id(node)] = node
            continue
        inputs = [(new[id(c)], i) for c, i in node.inputs]
        key = None
        if _mergeable(node):
            key = (node.op.name, tuple(sorted(node.attrs.items())),
                   tuple((id(c), i) for c, i in inputs))
            if key in canon:
                new[id(node)] = canon[key]
                continue
        same = all(a is b for (a, _), (b, _) in zip(inputs, node.inputs))
        clone = node if same else _Node(node.op, node.name, node.attrs, inputs)
        new[id(node)] = clone
        if key is not None:
            canon[key] = clone
    from mxnet.symbol import _internal
    outputs, seen = [], set()
    for node, i in sym._outputs:
        entry = (new[id(node)], i)
        if (id(entry[0]), i) in seen:
            entry = _internal._copy(Symbol([entry]),
                                    name=f"{entry[0].name}_{i}_copy")._outputs[0]
        seen.add((id(entry[0]), entry[1]))
        outputs.append(entry)
    return Symbol(outputs)
