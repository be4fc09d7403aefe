"""A graph compiled into flat programs over numbered slots.

Every value (bound variable, constant, operator output) gets a slot index. Two
programs run the same graph:

* :meth:`Program.run_lean`: inference, no autograd. Each step calls its kernel
  (resolved once per backend) on raw backend arrays, passes ``is_train``/``rng``
  only to operators that take them, drops intermediates after their last use and
  writes in place where the memory plan allows;
* :meth:`Program.run_recorded`: each step goes through ``_dispatch.invoke`` on
  NDArrays, so autograd records it and the registry's gradients run on backward.
"""
import sys

from mxnet._dispatch import invoke
from mxnet.base import MXNetError
from mxnet.ndarray.ndarray import _wrap

from .fusion import fuse_elementwise
from .memory import inplace_kernel, inplace_safe, plan_memory

__all__ = ["Program"]

_TRAIN, _RNG = 1, 2


def _refs(vals, i):
    buf = vals[i]
    return sys.getrefcount(buf)


def _base_refs(vals, i):
    base = vals[i].base
    return sys.getrefcount(base)


def _calibrate():
    # the reference count of an array held by one slot only (and of the array a view
    # in one slot views, held by that view only), measured with the very code the run
    # loop uses (interpreters differ in what getrefcount counts)
    import numpy as np
    return _refs([np.empty(1)], 0), _base_refs([np.empty(2).reshape(1, 2)], 0)


_ONE_REF, _ONE_BASE_REF = _calibrate()


def _private_view(vals, slot, ndarray):
    """Whether the view in ``vals[slot]`` (held by that slot only) may be overwritten:
    a writeable floating-point view of an array that nothing but the view references
    (an operator's reshaped result, such as ``dot``'s)."""
    buf = vals[slot]
    base = buf.base
    if type(base) is not ndarray or base.base is not None or buf.dtype.kind != "f" or \
            not buf.flags.writeable:
        return False
    base = buf = None       # counted below: only the view may hold it
    return _base_refs(vals, slot) == _ONE_BASE_REF


class Program:
    """Slots and both programs for ``graph`` (already inferred and folded). Fusion,
    when the backend has a fuser, rewrites only the lean program: slots are numbered
    and the recorded steps compiled before it."""

    def __init__(self, graph, backend, fuse=True):
        slots, self.var_slots, self.consts = {}, [], []
        for node in graph.nodes:
            for i in range(node.num_outputs):
                slots[(id(node), i)] = len(slots)
            if node.kind == "var":
                self.var_slots.append((node, slots[(id(node), 0)]))
            elif node.kind == "const":
                self.consts += [(slots[(id(node), i)], v) for i, v in enumerate(node.value)]
        self.nslots = len(slots)
        self.backend = backend
        self.out_slots = [slots[(id(n), i)] for n, i in graph.outputs]
        self.out_kinds = [n.kind for n, _ in graph.outputs]
        self.recorded = [(node.op, node.attrs, [slots[(id(c), i)] for c, i in node.inputs],
                          [slots[(id(node), i)] for i in range(node.num_outputs)], node.src)
                         for node in graph.nodes if node.kind == "op"]
        if fuse:
            fuse_elementwise(graph, backend)
        self.graph = graph
        self.plan = plan_memory(graph)
        self.lean = [self._lean_step(node, k, slots)
                     for k, node in enumerate(self.plan.steps)]

    def _lean_step(self, node, k, slots):
        op = node.op
        fn = op.kernels.get(self.backend.name, op.forward)
        flags = (_TRAIN if op.needs_train else 0) | (_RNG if op.needs_rng else 0)
        ins = [slots[(id(c), i)] for c, i in node.inputs]
        outs = [slots[(id(node), i)] for i in range(node.num_outputs)]
        frees = [slots[(id(c), i)] for c, i in self.plan.frees[k]]
        pos = self.plan.inplace[k]
        inplace = None
        if pos is not None:
            inplace = (pos, inplace_kernel(op, node.attrs)[0])
        return (fn, node.attrs, flags, ins, outs, frees, inplace, op.name)

    # -- running -------------------------------------------------------------------
    def new_slots(self, wrap_consts=None):
        vals = [None] * self.nslots
        for slot, value in self.consts:
            vals[slot] = value if wrap_consts is None else _wrap(value, wrap_consts)
        return vals

    def run_lean(self, vals, is_train, device_id, steps=None):
        """Run every step (or the given slice of them) on raw arrays in ``vals``
        (variable slots filled); returns the output slots' values."""
        backend = self.backend
        xp = backend.xp
        ndarray = xp.ndarray
        rng = None
        step = None
        try:
            for step in (self.lean if steps is None else steps):
                fn, attrs, flags, ins, outs, frees, inplace, _ = step
                if inplace is not None and self._inplace(vals, step, xp, ndarray):
                    pass
                else:
                    if flags:
                        attrs = dict(attrs)
                        if flags & _TRAIN:
                            attrs["is_train"] = is_train
                        if flags & _RNG:
                            rng = rng or backend.rng(device_id)
                            attrs["rng"] = rng
                    res = fn(xp, *[vals[i] for i in ins], **attrs)
                    if len(outs) == 1:
                        vals[outs[0]] = res[0] if type(res) in (tuple, list) else res
                    else:
                        for slot, r in zip(outs, res):
                            vals[slot] = r
                    res = None            # the slots alone hold results (see _inplace)
                for slot in frees:
                    vals[slot] = None
        except (ValueError, TypeError, IndexError) as err:
            shapes = [getattr(vals[i], "shape", None) for i in step[3]]
            raise MXNetError(f"Operator {step[7]}: {err} (input shapes {shapes})") from err
        return [vals[s] for s in self.out_slots]

    @staticmethod
    def _inplace(vals, step, xp, ndarray):
        _, attrs, _, ins, outs, _, (pos, fn), _ = step
        slot = ins[pos]
        if _refs(vals, slot) != _ONE_REF:
            return False                 # a view, an NDArray or a caller still holds it
        buf = vals[slot]
        if type(buf) is not ndarray or not (
                inplace_safe(buf) or _private_view(vals, slot, ndarray)):
            return False
        if len(ins) == 2:
            other = vals[ins[1 - pos]]
            if getattr(other, "shape", None) != buf.shape or other.dtype != buf.dtype:
                return False
            fn(xp, buf, other, attrs)
        else:
            fn(xp, buf, attrs)
        vals[outs[0]] = buf
        return True

    def run_recorded(self, vals, ctx, monitor=None):
        """Run every step through ``invoke`` on NDArrays (autograd records them)."""
        for op, attrs, ins, outs, src in self.recorded:
            res = invoke(op, [vals[i] for i in ins], attrs, ctx=ctx, all_outputs=True)
            for slot, o in zip(outs, res):
                vals[slot] = o
            if monitor is not None:
                for i, o in enumerate(res):
                    monitor(src.output_name(i), o)
        return [vals[s] for s in self.out_slots]
