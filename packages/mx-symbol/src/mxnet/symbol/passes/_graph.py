"""The graph the passes work on: operator nodes with parsed parameters, in order.

A :class:`Graph` is built once from a Symbol at bind time. Passes are small functions
``Graph -> Graph`` (or annotations on it); the executor then compiles the result
into a flat program of kernel calls. Node kinds:

* ``"var"``: a bound argument or auxiliary state (``name`` says which);
* ``"op"``: an operator call (``op`` an OpDef, ``attrs`` its parsed parameters);
* ``"const"``: values computed once at bind (``value``: a tuple of backend arrays);
* ``"fused"``: a chain of elementwise operators run by one backend kernel
  (``op`` a :class:`~.fusion.FusedOp`).
"""

__all__ = ["GNode", "Graph", "from_symbol"]


class GNode:
    """One node; ``inputs`` are ``(GNode, output index)`` pairs."""

    __slots__ = ("kind", "op", "name", "attrs", "inputs", "value", "shapes", "dtypes",
                 "src")

    def __init__(self, kind, op, name, attrs, inputs, src=None):
        self.kind = kind
        self.op = op
        self.name = name
        self.attrs = attrs
        self.inputs = inputs
        self.value = None
        self.shapes = None        # per output, from shape inference (None: unknown)
        self.dtypes = None
        self.src = src            # the symbol's _Node this came from

    @property
    def num_outputs(self):
        if self.kind == "var":
            return 1
        if self.kind == "const":
            return len(self.value)
        return self.op.num_outputs(self.attrs)

    def __repr__(self):
        return f"<GNode {self.kind} {self.name}>"


class Graph:
    """Nodes in topological order (inputs first) and the output entries."""

    def __init__(self, nodes, outputs):
        self.nodes = nodes
        self.outputs = outputs

    def consumers(self):
        """``id(node) -> number of uses`` (graph outputs count as uses)."""
        uses = {}
        for node in self.nodes:
            for child, _ in node.inputs:
                uses[id(child)] = uses.get(id(child), 0) + 1
        for node, _ in self.outputs:
            uses[id(node)] = uses.get(id(node), 0) + 1
        return uses

    def op_nodes(self):
        return [n for n in self.nodes if n.kind != "var"]

    def __repr__(self):
        kinds = {}
        for n in self.nodes:
            kinds[n.kind] = kinds.get(n.kind, 0) + 1
        return f"<Graph {kinds}, {len(self.outputs)} outputs>"


def from_symbol(sym):
    """A :class:`Graph` of ``sym``: every node reachable from its outputs."""
    mapping, nodes = {}, []
    for node in sym._nodes():
        if node.is_var:
            g = GNode("var", None, node.name, {}, [], src=node)
        else:
            g = GNode("op", node.op, node.name, node.params(),
                      [(mapping[id(c)], i) for c, i in node.inputs], src=node)
        mapping[id(node)] = g
        nodes.append(g)
    return Graph(nodes, [(mapping[id(n)], i) for n, i in sym._outputs])
