"""Executor runs while a monitor is installed: every node, forward and backward, seen.

MXNet's monitor callback receives each operator's outputs, and the backward operators'
too (``<name>_backward_output<i>``, one per input gradient). The compiled programs fuse
and drop nodes, so with a monitor the executor interprets the symbol node by node:
NDArray operators forward, the registry's gradients (``F = mxnet.ndarray``) backward.
Slow, but only used while monitoring.
"""
from . import autograd
from . import ndarray as nd
from ._dispatch import invoke

__all__ = ["forward", "backward"]


def forward(exe, is_train):
    """Run ``exe``'s symbol node by node, reporting every output to the monitor."""
    arrays = dict(zip(exe._arg_names + exe._aux_names, exe.arg_arrays + exe.aux_arrays))
    nodes = exe._symbol._nodes()
    values = {}
    with autograd.pause(train_mode=is_train):
        for node in nodes:
            if node.is_var:
                values[(id(node), 0)] = arrays[node.name]
                continue
            ins = [values[(id(c), i)] for c, i in node.inputs]
            res = invoke(node.op, ins, node.params(), ctx=exe._ctx, all_outputs=True)
            for i, out in enumerate(res):
                values[(id(node), i)] = out
                exe._monitor(node.output_name(i), out)
    exe._mon_state = (nodes, values)
    return [values[(id(n), i)] for n, i in exe._symbol._outputs]


def _head_grads(exe, values, out_grads):
    grads = {}
    for k, (node, i) in enumerate(exe._symbol._outputs):
        g = out_grads[k] if out_grads is not None and k < len(out_grads) else None
        if g is None:
            g = nd.ones_like(values[(id(node), i)])
        key = (id(node), i)
        grads[key] = grads[key] + g if key in grads else g
    return grads


def _backward_node(exe, node, values, grads):
    n_out = node.num_outputs()
    ograds = [grads.pop((id(node), i), None) for i in range(n_out)]
    if all(g is None for g in ograds):
        return
    outputs = [values[(id(node), i)] for i in range(n_out)]
    ograds = [nd.zeros_like(o) if g is None else g for g, o in zip(ograds, outputs)]
    inputs = [values[(id(c), j)] for c, j in node.inputs]
    in_grads = node.op.grad_fn(nd, inputs, outputs, ograds, **node.params())
    for j, ((child, idx), g) in enumerate(zip(node.inputs, in_grads)):
        suffix = f"output{j}" if len(inputs) > 1 else "output"
        exe._monitor(f"{node.name}_backward_{suffix}",
                     g if g is not None else nd.zeros_like(inputs[j]))
        if g is not None:
            key = (id(child), idx)
            grads[key] = grads[key] + g if key in grads else g


def backward(exe, out_grads, is_train):
    """Reverse pass over the nodes of the last monitored forward; writes the bound
    gradient arrays per ``grad_req``."""
    nodes, values = exe._mon_state
    grads = _head_grads(exe, values, out_grads)
    # recording: gradient functions then return every input's gradient (outside a
    # recording they skip inputs autograd does not track, and nothing is tracked here)
    with autograd.record(train_mode=is_train):
        for node in reversed(nodes):
            if not node.is_var and node.op.grad_fn is not None:
                _backward_node(exe, node, values, grads)
    var_of = {n.name: n for n in nodes if n.is_var}
    for name, target, req in zip(exe._arg_names, exe.grad_arrays, exe._grad_req):
        if req == "null" or target is None:
            continue
        g = grads.get((id(var_of[name]), 0)) if name in var_of else None
        if g is None:
            if req == "write":
                target[:] = 0
            continue
        g = g.astype(target.dtype).as_in_context(target.context)
        if req == "add":
            target += g
        else:
            target[:] = g
