"""The imperative hot path: front-end call -> kernel -> NDArray -> tape.

Everything here runs once per operator call; keep it short and measure it
(``bench/dispatch.py``) after any change.
"""
from . import _pending_errors as _pending
from ._pending_errors import PENDING as _PENDING
from .autograd import STATE, Node
from .base import KernelError, MXNetError
from .context import Context, current_context

__all__ = ["invoke", "call_op"]

# Set by mxnet.ndarray.ndarray (NDArray's fast constructor); a module global so the
# hot path needs no import and no attribute lookup.
_wrap = None
_NDArray = None       # set by mxnet.ndarray.ndarray (the class is defined after this module)


def invoke(op, inputs, attrs, out=None, ctx=None, all_outputs=False):
    """Run ``op`` on NDArray ``inputs`` with parsed ``attrs``; returns its visible outputs
    (every output, as a list, with ``all_outputs``: the executor's view)."""
    if inputs:
        ctx = inputs[0]._ctx
        for x in inputs:
            if x._ctx is not ctx and x._ctx != ctx and not _both_host(x._ctx, ctx):
                raise MXNetError(f"Operator {op.name}: all inputs must be on one device, "
                                 f"got {ctx} and {x._ctx}")
    elif ctx is None:
        ctx = current_context()
    backend = ctx._backend or ctx.backend
    fwd = op.kernels.get(backend.name, op.forward)
    if op.needs_train or op.needs_rng:
        kwargs = dict(attrs)
        if op.needs_train:
            kwargs["is_train"] = STATE.training
        if op.needs_rng:
            kwargs["rng"] = backend.rng(ctx.device_id)
    else:
        kwargs = attrs
    pending = _PENDING and _pending.first_error(inputs)   # an input's kernel failed
    try:
        res = fwd(backend.xp, *[x._data for x in inputs], **kwargs)
    except KernelError as err:
        res = _pending.placeholders(op, inputs, attrs, backend.xp, err)
        pending = err
    except (ValueError, TypeError, IndexError, MXNetError) as err:
        if pending:     # computing on a failed input's stand-in data: keep its error
            res = _pending.placeholders(op, inputs, attrs, backend.xp, pending)
        elif isinstance(err, MXNetError):
            raise
        else:
            raise MXNetError(f"Operator {op.name}: {err} (input shapes "
                             f"{[x.shape for x in inputs]})") from err
    if type(res) is tuple or type(res) is list:
        outs = [_wrap(r, ctx) for r in res]
        datas = tuple(res)
    else:
        outs = [_wrap(res, ctx)]
        datas = (res,)
    if pending and not _pending.mark(datas, pending):
        raise pending
    if STATE.recording and op.grad_fn is not None:
        for x in inputs:
            if x._node is not None:
                node = Node(op, attrs, tuple(inputs), datas, ctx, op.grad_fn)
                for i, o in enumerate(outs):
                    o._node = node
                    o._index = i
                break
    if all_outputs:
        return outs
    nvis = op._visible_outputs
    if nvis is not None:
        outs = outs[:nvis(attrs) if callable(nvis) else nvis]
    if out is not None:
        return _assign_out(op, outs, out)
    return outs[0] if len(outs) == 1 else outs


def _both_host(a, b):
    # MXNet 1.9.1 compat: cpu(0), cpu(1)... are one host memory and mix freely
    return a.device_type in _HOST and b.device_type in _HOST


_HOST = ("cpu", "cpu_pinned", "cpu_shared")


def _assign_out(op, outs, out):
    targets = out if isinstance(out, (list, tuple)) else [out]
    if len(targets) != len(outs):
        raise MXNetError(f"Operator {op.name}: out= has {len(targets)} arrays for "
                         f"{len(outs)} outputs")
    for t, o in zip(targets, outs):
        if t.shape != o.shape:
            raise MXNetError(f"Operator {op.name}: out= has shape {t.shape}, the result "
                             f"has shape {o.shape}")
        if STATE.recording:
            check_inplace_write(t, o._node is not None and any(t is x for x in o._node.inputs))
        t._data[...] = o._data
        if _PENDING:
            _pending.copy_error(o._data, t._data)
        if o._node is not None or STATE.recording:
            # outside record() a write keeps the target's autograd entry (a marked
            # variable updated by sgd_update(w, g, out=w) stays marked), as in MXNet
            t._node, t._index = o._node, o._index
    return out


def check_inplace_write(target, target_is_recorded_input):
    """MXNet refuses, while recording, writes into an array already in the graph and
    in-place operators whose output is also a recorded input."""
    if target._node is not None:
        raise MXNetError(
            "Assigning to NDArrays that are already in a computational graph will cause "
            "undefined behavior when evaluating gradients. Please call backward first to "
            "clear the graph or do this out side of a record section. Also note that you "
            "cannot use inplace operations like +=, *=, relu(x, out=x), y[idx]=x, etc "
            "inside a record section.")
    if target_is_recorded_input:
        raise MXNetError("Inplace operations (+=, -=, x[:]=, etc) are not supported when "
                         "recording with autograd.")


def _as_context(value):
    if value is None or isinstance(value, Context):
        return value
    text = str(value)
    if "(" in text:
        dev, idx = text.rstrip(")").split("(")
        return Context(dev, int(idx))
    return Context(text, 0)


def call_op(op, args, kwargs):
    """Front-end call: split ``args``/``kwargs`` into inputs and parameters, invoke."""
    NDArray = _NDArray
    if not kwargs and op.fast_arity == len(args):
        # the common case: only array inputs, every parameter at its default
        for value in args:
            if not isinstance(value, NDArray):
                break
        else:
            return invoke(op, args, op.default_attrs)
    out = kwargs.pop("out", None)
    kwargs.pop("name", None)
    if op.varargs is not None:
        inputs = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) \
            else list(args)
        if op.varargs not in kwargs:
            kwargs[op.varargs] = len(inputs)
        attrs = op.parse(kwargs)
    else:
        names = op.inputs
        given = {}
        n_pos = 0
        for n_pos, value in enumerate(args):
            if n_pos < len(names) and (isinstance(value, NDArray) or value is None):
                given[names[n_pos]] = value
            else:
                break
        else:
            n_pos = len(args)
        rest = args[n_pos:]
        if rest:
            order = [p for p in op.param_order if p not in kwargs]
            if len(rest) > len(order):
                raise MXNetError(f"Operator {op.name} takes at most "
                                 f"{len(names) + len(op.param_order)} positional "
                                 f"arguments, got {len(args)}")
            for key, value in zip(order, rest):
                kwargs[key] = value
        for key in list(kwargs):
            if key in names:
                given[key] = kwargs.pop(key)
        ctx = _as_context(kwargs.pop("ctx", None)) if "ctx" not in op.params else None
        attrs = op.parse(kwargs)
        if "ctx" in attrs:
            ctx = attrs["ctx"] = _as_context(attrs["ctx"])
        inputs = []
        for name in op.input_names(attrs):
            value = given.get(name)
            if value is None:
                raise MXNetError(f"Operator {op.name}: required input {name!r} is missing")
            if not isinstance(value, NDArray):
                raise MXNetError(f"Operator {op.name}: input {name!r} must be an NDArray, "
                                 f"got {type(value).__name__}")
            inputs.append(value)
        return invoke(op, inputs, attrs, out, ctx)
    for i, x in enumerate(inputs):
        if not isinstance(x, NDArray):
            raise MXNetError(f"Operator {op.name}: input {i} must be an NDArray, got "
                             f"{type(x).__name__}")
    return invoke(op, inputs, attrs, out)
