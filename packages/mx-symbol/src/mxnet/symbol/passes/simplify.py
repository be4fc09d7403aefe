"""Shape-only identities: operators that, at the inferred shapes, return their input.

Gradients written for broadcasting take a ``like`` argument only for its shape
(``elemwise_add``'s ``_reduce_sum_like(g, lhs)``, ``dot``'s ``reshape_like``). When the
inferred shapes already match, the node is the identity: its consumers read its data
input directly, so the forward value passed as ``like`` is not kept alive until the
backward needs its shape (the memory plan frees it, or lets an in-place kernel take
it over, at its last real use). Graph outputs keep their node.
"""
from .dce import eliminate_dead

__all__ = ["drop_shape_identities"]

# operator name -> the input it returns when every input shape is the same
_IDENTITY_WHEN_SAME_SHAPE = {"_reduce_sum_like": 0, "reshape_like": 0}


def _shape(entry):
    node, i = entry
    return node.shapes[i] if node.shapes else None


def _identity_source(node):
    if node.kind != "op" or node.op.name not in _IDENTITY_WHEN_SAME_SHAPE:
        return None
    if node.op.name == "reshape_like" and any(
            node.attrs.get(k) is not None for k in ("lhs_begin", "lhs_end",
                                                    "rhs_begin", "rhs_end")):
        return None
    shapes = [_shape(e) for e in node.inputs]
    if len(shapes) != 2 or shapes[0] is None or shapes[0] != shapes[1] or \
            not all(type(d) is int and d > 0 for d in shapes[0]):
        return None       # unknown (0) dimensions may still differ when run
    if node.dtypes and node.inputs[0][0].dtypes and \
            node.dtypes[0] != node.inputs[0][0].dtypes[node.inputs[0][1]]:
        return None
    return node.inputs[_IDENTITY_WHEN_SAME_SHAPE[node.op.name]]


def drop_shape_identities(graph, keep=()):
    """Rewire the consumers of shape-only identity nodes to the nodes' data inputs;
    returns the graph without the nodes nobody reads any more."""
    alias = {}
    for node in graph.nodes:
        node.inputs = [alias.get((id(c), i), (c, i)) for c, i in node.inputs]
        source = _identity_source(node)
        if source is not None:
            alias[(id(node), 0)] = source
    if alias:
        eliminate_dead(graph, keep=keep)
    return graph
