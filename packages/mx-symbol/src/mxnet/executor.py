"""The executor: a bound symbol with its argument, gradient and auxiliary arrays.

``bind`` resolves every node once (operator, parsed parameters, input slots) into a
plan; ``forward`` runs the plan's kernels in order, and under ``is_train=True``
records them so ``backward`` runs the registry's gradients into the bound
gradient arrays (``grad_req`` write/add/null per argument).
"""
import numpy as np

from . import autograd
from ._dispatch import invoke
from .base import MXNetError
from .ndarray import NDArray, zeros

__all__ = ["Executor", "simple_bind"]


def _as_list(values, names, what, allow_none=False):
    if values is None:
        return [None] * len(names)
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing and not allow_none:
            raise MXNetError(f"bind: {what} is missing {missing}")
        return [values.get(n) for n in names]
    values = list(values)
    if len(values) != len(names):
        raise MXNetError(f"bind: {what} has {len(values)} arrays, the symbol needs "
                         f"{len(names)} ({names})")
    return values


class Executor:
    """Runs a Symbol on bound arrays. Create with ``Symbol.bind``/``simple_bind``."""

    def __init__(self, symbol, ctx, args, args_grad=None, grad_req="write",
                 aux_states=None):
        self._symbol = symbol
        self._ctx = ctx
        self._arg_names = symbol.list_arguments()
        self._aux_names = symbol.list_auxiliary_states()
        self.arg_arrays = _as_list(args, self._arg_names, "args")
        self.grad_arrays = _as_list(args_grad, self._arg_names, "args_grad", True)
        self.aux_arrays = _as_list(aux_states, self._aux_names, "aux_states")
        if isinstance(grad_req, str):
            reqs = [grad_req] * len(self._arg_names)
        elif isinstance(grad_req, dict):
            reqs = [grad_req.get(n, "null") for n in self._arg_names]
        else:
            reqs = list(grad_req)
        self._grad_req = ["null" if g is None else r for r, g in zip(reqs, self.grad_arrays)]
        for name, arr in zip(self._arg_names + self._aux_names,
                             self.arg_arrays + self.aux_arrays):
            if not isinstance(arr, NDArray):
                raise MXNetError(f"bind: argument {name!r} must be an NDArray, got "
                                 f"{type(arr).__name__}")
        self._plan = self._make_plan()
        self.outputs = []
        self._monitor = None

    def _make_plan(self):
        slots = {}
        for name, arr in zip(self._arg_names + self._aux_names,
                             self.arg_arrays + self.aux_arrays):
            slots[name] = arr
        plan = []
        for node in self._symbol._nodes():
            if node.is_var:
                continue
            plan.append((node, node.op, node.params(),
                         [(id(c), i, c.name if c.is_var else None) for c, i in node.inputs]))
        return plan

    # -- dictionaries --------------------------------------------------------------
    @property
    def arg_dict(self):
        return dict(zip(self._arg_names, self.arg_arrays))

    @property
    def grad_dict(self):
        return {n: g for n, g in zip(self._arg_names, self.grad_arrays) if g is not None}

    @property
    def aux_dict(self):
        return dict(zip(self._aux_names, self.aux_arrays))

    @property
    def output_dict(self):
        return dict(zip(self._symbol.list_outputs(), self.outputs))

    # -- running -------------------------------------------------------------------
    def forward(self, is_train=False, **kwargs):
        arg_dict = self.arg_dict
        for name, value in kwargs.items():
            if name not in arg_dict:
                raise MXNetError(f"forward: unknown argument {name!r}; arguments are "
                                 f"{self._arg_names}")
            target = arg_dict[name]
            if isinstance(value, NDArray):
                value.copyto(target)
            else:
                target[:] = value
        by_name = dict(arg_dict, **self.aux_dict)
        values = {}
        live = [(a, g, r) for a, g, r in zip(self.arg_arrays, self.grad_arrays,
                                               self._grad_req) if r != "null"]
        if live:
            # record whenever gradients are bound: backward may follow an inference-mode
            # forward (operators then run their is_train=False branch), as in MXNet
            autograd.mark_variables([a for a, _, _ in live], [g for _, g, _ in live],
                                    [r for _, _, r in live])
            scope = autograd.record(train_mode=is_train)
        else:
            scope = autograd.pause(train_mode=is_train)
        with scope:
            for node, op, attrs, inputs in self._plan:
                ins = [by_name[name] if name is not None else values[(cid, i)]
                       for cid, i, name in inputs]
                outs = invoke(op, ins, attrs, ctx=self._ctx, all_outputs=True)
                for i, o in enumerate(outs):
                    values[(id(node), i)] = o
                if self._monitor is not None:
                    for i, o in enumerate(outs):
                        self._monitor(node.output_name(i), o)
        self.outputs = [by_name[n.name] if n.is_var else values[(id(n), i)]
                        for n, i in self._symbol._outputs]
        return self.outputs

    def backward(self, out_grads=None, is_train=True):
        if not self.outputs:
            raise MXNetError("backward: call forward(is_train=True) first")
        if isinstance(out_grads, dict):
            out_grads = [out_grads[n] for n in self._symbol.list_outputs()]
        elif out_grads is not None and not isinstance(out_grads, (list, tuple)):
            out_grads = [out_grads]
        heads = [o for o in self.outputs if o._node is not None]
        if not heads:
            return
        if out_grads is not None:
            out_grads = [g for o, g in zip(self.outputs, out_grads) if o._node is not None]
        autograd.backward(heads, out_grads, retain_graph=False, train_mode=is_train)

    def set_monitor_callback(self, callback, monitor_all=False):
        self._monitor = callback

    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        for name, array in (arg_params or {}).items():
            if name in self.arg_dict:
                array.astype(self.arg_dict[name].dtype).copyto(self.arg_dict[name])
            elif not allow_extra_params:
                raise ValueError(f"Find name {name} that is not in the arguments")
        for name, array in (aux_params or {}).items():
            if name in self.aux_dict:
                array.astype(self.aux_dict[name].dtype).copyto(self.aux_dict[name])
            elif not allow_extra_params:
                raise ValueError(f"Find name {name} that is not in the auxiliary states")

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        reqs = dict(zip(self._arg_names, self._grad_req))
        return simple_bind(self._symbol, self._ctx, reqs, None, self, None, kwargs)

    def debug_str(self):
        lines = [f"Symbol outputs: {self._symbol.list_outputs()}"]
        for node, op, attrs, _ in self._plan:
            lines.append(f"Op:{op.name}, Name={node.name}")
        return "\n".join(lines)


def simple_bind(symbol, ctx, grad_req, type_dict, shared_exec, shared_buffer, shapes):
    """Infer every shape/dtype from the given input shapes and allocate the arrays."""
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        partial = symbol.infer_shape_partial(**shapes)
        missing = [n for n, s in zip(symbol.list_arguments(), partial[0]) if not s]
        raise MXNetError(f"simple_bind: cannot infer the shapes of {missing} from "
                         f"{shapes}")
    arg_types, _, aux_types = symbol.infer_type(**(type_dict or {}))
    if arg_types is None:
        arg_types = [np.float32] * len(arg_shapes)
        aux_types = [np.float32] * len(aux_shapes)
    names = symbol.list_arguments()
    shared = shared_exec.arg_dict if shared_exec is not None else {}
    shared_grads = shared_exec.grad_dict if shared_exec is not None else {}
    if isinstance(grad_req, str):
        reqs = {n: grad_req for n in names}
    elif isinstance(grad_req, dict):
        reqs = {n: grad_req.get(n, "null") for n in names}
    else:
        reqs = dict(zip(names, grad_req))
    args, grads = [], []
    for name, shape, dtype in zip(names, arg_shapes, arg_types):
        old = shared.get(name)
        arr = old if old is not None and old.shape == tuple(shape) else \
            zeros(shape, ctx=ctx, dtype=dtype)
        args.append(arr)
        if reqs.get(name, "null") == "null":
            grads.append(None)
        else:
            g = shared_grads.get(name)
            grads.append(g if g is not None and g.shape == tuple(shape) else
                         zeros(shape, ctx=ctx, dtype=dtype))
    aux = []
    shared_aux = shared_exec.aux_dict if shared_exec is not None else {}
    for name, shape, dtype in zip(symbol.list_auxiliary_states(), aux_shapes, aux_types):
        old = shared_aux.get(name)
        aux.append(old if old is not None and old.shape == tuple(shape) else
                   zeros(shape, ctx=ctx, dtype=dtype))
    return Executor(symbol, ctx, args, grads, [reqs.get(n, "null") for n in names], aux)
