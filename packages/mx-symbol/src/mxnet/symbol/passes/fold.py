"""Constant folding: evaluate, once at bind, every subgraph with no variable input.

``_zeros``, ``_ones``, ``_arange``, ``_full`` (and operators applied only to their
results) compute the same values on every forward; the pass runs them on the bound
device and turns each into a ``"const"`` node whose ``value`` the executor keeps.
Random operators and operators that depend on training mode are never folded.
"""
from mxnet.base import MXNetError

from .dce import eliminate_dead

__all__ = ["fold_constants", "foldable"]


def foldable(op):
    """Whether ``op``'s result depends only on its inputs and parameters."""
    return not (op.needs_rng or op.needs_train or op.aux or op.name == "Custom")


def fold_constants(graph, backend):
    """Replace constant subgraphs by ``"const"`` nodes computed with ``backend``;
    returns the graph with the folded interiors removed."""
    folded = False
    for node in graph.nodes:
        if node.kind != "op" or not foldable(node.op):
            continue
        if any(c.kind != "const" for c, _ in node.inputs):
            continue
        fwd = node.op.kernels.get(backend.name, node.op.forward)
        try:
            res = fwd(backend.xp, *[c.value[i] for c, i in node.inputs], **node.attrs)
        except (MXNetError, ValueError, TypeError, IndexError):
            continue          # leave it to forward, which reports the error in context
        value = tuple(res) if isinstance(res, (tuple, list)) else (res,)
        if node.shapes and any(s is not None and tuple(v.shape) != tuple(s)
                               for v, s in zip(value, node.shapes)):
            continue          # parameters still hold shape placeholders (0 = infer)
        node.kind, node.value, node.inputs = "const", value, []
        folded = True
    if folded:
        eliminate_dead(graph, keep=[n for n in graph.nodes if n.kind == "var"])
    return graph
