"""Shape/dtype inference pass: annotate each node's outputs from the bound inputs.

It runs the same registry rules as ``Symbol.infer_shape``/``infer_type`` (to a fixed
point, forward-on-zeros fallback) and records the results on the graph's nodes
(``node.shapes``, ``node.dtypes``; ``None`` where a rule could not decide). Later
passes only *use* the annotations to choose optimisations, never for correctness.
"""
from mxnet.base import MXNetError

from .. import _infer

__all__ = ["infer_shapes"]


def _values(sym, given, key, parse, rule):
    values = _infer._seed(sym, (), given, key, parse)
    return _infer._propagate(sym, values, rule, rule is _infer._shape_rule)


def infer_shapes(graph, sym, shapes, dtypes):
    """Annotate ``graph`` (built from ``sym``) given ``{input name: shape}`` and
    ``{input name: dtype}``; returns the graph."""
    try:
        svals = _values(sym, shapes, "__shape__", _infer._parse_shape, _infer._shape_rule)
    except MXNetError:
        svals = {}
    try:
        dvals = _values(sym, dtypes, "__dtype__", _infer._parse_dtype, _infer._dtype_rule)
    except (MXNetError, TypeError):
        dvals = {}
    for node in graph.nodes:
        if node.src is None:
            continue
        n = node.num_outputs
        node.shapes = [svals.get((id(node.src), i)) for i in range(n)]
        node.dtypes = [dvals.get((id(node.src), i)) for i in range(n)]
    return graph
