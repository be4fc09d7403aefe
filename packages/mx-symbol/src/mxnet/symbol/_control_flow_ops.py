"""The ``_foreach``/``_while_loop``/``_cond`` operators and their backward operators.

Kernels receive backend arrays; they wrap them as NDArrays on the current context and
interpret the node's subgraph (:mod:`._control_flow`) with NDArray operators. Backward
re-runs the loop recording, then back-propagates the head gradients.
"""
from mxnet import autograd
from mxnet._dispatch import invoke
from mxnet._ops.params import Int, Str
from mxnet._ops.registry import OpDef
from mxnet.base import MXNetError
from mxnet.plugins import get_registry

from ._control_flow import as_bool, subgraph

__all__ = []


_CTX = []          # the context of the kernel now running (set from its arrays)


def _ctx():
    from mxnet.context import current_context
    return _CTX[-1] if _CTX else current_context()


def _context_of(xp, arrays):
    """The Context of a kernel's backend arrays (cupy arrays know their device)."""
    from mxnet.context import Context, cpu
    device = getattr(arrays[0], "device", None) if arrays else None
    if xp.__name__.startswith("cupy") and device is not None:
        return Context("gpu", int(getattr(device, "id", 0)))
    return cpu()


def _wrap(arr):
    from mxnet.ndarray.ndarray import _wrap as wrap
    return wrap(arr, _ctx())


def _run(sym, names, values):
    """Outputs of ``sym`` with its variables ``names`` bound to NDArray ``values``."""
    vals = {}
    feed = dict(zip(names, values))
    for node in sym._nodes():
        if node.is_var:
            if node.name not in feed:
                raise MXNetError(f"control flow: subgraph input {node.name!r} unbound")
            vals[(id(node), 0)] = feed[node.name]
            continue
        res = invoke(node.op, [vals[(id(c), i)] for c, i in node.inputs], node.params(),
                     ctx=_ctx(), all_outputs=True)
        for i, out in enumerate(res):
            vals[(id(node), i)] = out
    return [vals[(id(n), i)] for n, i in sym._outputs]


def _stack(steps, n_rows=None):
    from mxnet import ndarray as nd
    if not steps:
        return []
    res = []
    for k in range(len(steps[0])):
        rows = [s[k] for s in steps]
        if n_rows is not None and len(rows) < n_rows:
            rows += [nd.zeros_like(rows[0])] * (n_rows - len(rows))
        res.append(nd.stack(*rows, axis=0))
    return res


# -- loops over NDArrays (shared by forward and backward) ---------------------------
def _foreach(g, ins):
    n_data, n_states = g["n_data"], g["n_states"]
    data, states, free = ins[:n_data], ins[n_data:n_data + n_states], \
        ins[n_data + n_states:]
    steps = []
    for t in range(data[0].shape[0]):
        res = _run(g["sym"], g["inputs"], [d[t] for d in data] + states + free)
        steps.append(res[:g["n_out"]])
        states = res[g["n_out"]:]
    return _stack(steps) + states


def _while_loop(g, ins):
    n_vars = g["n_vars"]
    loop_vars, free = ins[:n_vars], ins[n_vars:]
    steps = []
    while len(steps) < g["max_iterations"]:
        res = _run(g["sym"], g["inputs"], loop_vars + free)
        if not as_bool(res[0].asnumpy()):
            break
        steps.append(res[1:1 + g["n_out"]])
        loop_vars = res[1 + g["n_out"]:]
    if not steps:                  # never ran: zero outputs of the inferred shapes
        from mxnet import ndarray as nd
        shapes = _infer("_while_loop", g, [x.shape for x in ins], "shape")
        types = _infer("_while_loop", g, [x.dtype for x in ins], "dtype")
        return [nd.zeros(s, ctx=_ctx(), dtype=t) for s, t in zip(shapes[:g["n_out"]],
                                                      types[:g["n_out"]])] + loop_vars
    return _stack(steps, g["max_iterations"]) + loop_vars


def _cond(g, ins):
    n_then = g["n_then"]
    if as_bool(ins[0].asnumpy()):
        return _run(g["sym"], g["inputs"], ins[1:1 + n_then])
    return _run(g["else_sym"], g["else_inputs"], ins[1 + n_then:])


_LOOPS = {"_foreach": _foreach, "_while_loop": _while_loop, "_cond": _cond}


def _forward(kind):
    def forward(xp, *arrays, is_train=False, subgraph=None, num_args=None,
                num_outputs=None):
        g = _subgraph(subgraph)
        _CTX.append(_context_of(xp, arrays))
        try:
            with autograd.pause(train_mode=is_train):
                outs = _LOOPS[kind](g, [_wrap(a) for a in arrays])
        finally:
            _CTX.pop()
        return tuple(o._data for o in outs)
    return forward


def _backward(kind):
    def backward(xp, *arrays, is_train=True, subgraph=None, num_args=None,
                 num_outputs=None):
        g = _subgraph(subgraph)
        _CTX.append(_context_of(xp, arrays))
        try:
            return _backward_run(kind, g, arrays, int(num_outputs), is_train)
        finally:
            _CTX.pop()
    return backward


def _backward_run(kind, g, arrays, n_heads, is_train):
    """Input gradients: the loop re-run recording, then the head gradients
    back-propagated."""
    heads, ins = arrays[:n_heads], [_wrap(a).copy() for a in arrays[n_heads:]]
    for x in ins:
        x.attach_grad()
    with autograd.record(train_mode=is_train):
        outs = _LOOPS[kind](g, ins)
    # outputs that are inputs passed through (a loop that never ran, a branch
    # returning its input) take their head gradient directly
    direct = {}
    pairs = []
    for o, h in zip(outs, heads):
        same = [k for k, x in enumerate(ins) if o is x]
        if same:
            direct[same[0]] = direct.get(same[0], 0) + _wrap(h)
        elif o._node is not None:
            pairs.append((o, _wrap(h)))
    if pairs:
        autograd.backward([o for o, _ in pairs], [h for _, h in pairs],
                          train_mode=is_train)
    return tuple((x.grad + direct[k] if k in direct else x.grad)._data
                 for k, x in enumerate(ins))


def _subgraph(key):
    return subgraph(key)


def _step_inputs(kind, g, ins, what):
    """(subgraph, its input names, the per-step values of ``ins``) for inference."""
    if kind == "_foreach" and what == "shape":
        n = g["n_data"]
        return g["sym"], g["inputs"], [None if v is None else v[1:] for v in ins[:n]] + \
            list(ins[n:])
    if kind == "_foreach":
        return g["sym"], g["inputs"], list(ins)
    if kind == "_while_loop":
        return g["sym"], g["inputs"], list(ins)
    return g["sym"], g["inputs"], list(ins[1:1 + g["n_then"]])


def _infer(kind, g, ins, what, with_inputs=False):
    """Shapes (or dtypes) of the node's outputs from one step of its subgraph (and,
    ``with_inputs``, of its inputs as the subgraph infers them)."""
    sym, names, step = _step_inputs(kind, g, ins, what)
    known = {n: v for n, v in zip(names, step) if v is not None}
    infer = sym.infer_shape_partial if what == "shape" else sym.infer_type
    args, outs, _ = infer(**known)
    if outs is None:
        return (None, None) if with_inputs else None

    def found(v):
        return None if v is None or (what == "shape" and v == ()) else v
    outs = [found(o) for o in outs]
    if kind == "_while_loop":
        outs = outs[1:]
    n_out = g["n_out"]
    rows = None
    if what == "shape":
        if kind == "_foreach":
            rows = ins[0][0] if ins and ins[0] is not None else None
        elif kind == "_while_loop":
            rows = g["max_iterations"]
        if rows is not None:
            outs = [None if o is None else (rows,) + tuple(o) for o in outs[:n_out]] + \
                outs[n_out:]
    if not with_inputs:
        return outs
    by_name = dict(zip(sym.list_arguments(), args))
    new_ins = list(ins)
    offset = 1 if kind == "_cond" else 0
    for k, name in enumerate(names):
        value = found(by_name.get(name))
        pos = k + offset
        if value is None or pos >= len(new_ins):
            continue
        if kind == "_foreach" and k < g["n_data"] and what == "shape":
            continue               # the sequence length is not known from one step
        if new_ins[pos] is None:
            new_ins[pos] = value
        elif what == "shape":      # a partial input shape gains the inferred dims
            from mxnet._ops.infer import merge_shapes
            new_ins[pos] = merge_shapes(new_ins[pos], value)
    return new_ins, outs


def _shape_rule(kind):
    def rule(attrs, in_shapes):
        new_ins, outs = _infer(kind, _subgraph(attrs["subgraph"]), in_shapes, "shape",
                               with_inputs=True)
        return new_ins or in_shapes, outs or [None] * attrs["num_outputs"]
    return rule


def _dtype_rule(kind):
    def rule(attrs, in_types):
        from numpy import dtype
        outs = _infer(kind, _subgraph(attrs["subgraph"]), in_types, "dtype")
        if outs is None:
            return in_types, [None] * attrs["num_outputs"]
        return in_types, [None if t is None else dtype(t).name for t in outs]
    return rule


def _backward_shape(attrs, in_shapes):
    return in_shapes, list(in_shapes[attrs["num_outputs"]:])


def _grad(kind):
    def grad(F, inputs, outputs, ograds, **attrs):
        # d(inputs) by re-running the loop recorded (see _backward)
        backward = getattr(F._internal, f"_backward{kind}")
        res = backward(*(list(ograds) + list(inputs)), subgraph=attrs["subgraph"],
                       num_outputs=len(ograds), num_args=len(ograds) + len(inputs))
        if isinstance(res, (list, tuple)):
            return list(res)
        return [res] if len(inputs) == 1 else [res[i] for i in range(len(inputs))]
    return grad


def _register_all():
    registry = get_registry("ops")
    params = (Int("num_args"), Int("num_outputs"), Str("subgraph"))
    for kind in _LOOPS:
        if kind in registry.names():
            continue
        fwd = OpDef(kind, _forward(kind), inputs=("data",), varargs="num_args",
                    params=params, num_outputs=lambda a: a["num_outputs"],
                    shape=_shape_rule(kind), dtype=_dtype_rule(kind), source=__name__)
        bwd = OpDef(f"_backward{kind}", _backward(kind), inputs=("data",),
                    varargs="num_args", params=params,
                    num_outputs=lambda a: a["num_args"] - a["num_outputs"],
                    shape=_backward_shape, differentiable=False, source=__name__)
        fwd.gradient(_grad(kind))
        fwd.partial_shapes = True          # the subgraph's own rules see unknown dims
        registry.add(fwd)
        registry.add(bwd)


_register_all()
