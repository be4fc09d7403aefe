"""The cached graph of a hybridized block (MXNet's CachedOp).

The traced Symbol is resolved once into a plan: operator, parsed parameters and
input slots per node. Running it calls each kernel through the same dispatch as
``mx.nd``, so autograd records it exactly as it records imperative code, without
re-running ``hybrid_forward`` or re-parsing parameters on every call.
"""
from .._dispatch import invoke
from ..base import MXNetError

__all__ = ["CachedGraph"]


class CachedGraph:
    """A symbol bound to its input names and the Parameters of its free variables."""

    def __init__(self, sym, input_names, params):
        self.symbol = sym
        slots = {name: i for i, name in enumerate(input_names)}
        self._sources = []        # per variable: (key, input index or Parameter)
        self._plan = []           # per operator: (op, attrs, input keys, node id)
        for node in sym._nodes():
            key = (id(node), 0)
            if node.is_var:
                if node.name in slots:
                    self._sources.append((key, slots[node.name]))
                elif node.name in params:
                    self._sources.append((key, params[node.name]))
                else:
                    raise MXNetError(f"Hybridized graph input {node.name!r} is neither a "
                                     f"data input ({input_names}) nor a Parameter")
                continue
            self._plan.append((node.op, node.params(),
                               [(id(c), i) for c, i in node.inputs], id(node)))
        self._outputs = [(id(n), i) for n, i in sym._outputs]

    def __call__(self, ctx, inputs):
        values = {}
        for key, source in self._sources:
            values[key] = inputs[source] if type(source) is int else source.data(ctx)
        for op, attrs, in_keys, nid in self._plan:
            outs = invoke(op, [values[k] for k in in_keys], attrs, ctx=ctx,
                          all_outputs=True)
            for i, out in enumerate(outs):
                values[(nid, i)] = out
        return [values[k] for k in self._outputs]
