"""The ``Custom`` operator: runs a Python operator registered with
``mx.operator.register`` (MXNet's ``src/operator/custom/custom.cc``).

Its inputs, outputs, shapes and dtypes come from the registered ``CustomOpProp``;
every keyword argument other than ``op_type`` reaches the property as a string. The
forward wraps the arrays as NDArrays and calls the user's ``CustomOp.forward``; the
operator instance it used is kept (weakly, with the first output) so that the
gradient calls the same instance's ``backward``, as MXNet does.
"""
import contextlib
import weakref

import numpy as np      # dtype names <-> types for the user's infer_type, not compute

from ...base import MXNetError
from ..params import Str
from ..registry import register

# MXNet's dtype flags, as CustomOpProp.create_operator receives them
_FLAGS = {"float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4, "int8": 5,
          "int64": 6, "bool": 7}
# Generic varargs front-ends count the inputs into this attribute; Custom has none.
_COUNT = "num_args"
_PROPS = {}
_STATES = {}


def _prop(attrs):
    """The (cached) CustomOpProp instance for these attributes."""
    from ... import operator
    op_type = attrs["op_type"]
    cls = operator._REGISTRY.get(op_type)
    if cls is None:
        raise MXNetError(f"Operator Custom: no custom operator is registered as "
                         f"{op_type!r}; registered: {sorted(operator._REGISTRY)}")
    kwargs = {k: v for k, v in attrs.items() if k not in ("op_type", _COUNT)}
    key = (op_type, cls, tuple(sorted(kwargs.items())))
    prop = _PROPS.get(key)
    if prop is None:
        prop = _PROPS[key] = cls(**kwargs)
    return prop


def _input_names(attrs):
    prop = _prop(attrs)
    return list(prop.list_arguments()) + list(prop.list_auxiliary_states())


def _aux_names(attrs):
    return list(_prop(attrs).list_auxiliary_states())


def _num_outputs(attrs):
    return len(_prop(attrs).list_outputs())


def _output_names(attrs):
    return list(_prop(attrs).list_outputs())


def _split3(res, what):
    """MXNet accepts (args, outs) or (args, outs, aux) from infer_shape/infer_type."""
    res = list(res)
    if len(res) == 2:
        res.append([])
    if len(res) != 3:
        raise MXNetError(f"Operator Custom: {what} must return (in, out[, aux]), got "
                         f"{len(res)} items")
    return [list(r) for r in res]


def _merge(old, new):
    """Known values of ``new`` over ``old`` (a prop may leave aux states out)."""
    new = list(new) + [None] * (len(old) - len(new))
    return [o if n is None else n for o, n in zip(old, new)]


def _shape_rule(attrs, in_shapes):
    """The prop's infer_shape; unknown shapes reach it as ``[]``, as in MXNet, so
    that it can fill them (a label's shape from the data's)."""
    prop = _prop(attrs)
    n_out = len(prop.list_outputs())
    n_args = len(prop.list_arguments())
    ins = [[] if s is None else list(s) for s in in_shapes[:n_args]]
    try:
        args, outs, aux = _split3(prop.infer_shape(ins), "infer_shape")
    except (IndexError, TypeError, ValueError):
        if all(s is not None for s in in_shapes):
            raise
        return in_shapes, [None] * n_out      # not enough known yet
    known = (lambda s: tuple(s) if s is not None and len(s) else None)
    new_ins = _merge(in_shapes, [known(s) for s in args + aux])
    return new_ins, [known(s) for s in outs]


def _dtype_rule(attrs, in_dtypes):
    """The prop's infer_type; unknown types reach it as None, as in MXNet."""
    prop = _prop(attrs)
    n_args = len(prop.list_arguments())
    ins = [None if d is None else np.dtype(d).type for d in in_dtypes[:n_args]]
    try:
        args, outs, aux = _split3(prop.infer_type(ins), "infer_type")
    except (IndexError, TypeError, ValueError):
        if all(d is not None for d in in_dtypes):
            raise
        return in_dtypes, [None] * len(prop.list_outputs())
    name = (lambda d: None if d is None else np.dtype(d).name)
    new_ins = _merge(in_dtypes, [name(d) for d in args + aux])
    return new_ins, [name(d) for d in outs]


def _context_of(xp, arrays):
    """The Context of raw backend arrays (the backend serving ``xp``)."""
    from ...context import Context, cpu
    from ...plugins._manager import get_registry
    backends = get_registry("backends")
    for name in backends.names():
        if backends.get(name).xp is xp:
            dev = getattr(getattr(arrays[0], "device", None), "id", 0) if arrays else 0
            return Context(name, dev if isinstance(dev, int) else 0)
    return cpu()


@register("Custom", inputs=("data",), params=(Str("op_type"),), varargs=_COUNT,
          any_params=True, input_filter=_input_names, num_outputs=_num_outputs,
          aux=_aux_names,
          output_names=_output_names,
          shape=_shape_rule, dtype=_dtype_rule)
def custom(xp, *data, is_train, **attrs):
    """Apply a custom operator registered with ``mx.operator.register``: ``op_type``
    names it, every other keyword argument is passed (as a string) to its
    ``CustomOpProp``."""
    from ... import autograd
    from ...ndarray.ndarray import _wrap
    prop = _prop(attrs)
    n_args = len(prop.list_arguments())
    n_aux = len(prop.list_auxiliary_states())
    if len(data) != n_args + n_aux:
        raise MXNetError(f"Operator Custom ({attrs['op_type']}): expected "
                         f"{n_args} inputs and {n_aux} auxiliary states, got "
                         f"{len(data)} arrays")
    ctx = _context_of(xp, data)
    in_shapes = [tuple(d.shape) for d in data]
    _, out_shapes = _shape_rule(attrs, in_shapes)
    _, out_dtypes = _dtype_rule(attrs, [d.dtype.name for d in data])
    op = prop.create_operator(ctx, [list(s) for s in in_shapes],
                              [_FLAGS.get(d.dtype.name, -1) for d in data])
    in_data = [_wrap(d, ctx) for d in data[:n_args]]
    aux = [_wrap(d, ctx) for d in data[n_args:]]      # written in place by the user
    out_data = [_wrap(xp.zeros(s, dtype=t), ctx) for s, t in zip(out_shapes, out_dtypes)]
    with autograd.pause(train_mode=is_train), _user_code(attrs["op_type"], "forward"):
        op.forward(is_train=is_train, req=["write"] * len(out_data), in_data=in_data,
                   out_data=out_data, aux=aux)
    outs = tuple(o._data for o in out_data)
    if outs:
        _remember(outs[0], (op, n_args))
    return outs if len(outs) != 1 else outs[0]


@contextlib.contextmanager
def _user_code(op_type, what):
    """MXNet reports any exception of the user's Python code as an MXNetError."""
    try:
        yield
    except MXNetError:
        raise
    except Exception as err:    # noqa: BLE001  (whatever the user's code raised)
        raise MXNetError(f"Custom operator {op_type!r}: {what} raised "
                         f"{type(err).__name__}: {err}") from err


def _remember(array, state):
    key = id(array)
    _STATES[key] = state
    weakref.finalize(array, _STATES.pop, key, None)


@custom.gradient
def _(F, inputs, outputs, ograds, **attrs):
    # the user's CustomOp.backward computes d(inputs) from d(outputs)
    from ... import autograd
    from ...ndarray.ndarray import _wrap
    state = _STATES.get(id(outputs[0]._data))
    if state is None:
        raise MXNetError(f"Operator Custom ({attrs['op_type']}): the forward state "
                         "is gone; cannot run backward")
    op, n_args = state
    plain = [_wrap(x._data, x._ctx) for x in inputs]
    in_data, aux = plain[:n_args], plain[n_args:]
    out_data = [_wrap(o._data, o._ctx) for o in outputs]
    out_grad = [_wrap(g._data, g._ctx) for g in ograds]
    in_grad = [F.zeros(x.shape, ctx=x.context, dtype=x.dtype) for x in in_data]
    with autograd.pause(train_mode=autograd.is_training()), \
            _user_code(attrs.get("op_type", "?"), "backward"):
        op.backward(req=["write"] * n_args, out_grad=out_grad, in_data=in_data,
                    out_data=out_data, in_grad=in_grad, aux=aux)
    return in_grad + [None] * len(aux)
