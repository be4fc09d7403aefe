"""The executor's own training pass: forward on raw arrays, backward by the registry.

The graph is fixed at bind, so the executor needs no tape: :meth:`TrainProgram.forward`
runs each (unfused) step's kernel on raw arrays and keeps every value,
:meth:`TrainProgram.backward` walks the steps in reverse and calls each operator's
gradient (``F`` = ``mxnet.ndarray``, not recorded) on those values. Statically
pruned: only steps between a variable that wants a gradient and an output run
their gradient, and each step's values are dropped once its gradient is done.
"""
from mxnet import autograd
from mxnet.ndarray.ndarray import _wrap

__all__ = ["TrainProgram"]

_TRAIN, _RNG = 1, 2


class TrainProgram:
    """Training steps of ``program`` for gradients of the variables in ``grad_slots``."""

    def __init__(self, program, grad_slots):
        backend = program.backend
        self.backend = backend
        self.program = program
        need = set(grad_slots)
        self.steps = []
        for op, attrs, ins, outs, src in program.recorded:
            fn = op.kernels.get(backend.name, op.forward)
            flags = (_TRAIN if op.needs_train else 0) | (_RNG if op.needs_rng else 0)
            wants = op.grad_fn is not None and any(s in need for s in ins)
            if wants:
                need.update(outs)
            self.steps.append((fn, attrs, flags, ins, outs, op, wants))
        self.need = need

    def forward(self, vals, is_train, device_id):
        """Run every step on the raw arrays in ``vals``, keeping all values."""
        xp = self.backend.xp
        rng = None
        for fn, attrs, flags, ins, outs, op, _ in self.steps:
            if flags:
                attrs = dict(attrs)
                if flags & _TRAIN:
                    attrs["is_train"] = is_train
                if flags & _RNG:
                    rng = rng or self.backend.rng(device_id)
                    attrs["rng"] = rng
            try:
                res = fn(xp, *[vals[i] for i in ins], **attrs)
            except (ValueError, TypeError, IndexError) as err:
                from mxnet.base import MXNetError
                raise MXNetError(f"Operator {op.name}: {err} (input shapes "
                                 f"{[getattr(vals[i], 'shape', None) for i in ins]})") \
                    from err
            if type(res) is tuple or type(res) is list:
                for slot, r in zip(outs, res):
                    vals[slot] = r
            else:
                vals[outs[0]] = res
        return [vals[s] for s in self.program.out_slots]

    def backward(self, vals, ctx, head_grads, is_train):
        """Gradients ``{slot: NDArray}`` of the variables, from ``{slot: head grad}``;
        ``vals`` (from :meth:`forward`) is consumed."""
        grads = dict(head_grads)
        need = self.need
        # inputs here are bare values, not tape entries: no gradient may be skipped
        walking, autograd._WALKING[0] = autograd._WALKING[0], False
        try:
            self._backward(vals, ctx, grads, need, is_train)
        finally:
            autograd._WALKING[0] = walking
        return grads

    def _backward(self, vals, ctx, grads, need, is_train):
        from mxnet import ndarray as F
        with autograd.pause(train_mode=is_train):
            for _, attrs, _, ins, outs, op, wants in reversed(self.steps):
                ograds = [grads.pop(s, None) for s in outs] if wants else ()
                if wants and any(g is not None for g in ograds):
                    outputs = [_wrap(vals[s], ctx) for s in outs]
                    ograds = [F.zeros_like(o) if g is None else g
                              for g, o in zip(ograds, outputs)]
                    inputs = [_wrap(vals[s], ctx) for s in ins]
                    for s, g in zip(ins, op.grad_fn(F, inputs, outputs, ograds, **attrs)):
                        if g is not None and s in need:
                            grads[s] = grads[s] + g if s in grads else g
                for s in outs:               # later steps' gradients are done
                    vals[s] = None
