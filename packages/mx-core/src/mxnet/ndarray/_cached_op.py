"""``mx.nd.CachedOp``: a Symbol run imperatively, input arrays in ``list_inputs`` order."""
from .. import _dispatch
from ..base import MXNetError

__all__ = ["CachedOp"]


class CachedOp:
    """Run ``sym`` on NDArrays; each call goes through the operator dispatcher, so
    autograd records it like imperative code."""

    def __init__(self, sym, flags=()):
        self._sym = sym
        self._flags = dict(flags)
        self._vars = []          # (node key) per graph input, list_inputs order
        self._plan = []          # (op, attrs, input keys, node id) in topological order
        for node in sym._nodes():
            if node.is_var:
                self._vars.append((id(node), 0))
            else:
                self._plan.append((node.op, node.params(),
                                   [(id(c), i) for c, i in node.inputs], id(node)))
        self._outputs = [(id(n), i) for n, i in sym._outputs]

    def __call__(self, *args, **kwargs):
        out = kwargs.pop("out", None)
        ctx = kwargs.pop("default_ctx", None)
        if kwargs:
            raise TypeError(f"CachedOp got unexpected keyword arguments {sorted(kwargs)}")
        if len(args) != len(self._vars):
            raise MXNetError(f"CachedOp: expected {len(self._vars)} inputs "
                             f"({self._sym.list_inputs()}), got {len(args)}")
        values = dict(zip(self._vars, args))
        for op, attrs, in_keys, nid in self._plan:
            outs = _dispatch.invoke(op, [values[k] for k in in_keys], attrs,
                                    ctx=ctx, all_outputs=True)
            for i, res in enumerate(outs):
                values[(nid, i)] = res
        results = [values[k] for k in self._outputs]
        if out is not None:
            targets = out if isinstance(out, (list, tuple)) else [out]
            for t, r in zip(targets, results):
                r.copyto(t)
            return out
        return results[0] if len(results) == 1 else results
