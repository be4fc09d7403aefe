"""The executor: a bound symbol with its argument, gradient and auxiliary arrays.

``bind`` runs the graph passes once (shape/dtype inference from the bound arrays,
constant folding, dead-node elimination, elementwise fusion where the backend has a
fuser, memory planning) and compiles the result into a program over numbered slots
(:mod:`mxnet.symbol.passes`). ``forward`` then runs either

* the lean program: raw backend arrays, one pre-resolved kernel call per node,
  intermediates dropped after their last use; used whenever nothing needs recording
  (no gradient bound, or an inference-mode forward of a graph without random
  operators: a later ``backward`` re-runs that forward recorded), or
* the recorded program: every node through ``invoke`` under ``autograd.record`` so
  ``backward`` runs the registry's gradients into the bound gradient arrays
  (``grad_req`` write/add/null per argument).
"""
import numpy as np

from . import autograd
from .base import MXNetError
from .ndarray import NDArray, zeros
from .ndarray.ndarray import _wrap
from .symbol import passes

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
        self._program = self._compile()
        self.outputs = []
        self._monitor = None
        self._replay = None           # is_train of a lean forward backward must re-run

    def _compile(self):
        arrays = self.arg_arrays + self.aux_arrays
        names = self._arg_names + self._aux_names
        backend = self._ctx.backend
        graph = passes.prepare(self._symbol, backend,
                               {n: a.shape for n, a in zip(names, arrays)},
                               {n: np.dtype(a.dtype).name for n, a in zip(names, arrays)})
        program = passes.Program(graph, backend)
        position = {n: i for i, n in enumerate(names)}
        self._var_slots = [(slot, position[node.name]) for node, slot in program.var_slots]
        self._has_rng = any(op.needs_rng for op, *_ in program.recorded)
        # the lean program reads raw arrays, so it needs them all on the bound backend
        self._lean_ok = all(a._ctx.device_type == self._ctx.device_type for a in arrays)
        return program

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
        live = [(a, g, r) for a, g, r in zip(self.arg_arrays, self.grad_arrays,
                                               self._grad_req) if r != "null"]
        lean = self._monitor is None and self._lean_ok and (
            not live or not is_train and not self._has_rng)
        if lean:
            self._replay = is_train if live else None
            self.outputs = self._forward_lean(is_train)
        else:
            self._replay = None
            self.outputs = self._forward_recorded(is_train, live)
        return self.outputs

    def _forward_lean(self, is_train):
        program = self._program
        arrays = self.arg_arrays + self.aux_arrays
        vals = program.new_slots()
        for slot, pos in self._var_slots:
            vals[slot] = arrays[pos]._data
        with autograd.pause(train_mode=is_train):
            outs = program.run_lean(vals, is_train, self._ctx.device_id)
        return self._wrap_outputs(outs, arrays)

    def _forward_recorded(self, is_train, live):
        program = self._program
        arrays = self.arg_arrays + self.aux_arrays
        vals = program.new_slots(wrap_consts=self._ctx)
        for slot, pos in self._var_slots:
            vals[slot] = arrays[pos]
        if live:
            # record whenever gradients are bound: backward may follow an inference-mode
            # forward (operators then run their is_train=False branch), as in MXNet
            autograd.mark_variables([a for a, _, _ in live], [g for _, g, _ in live],
                                    [r for _, _, r in live])
            scope = autograd.record(train_mode=is_train)
        else:
            scope = autograd.pause(train_mode=is_train)
        with scope:
            outs = program.run_recorded(vals, self._ctx, self._monitor)
        return [o if kind == "var" else
                _wrap(o._data.copy(), self._ctx) if kind == "const" else o
                for o, kind in zip(outs, program.out_kinds)]

    def _wrap_outputs(self, outs, arrays):
        program, ctx, res = self._program, self._ctx, []
        var_of = dict(self._var_slots)
        for slot, kind, out in zip(program.out_slots, program.out_kinds, outs):
            if kind == "var":
                res.append(arrays[var_of[slot]])        # the bound array itself
            elif kind == "const":
                res.append(_wrap(out.copy(), ctx))      # callers may write to it
            else:
                res.append(_wrap(out, ctx))
        return res

    def backward(self, out_grads=None, is_train=True):
        if not self.outputs:
            raise MXNetError("backward: call forward(is_train=True) first")
        if self._replay is not None:
            # the last forward ran lean (inference mode): run it again recorded
            live = [(a, g, r) for a, g, r in zip(self.arg_arrays, self.grad_arrays,
                                                   self._grad_req) if r != "null"]
            self.outputs = self._forward_recorded(self._replay, live)
            self._replay = None
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
        for node in self._program.graph.nodes:
            if node.kind != "var":
                lines.append(f"Op:{node.op.name}, Name={node.name}")
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
