"""``Symbol.gradient``: the gradient graph, built from the registry's gradients with
``F = mxnet.symbol`` (the same definitions autograd runs with ``F = mxnet.ndarray``)."""
from mxnet.base import MXNetError

from .symbol import Symbol


def gradient_symbol(sym, wrt):
    """Symbol whose outputs are d(sum of outputs)/d(v) for each variable name in ``wrt``."""
    import mxnet.symbol as F
    nodes = sym._nodes()
    grads = {}
    for node, i in sym._outputs:
        out = Symbol([(node, i)])
        grads[(id(node), i)] = F.ones_like(out)
    for node in reversed(nodes):
        if node.is_var:
            continue
        n_out = node.num_outputs()
        ograds = [grads.pop((id(node), i), None) for i in range(n_out)]
        if all(g is None for g in ograds):
            continue
        if node.op.grad_fn is None:
            raise MXNetError(f"Operator {node.op.name} ({node.name}) has no gradient")
        outputs = [Symbol([(node, i)]) for i in range(n_out)]
        ograds = [F.zeros_like(o) if g is None else g for g, o in zip(ograds, outputs)]
        inputs = [Symbol([entry]) for entry in node.inputs]
        in_grads = node.op.grad_fn(F, inputs, outputs, ograds, **node.params())
        for (child, j), g in zip(node.inputs, in_grads):
            if g is None:
                continue
            key = (id(child), j)
            grads[key] = grads[key] + g if key in grads else g
    by_name = {n.name: n for n in nodes if n.is_var}
    outs = []
    for name in wrt:
        if name not in by_name:
            raise MXNetError(f"gradient: {name!r} is not an input of the symbol")
        g = grads.get((id(by_name[name]), 0))
        outs.append(g if g is not None else F.zeros_like(Symbol([(by_name[name], 0)])))
    return F.Group(outs)
