"""The cached graph of a hybridized block (MXNet's CachedOp).

The traced Symbol is resolved once into a plan: operator, parsed parameters and
input slots per node. While autograd records, running it calls each kernel through
the same dispatch as ``mx.nd``, so autograd records it exactly as it records
imperative code, without re-running ``hybrid_forward`` or re-parsing parameters on
every call. Otherwise it runs the symbol's lean program (``mxnet.symbol.passes``:
constants folded once, one pre-resolved kernel call per node on raw arrays,
intermediates dropped after their last use), compiled once per device backend.
"""
from .. import autograd
from .._dispatch import invoke
from ..autograd import Node
from ..base import MXNetError
from ..ndarray.ndarray import _wrap
from ..symbol import passes

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
        self._programs = {}       # backend name -> (Program, [(slot, source)])
        self._grad_programs = {}  # input signature -> GradProgram, or None (unsupported)
        self._names = {key[0]: source for key, source in self._sources}
        self._var_names = {id(n): n.name for n in sym._nodes() if n.is_var}

    def __call__(self, ctx, inputs):
        same_device = all(x._ctx.device_type == ctx.device_type for x in inputs)
        if not autograd.is_recording():
            if same_device:
                return self._run_lean(ctx, inputs)
        elif same_device:
            outs = self._run_train(ctx, inputs)
            if outs is not None:
                return outs
        values = {}
        for key, source in self._sources:
            values[key] = inputs[source] if type(source) is int else source.data(ctx)
        for op, attrs, in_keys, nid in self._plan:
            outs = invoke(op, [values[k] for k in in_keys], attrs, ctx=ctx,
                          all_outputs=True)
            for i, out in enumerate(outs):
                values[(nid, i)] = out
        return [values[k] for k in self._outputs]

    def _program(self, backend):
        found = self._programs.get(backend.name)
        if found is None:
            program = passes.Program(passes.prepare(self.symbol, backend), backend)
            source_of = {key[0]: source for key, source in self._sources}
            found = (program, [(slot, source_of[id(node.src)])
                               for node, slot in program.var_slots])
            self._programs[backend.name] = found
        return found

    def _run_lean(self, ctx, inputs):
        program, var_slots = self._program(ctx.backend)
        vals = program.new_slots()
        held = {}
        for slot, source in var_slots:
            arr = inputs[source] if type(source) is int else source.data(ctx)
            held[slot] = arr
            vals[slot] = arr._data
        outs = program.run_lean(vals, autograd.is_training(), ctx.device_id)
        return [held[slot] if kind == "var" else
                _wrap(out.copy() if kind == "const" else out, ctx)
                for out, slot, kind in zip(outs, program.out_slots, program.out_kinds)]

    # -- training: one tape node for the whole graph (MXNet's CachedOp backward) -----
    def _run_train(self, ctx, inputs):
        """Forward with the compiled forward+backward program, recorded as ONE node.

        The node's gradient runs the graph's compiled backward steps, so neither the
        forward nor the backward pays per-operator dispatch and tape costs. Returns
        None when the graph has no symbolic gradient (the caller records op by op).
        """
        named = {}
        for key, source in self._sources:
            arr = inputs[source] if type(source) is int else source.data(ctx)
            named[self._var_names[key[0]]] = arr
        wrt = tuple(n for n, a in named.items() if a._node is not None)
        if not wrt:
            return None
        signature = (ctx, wrt) + tuple((n, a.shape, a.dtype) for n, a in named.items())
        gp = self._grad_programs.get(signature, False)
        if gp is False:
            gp = self._grad_programs[signature] = self._compile_grad(ctx, named, wrt)
        if gp is None:
            return None
        vals = gp.program.new_slots()
        for node, slot in gp.program.var_slots:
            if node.name in named:
                vals[slot] = named[node.name]._data
        is_train = autograd.is_training()
        with autograd.pause(train_mode=is_train):
            outs = gp.program.run_lean(vals, is_train, ctx.device_id, gp.forward_steps)
        outputs = [_wrap(o, ctx) for o in outs[:gp.n_out]]
        sources = tuple(named[n] for n in gp.grad_names)
        used = [False]

        def grad_fn(F, node_inputs, node_outputs, ograds):
            if used[0]:
                raise MXNetError("The graph of a hybridized block was already "
                                 "differentiated; run the forward again (retain_graph is "
                                 "not supported for hybridized blocks)")
            used[0] = True
            for k, slot in enumerate(gp.head_slots):
                if slot is not None:
                    vals[slot] = ograds[k]._data
            with autograd.pause(train_mode=is_train):
                res = gp.program.run_lean(vals, is_train, ctx.device_id,
                                          gp.backward_steps)
            vals.clear()    # the gradients are then private: backward adopts, not copies
            return tuple(_wrap(g, ctx) for g in res[gp.n_out:])

        node = Node(None, {}, sources, tuple(o._data for o in outputs), ctx, grad_fn)
        for i, out in enumerate(outputs):
            out._node, out._index = node, i
        return outputs

    def _compile_grad(self, ctx, named, wrt):
        try:
            gp = passes.GradProgram(self.symbol, ctx.backend,
                                    {n: a.shape for n, a in named.items()},
                                    {n: a._data.dtype.name for n, a in named.items()},
                                    list(wrt))
        except Exception:  # noqa: BLE001 - any graph whose gradient is not symbolic
            return None
        kinds = gp.program.out_kinds[:gp.n_out]
        if any(kind != "op" for kind in kinds) or not gp.grad_names:
            return None      # outputs that are variables or constants: record per op
        return gp
