"""The training graph: forward and backward as one graph, planned and run lean.

At bind, the registry's gradients are applied with ``F = mxnet.symbol`` (as
``Symbol.gradient`` does) to build one graph whose outputs are the forward outputs
followed by the gradients of the variables that want one; each forward output
that leads to such a variable gets a head-gradient input variable. The usual
passes then apply to the whole: gradients nobody needs (FullyConnected's data
gradient of the first layer) are dead nodes, constants fold, and the memory plan
frees each forward value after its last use in the backward part.
:class:`GradProgram` runs the forward steps in ``forward`` and the rest in
``backward``. Building fails (an operator without a symbolic gradient) -> ``None``;
the executor then uses :class:`~.training.TrainProgram`.
"""
from mxnet.base import MXNetError

from ..symbol import Symbol, _Node
from .program import Program

__all__ = ["training_symbol", "GradProgram"]


def _skip_unneeded(node, in_grads, need):
    """MXNet's null gradient request: a backward operator that can skip its data
    gradient (``need_data_grad``) is told to when the data input needs none."""
    g = in_grads[0] if len(in_grads) else None
    if g is None or id(node.inputs[0][0]) in need:
        return
    backward = g._outputs[0][0]
    if backward.op is not None and "need_data_grad" in backward.op.params:
        backward.attrs["need_data_grad"] = "False"


def _is_zeros(g):
    head = g._outputs[0][0]
    return head.op is not None and head.op.name in ("zeros_like", "_zeros")


def _zero_inputs(node, grads, need):
    """Zero output gradients give zero input gradients: no backward nodes, only a
    zeros_like where an input has no gradient yet."""
    import mxnet.symbol as F
    for child, j in node.inputs:
        key = (id(child), j)
        if id(child) in need and key not in grads:
            grads[key] = F.zeros_like(Symbol([(child, j)]))


def _needs(nodes, wrt):
    need = {id(n) for n in nodes if n.is_var and n.name in wrt}
    for node in nodes:
        if not node.is_var and node.op.grad_fn is not None and \
                any(id(c) in need for c, _ in node.inputs):
            need.add(id(node))
    return need


def training_symbol(sym, wrt):
    """``(Group(outputs + gradients), head names, gradient names)``: head names are
    per output (None where no gradient flows back), gradient names the ``wrt``
    variables that receive one, in the order of the extra outputs."""
    import mxnet.symbol as F
    nodes = sym._nodes()
    need = _needs(nodes, set(wrt))
    grads, heads = {}, []
    for k, (node, i) in enumerate(sym._outputs):
        if id(node) in need and not node.is_var:
            heads.append(f"__head_grad{k}__")
            head = Symbol([(_Node(None, heads[-1], {}, []), 0)])
            key = (id(node), i)
            grads[key] = grads[key] + head if key in grads else head
        else:
            heads.append(None)
    for node in reversed(nodes):
        if node.is_var or id(node) not in need:
            continue
        n_out = node.num_outputs()
        ograds = [grads.pop((id(node), i), None) for i in range(n_out)]
        if all(g is None for g in ograds):
            continue
        if all(g is None or _is_zeros(g) for g in ograds):
            _zero_inputs(node, grads, need)      # MXNet's zero propagation
            continue
        outputs = [Symbol([(node, i)]) for i in range(n_out)]
        ograds = [F.zeros_like(o) if g is None else g for g, o in zip(ograds, outputs)]
        inputs = [Symbol([entry]) for entry in node.inputs]
        in_grads = node.op.grad_fn(F, inputs, outputs, ograds, **node.params())
        if len(in_grads) != len(inputs) or any(
                g is not None and (not isinstance(g, Symbol) or len(g) != 1)
                for g in in_grads):
            raise MXNetError(f"{node.op.name}: its gradient is not one symbol per input")
        _skip_unneeded(node, in_grads, need)
        for (child, j), g in zip(node.inputs, in_grads):
            if g is None or id(child) not in need:
                continue
            key = (id(child), j)
            grads[key] = grads[key] + g if key in grads else g
    names, outs = [], []
    for node in nodes:
        if node.is_var and node.name in wrt and (id(node), 0) in grads:
            names.append(node.name)
            outs.append(grads[(id(node), 0)])
    return Symbol(list(sym._outputs) + [o._outputs[0] for o in outs]), heads, names


class GradProgram:
    """Forward + backward of ``sym`` for the gradients of ``wrt`` on ``backend``."""

    def __init__(self, sym, backend, shapes, dtypes, wrt):
        combined, self.heads, self.grad_names = training_symbol(sym, wrt)
        n_out = len(sym._outputs)
        shapes, dtypes = dict(shapes), dict(dtypes)
        try:
            _, out_shapes, _ = sym.infer_shape_partial(**shapes)
            _, out_types, _ = sym.infer_type(**dtypes)
        except MXNetError:
            out_shapes = out_types = None
        for k, head in enumerate(self.heads):
            if head is not None and out_shapes and out_shapes[k]:
                shapes[head] = out_shapes[k]
            if head is not None and out_types:
                dtypes[head] = out_types[k]
        from . import prepare
        graph = prepare(combined, backend, shapes, dtypes)
        self.program = Program(graph, backend, fuse=False)
        forward = set()
        stack = [n for n, _ in graph.outputs[:n_out]]
        while stack:
            node = stack.pop()
            if id(node) not in forward:
                forward.add(id(node))
                stack.extend(c for c, _ in node.inputs)
        steps = self.program.plan.steps
        n_fwd = sum(1 for n in steps if id(n) in forward)
        if any(id(n) not in forward for n in steps[:n_fwd]):
            raise MXNetError("training graph: forward steps are not a prefix")
        self.forward_steps = self.program.lean[:n_fwd]
        self.backward_steps = self.program.lean[n_fwd:]
        self.n_out = n_out
        slot_of = {node.name: slot for node, slot in self.program.var_slots}
        self.head_slots = [slot_of.get(h) if h is not None else None for h in self.heads]
        self.grad_slots = self.program.out_slots[n_out:]
