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

    def __call__(self, ctx, inputs):
        if not autograd.is_recording():
            device_type = ctx.device_type
            if all(x._ctx.device_type == device_type for x in inputs):
                return self._run_lean(ctx, inputs)
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
