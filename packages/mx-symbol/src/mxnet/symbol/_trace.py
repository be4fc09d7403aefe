"""``autograd.get_symbol``: the operators recorded on the autograd tape as a Symbol."""
from mxnet.autograd import Leaf

from .symbol import Symbol, _Node

__all__ = ["symbol_from_tape"]


def _attr_strings(attrs):
    return {k: str(v) for k, v in attrs.items() if v is not None}


def symbol_from_tape(x):
    """The graph that computed ``x`` under ``autograd.record()``; marked variables and
    unrecorded inputs become free variables (``var0``, ``var1``...)."""
    made = {}                       # id(tape node or array) -> graph _Node
    counts = {}

    def fresh(prefix):
        counts[prefix] = counts.get(prefix, -1) + 1
        return f"{prefix}{counts[prefix]}"

    def entry(arr):
        node = arr._node
        if node is None or isinstance(node, Leaf):
            key = id(node) if node is not None else id(arr)
            if key not in made:
                made[key] = _Node(None, fresh("var"), {}, [])
            return made[key], 0
        if node.op is None:         # a recorded copy: the graph sees its source
            return entry(node.inputs[0])
        key = id(node)
        if key not in made:
            inputs = [entry(a) for a in node.inputs]
            made[key] = _Node(node.op, fresh(node.op.name.lower()),
                              _attr_strings(node.attrs), inputs)
        return made[key], arr._index

    heads = x if isinstance(x, (list, tuple)) else [x]
    return Symbol([entry(h) for h in heads])
