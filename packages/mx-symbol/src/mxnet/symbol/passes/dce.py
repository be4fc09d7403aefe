"""Dead-node elimination: drop every node the graph's outputs do not need.

A Symbol's own node list is already restricted to what its heads reach; nodes die
when other passes rewire the graph (constant folding cuts a folded node's inputs,
fusion replaces a chain by one node).
"""

__all__ = ["eliminate_dead"]


def eliminate_dead(graph, keep=()):
    """Keep only nodes reachable from ``graph.outputs``, plus the nodes in ``keep``
    (bound variables stay so their slots exist); order is preserved."""
    live = set()
    stack = [n for n, _ in graph.outputs]
    while stack:
        node = stack.pop()
        if id(node) in live:
            continue
        live.add(id(node))
        stack.extend(c for c, _ in node.inputs)
    live.update(id(n) for n in keep)
    graph.nodes = [n for n in graph.nodes if id(n) in live]
    return graph
