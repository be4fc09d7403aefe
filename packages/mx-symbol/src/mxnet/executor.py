"""The executor: a bound symbol with its argument, gradient and auxiliary arrays.

``bind`` runs the graph passes once (shape/dtype inference from the bound arrays,
constant folding, dead-node elimination, elementwise fusion where the backend has a
fuser, memory planning) and compiles the result into a program over numbered slots
(:mod:`mxnet.symbol.passes`). ``forward`` then runs either

* the lean program (no gradient bound): raw backend arrays, one pre-resolved
  kernel call per node, intermediates dropped after their last use, in place where
  the memory plan allows;
* the training program (gradients bound): the same kernel calls, every value kept;
  ``backward`` then runs the registry's gradients in reverse over them (no tape:
  the graph is known) into the bound gradient arrays (``grad_req`` write/add/null
  per argument), skipping what no bound gradient needs; or
* the recorded program (a monitor is installed): every node through ``invoke``
  under ``autograd.record``, the outputs in autograd's graph.
"""
import os

import numpy as np

from . import autograd
from .base import MXNetError
from .ndarray import NDArray, zeros
from .ndarray.ndarray import _wrap
from ._exec_alloc import _entry_bytes, _resized, simple_bind
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
        # MXNet 1.9.1 reads this at bind: get_optimized_symbol shows the merged graph
        self._cse = os.environ.get("MXNET_ELIMINATE_COMMON_EXPR", "1") != "0"
        from .symbol._fill_shapes import complete_source_shapes
        self._symbol = complete_source_shapes(symbol, {
            n: a.shape for n, a in zip(self._arg_names + self._aux_names,
                                       self.arg_arrays + self.aux_arrays)})
        self._program = self._compile()
        self._ran = False                 # MXNet allocates outputs at bind; forward fills them
        self.outputs = []                 # allocated on first read (see the property)
        self._monitor = None
        self._pending = None          # (values, is_train) of a training-program forward
        self._replay = None           # is_train of a lean forward a backward must redo

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
        grad_slots = [slot for slot, pos in self._var_slots
                      if pos < len(self._grad_req) and self._grad_req[pos] != "null"]
        self._train = self._grad = None
        self._has_rng = any(op.needs_rng for op, *_ in program.recorded)
        if grad_slots:
            wrt = [n for n, r in zip(self._arg_names, self._grad_req) if r != "null"]
            try:
                self._grad = passes.GradProgram(
                    self._symbol, backend, {n: a.shape for n, a in zip(names, arrays)},
                    {n: np.dtype(a.dtype).name for n, a in zip(names, arrays)}, wrt)
            except Exception:  # noqa: BLE001 - any gradient that cannot be symbolic
                self._train = passes.TrainProgram(program, grad_slots)
            else:
                self._grad_vars = [(slot, position[node.name])
                                   for node, slot in self._grad.program.var_slots
                                   if node.name in position]
                self._grad_pos = [position[n] for n in self._grad.grad_names]
                self._ones = {}
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
        outputs = self._forward(is_train, **kwargs)
        bufs = getattr(self, "_out_bufs", None)
        if bufs is not None:        # reshape() shares output memory, as MXNet's pool does
            for buf, out in zip(bufs, outputs):
                if buf is not out:
                    out.astype(buf.dtype, copy=False).copyto(buf)
            self.outputs = list(bufs)
        return self.outputs

    def _forward(self, is_train=False, **kwargs):
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
        self._pending = self._replay = None
        self._mon_state = None
        self._ran = True
        if self._monitor is not None:           # every node reported, backward too
            from ._monitored_exec import forward as monitored_forward
            self.outputs = monitored_forward(self, is_train)
            return self.outputs
        if not self._lean_ok:
            self.outputs = self._forward_recorded(is_train, live)
        elif live and (is_train or self._has_rng):
            self.outputs = self._forward_train(is_train)
        else:
            # inference: lean even with gradients bound (Module.predict/score after
            # fit); a backward after it runs the training forward first
            self._replay = is_train if live else None
            self.outputs = self._forward_lean(is_train)
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

    def _forward_train(self, is_train):
        arrays = self.arg_arrays + self.aux_arrays
        if self._grad is None:                   # tape-free fallback
            vals = self._program.new_slots()
            for slot, pos in self._var_slots:
                vals[slot] = arrays[pos]._data
            with autograd.pause(train_mode=is_train):
                outs = self._train.forward(vals, is_train, self._ctx.device_id)
            self._pending = (vals, is_train)
            return self._wrap_outputs(outs, arrays)
        gp = self._grad
        vals = gp.program.new_slots()
        for slot, pos in self._grad_vars:
            vals[slot] = arrays[pos]._data
        with autograd.pause(train_mode=is_train):
            outs = gp.program.run_lean(vals, is_train, self._ctx.device_id,
                                       gp.forward_steps)
        self._pending = (vals, is_train)
        return self._wrap_outputs(outs[:gp.n_out], arrays)

    def _head_grad(self, k, out_grads):
        g = out_grads[k] if out_grads is not None else None
        if g is not None:
            return g._data
        out = self.outputs[k]
        key = (k, out.shape, out.dtype)
        if key not in self._ones:                # read-only: kernels never write inputs
            self._ones[key] = self._ctx.backend.xp.ones(out.shape, dtype=out.dtype)
        return self._ones[key]

    def _backward_train(self, out_grads, is_train):
        vals, _ = self._pending
        self._pending = None
        if self._grad is None:
            return self._backward_tape_free(vals, out_grads, is_train)
        gp = self._grad
        for k, slot in enumerate(gp.head_slots):
            if slot is not None:
                vals[slot] = self._head_grad(k, out_grads)
        with autograd.pause(train_mode=is_train):
            outs = gp.program.run_lean(vals, is_train, self._ctx.device_id,
                                       gp.backward_steps)
        for pos, g in zip(self._grad_pos, outs[gp.n_out:]):
            target = self.grad_arrays[pos]
            if self._grad_req[pos] == "add":
                target._data += g
            else:
                target._data[...] = g
        done = set(self._grad_pos)
        for pos, (target, req) in enumerate(zip(self.grad_arrays, self._grad_req)):
            if req == "write" and target is not None and pos not in done:
                target._data[...] = 0     # no gradient flows here: MXNet writes zeros

    def _backward_tape_free(self, vals, out_grads, is_train):
        program, train = self._program, self._train
        heads = {}
        for k, (slot, out) in enumerate(zip(program.out_slots, self.outputs)):
            if slot not in train.need:
                continue
            g = out_grads[k] if out_grads is not None else None
            g = _wrap(self._ctx.backend.xp.ones_like(out._data), self._ctx) if g is None \
                else g
            heads[slot] = heads[slot] + g if slot in heads else g
        grads = train.backward(vals, self._ctx, heads, is_train)
        for slot, pos in self._var_slots:
            g = grads.get(slot)
            if pos >= len(self.grad_arrays) or self.grad_arrays[pos] is None:
                continue
            req, target = self._grad_req[pos], self.grad_arrays[pos]
            if g is None:
                if req == "write":      # no gradient flows here: MXNet writes zeros
                    target._data[...] = 0
                continue
            if req == "add":
                target._data += g._data
            elif req == "write":
                target._data[...] = g._data

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

    @property
    def outputs(self):
        """The output arrays; before the first forward, zeros of the inferred shapes."""
        if not self._outs and not self._ran:
            self._outs = self._bind_outputs()
        return self._outs

    @outputs.setter
    def outputs(self, value):
        self._outs = value

    def _bind_outputs(self):
        """Zero arrays of the outputs' inferred shapes and dtypes ([] if unknown)."""
        names = self._arg_names + self._aux_names
        arrays = self.arg_arrays + self.aux_arrays
        try:
            _, shapes, _ = self._symbol.infer_shape(
                **{n: a.shape for n, a in zip(names, arrays)})
            _, dtypes, _ = self._symbol.infer_type(
                **{n: a.dtype for n, a in zip(names, arrays)})
        except (MXNetError, TypeError, ValueError):
            return []
        if shapes is None or dtypes is None:
            return []
        try:
            return [zeros(s, self._ctx, dtype=d) for s, d in zip(shapes, dtypes)]
        except MXNetError:          # a data-dependent shape (boolean_mask's (0, n))
            return []

    def backward(self, out_grads=None, is_train=True):
        if not self._ran:
            raise MXNetError("backward: call forward(is_train=True) first")
        if isinstance(out_grads, dict):
            out_grads = [out_grads[n] for n in self._symbol.list_outputs()]
        elif out_grads is not None and not isinstance(out_grads, (list, tuple)):
            out_grads = [out_grads]
        if out_grads is not None:
            # head gradients take their output's dtype, as MXNet copies them into its buffers
            out_grads = [g.astype(o.dtype) if isinstance(g, NDArray) and g.dtype != o.dtype
                         else g for g, o in zip(out_grads, self.outputs)] \
                + list(out_grads[len(self.outputs):])
        if getattr(self, "_mon_state", None) is not None:
            from ._monitored_exec import backward as monitored_backward
            return monitored_backward(self, out_grads, is_train)
        if self._replay is not None:
            self.outputs = self._forward_train(self._replay)
            self._replay = None
        if self._pending is not None:
            return self._backward_train(out_grads, is_train)
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
        """An executor of new input shapes sharing this one's memory: arrays that keep
        their shape are the same arrays, smaller ones are views of their first
        elements (outputs too), larger ones (``allow_up_sizing``) are new."""
        arg_shapes, out_shapes, aux_shapes = self._symbol.infer_shape(**kwargs)
        if arg_shapes is None:
            raise MXNetError(f"reshape: insufficient argument shapes provided: {kwargs}")

        def resize(name, arr, shape, given):
            if arr is None:
                return None
            if not (partial_shaping or given or tuple(shape) == arr.shape):
                raise MXNetError(
                    f"reshape: the shape of unspecified array arg:{name} changed. This can "
                    "cause the new executor to not share parameters with the old one. "
                    "Please check for error in network. If this is intended, set "
                    "partial_shaping=True to suppress this warning.")
            return _resized(arr, shape, allow_up_sizing, name)
        args = [resize(n, a, s, n in kwargs) for n, a, s in
                zip(self._arg_names, self.arg_arrays, arg_shapes)]
        grads = [resize(n, g, s, n in kwargs) for n, g, s in
                 zip(self._arg_names, self.grad_arrays, arg_shapes)]
        aux = [resize(n, a, s, False) for n, a, s in
               zip(self._aux_names, self.aux_arrays, aux_shapes)]
        exe = Executor(self._symbol, self._ctx, args, grads, self._grad_req, aux)
        if self._monitor is not None:
            exe.set_monitor_callback(self._monitor)
        if getattr(self, "_out_bufs", None) is None:
            # this executor's forwards now fill its bound outputs in place
            self._out_bufs = list(self.outputs) or self._bind_outputs()
            self.outputs = list(self._out_bufs)
        exe._out_bufs = [_resized(b, s, True, "output") for b, s in
                         zip(self._out_bufs, out_shapes)]
        exe.outputs = list(exe._out_bufs)
        return exe

    def get_optimized_symbol(self):
        """The bound symbol after graph optimisation (common subexpressions merged
        when ``MXNET_ELIMINATE_COMMON_EXPR`` was on at bind)."""
        if not self._cse:
            return self._symbol.__copy__()
        from .symbol._cse import eliminate_common_expr
        return eliminate_common_expr(self._symbol)

    def debug_str(self):
        lines = [f"Symbol outputs: {self._symbol.list_outputs()}"]
        for node in self._program.graph.nodes:
            if node.kind != "var":
                lines.append(f"Op:{node.op.name}, Name={node.name}")
        # MXNet's last lines (Module reads the byte count from the third-last)
        lines.append(f"Total {_entry_bytes(self) >> 20} MB allocated")
        lines.append("Total 0 TempSpace resource requested")
        return "\n".join(lines) + "\n"
