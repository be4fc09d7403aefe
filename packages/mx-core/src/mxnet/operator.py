"""MXNet's CustomOp API: operators written in Python with NDArrays.

Subclass :class:`CustomOpProp` (what the operator takes and returns) and
:class:`CustomOp` (its forward and backward), register the property class with
:func:`register`, then call it as ``mx.nd.Custom(*data, op_type=name, **kwargs)``
(or ``mx.sym.Custom``). As in MXNet, every keyword argument reaches the property's
``__init__`` as a string. Example::

    class Sigmoid(mx.operator.CustomOp):
        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], 1 / (1 + mx.nd.exp(-in_data[0])))

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            y = out_data[0]
            self.assign(in_grad[0], req[0], out_grad[0] * y * (1 - y))

    @mx.operator.register("sigmoid")
    class SigmoidProp(mx.operator.CustomOpProp):
        def create_operator(self, ctx, in_shapes, in_dtypes):
            return Sigmoid()

The machinery that runs them is the ``Custom`` operator
(``mxnet._ops.defs.custom``).
"""
import collections

from .base import MXNetError

__all__ = ["CustomOp", "CustomOpProp", "register", "PythonOp", "NumpyOp", "NDArrayOp",
           "OperatorArguments", "get_operator_arguments", "get_all_registered_operators"]

# op_type -> CustomOpProp subclass
_REGISTRY = {}


class CustomOp:
    """Base class of a custom operator's computation."""

    def __init__(self):
        pass

    def forward(self, is_train, req, in_data, out_data, aux):
        """Compute ``out_data`` from ``in_data`` (lists of NDArrays).

        ``req`` holds one of 'null', 'write', 'inplace', 'add' per output; write
        results with :meth:`assign`. ``aux`` are the auxiliary states, which may be
        updated in place.
        """
        raise NotImplementedError("CustomOp.forward must be overridden")

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        """Compute ``in_grad`` from ``out_grad`` (and the forward's data)."""
        raise NotImplementedError("CustomOp.backward must be overridden")

    def assign(self, dst, req, src):
        """Store ``src`` into ``dst`` as ``req`` says ('null', 'write', 'inplace',
        'add')."""
        if req == "null":
            return
        if req in ("write", "inplace"):
            dst[:] = src
        elif req == "add":
            dst[:] += src
        else:
            raise MXNetError(f"CustomOp.assign: unknown req {req!r}; expected null, "
                             "write, inplace or add")


class CustomOpProp:
    """Base class of a custom operator's properties: its inputs, outputs, shapes,
    types, backward dependencies, and the factory of its :class:`CustomOp`.

    Parameters
    ----------
    need_top_grad : bool
        Whether the backward needs the output gradients (False for loss layers).
    """

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def infer_shape(self, in_shape):
        """``(arg shapes, output shapes, aux shapes)`` from the input shapes; by
        default every output has the first input's shape."""
        return in_shape, (in_shape[0],) * len(self.list_outputs()), ()

    def infer_type(self, in_type):
        """``(arg types, output types, aux types)``; by default the first input's."""
        return (in_type, [in_type[0]] * len(self.list_outputs()),
                [in_type[0]] * len(self.list_auxiliary_states()))

    def infer_storage_type(self, in_stype):
        """Storage types: only 'default' (dense) is supported by the default."""
        for i, stype in enumerate(in_stype):
            if stype != "default":
                raise MXNetError(f"Custom operator: input {i} has storage type {stype!r}; "
                                 "override infer_storage_type to support it")
        return (in_stype, ["default"] * len(self.list_outputs()),
                ["default"] * len(self.list_auxiliary_states()))

    def infer_storage_type_backward(self, ograd_stype, in_stype, out_stype, igrad_stype,
                                    aux_stype):
        """Storage types of the backward's arrays: all 'default'."""
        return (["default"] * len(ograd_stype), ["default"] * len(in_stype),
                ["default"] * len(out_stype), ["default"] * len(igrad_stype),
                ["default"] * len(aux_stype))

    def list_outputs(self):
        """Output names (default ``['output']``)."""
        return ["output"]

    def list_arguments(self):
        """Input names (default ``['data']``)."""
        return ["data"]

    def list_auxiliary_states(self):
        """Auxiliary state names (default none)."""
        return []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        """The arrays the backward reads (all of them by default)."""
        deps = []
        if self.need_top_grad_:
            deps.extend(out_grad)
        deps.extend(in_data)
        deps.extend(out_data)
        return deps

    def create_operator(self, ctx, in_shapes, in_dtypes):
        """Return the :class:`CustomOp` that computes this operator."""
        return CustomOp()


def register(reg_name):
    """Class decorator: register a :class:`CustomOpProp` subclass as ``reg_name``."""
    def do_register(prop_cls):
        if not (isinstance(prop_cls, type) and issubclass(prop_cls, CustomOpProp)):
            raise MXNetError(f"mx.operator.register({reg_name!r}): expected a "
                             f"CustomOpProp subclass, got {prop_cls!r}")
        _REGISTRY[reg_name] = prop_cls
        return prop_cls
    return do_register



# -- MXNet's older Python operator API (PythonOp / NumpyOp / NDArrayOp) ------------------
# MXNet 1.9.1 compat: these deprecated classes still build symbols; here each instance is
# run through the Custom operator under a private op_type.
class PythonOp:
    """Base class of the legacy Python operators (use :class:`CustomOp` in new code).

    Subclasses override ``forward(in_data, out_data)``, ``backward(out_grad, in_data,
    out_data, in_grad)``, ``infer_shape``, ``list_arguments`` and ``list_outputs``, then
    call the instance (or :meth:`get_symbol`) on symbols.
    """

    _as_numpy = True

    def __init__(self, need_top_grad=True):
        self.info_ = None
        self.need_top_grad_ = need_top_grad

    def __call__(self, *args, **kwargs):
        return self.get_symbol(*args, **kwargs)

    def get_symbol(self, *args, **kwargs):
        """A symbol running this operator on the symbols ``args``."""
        from . import symbol  # noqa: PLC0415  (mx-symbol is optional for mx-core)
        op_type = f"_legacy_python_op_{id(self)}"
        if op_type not in _REGISTRY:
            _REGISTRY[op_type] = _legacy_prop(self)
        return symbol.Custom(*args, op_type=op_type, **kwargs)

    def forward(self, in_data, out_data):
        """Fill ``out_data`` from ``in_data`` (identity by default)."""
        out_data[0][:] = in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        """Fill ``in_grad`` (identity gradient by default)."""
        in_grad[0][:] = out_grad[0]

    def infer_shape(self, in_shape):
        """``(argument shapes, output shapes)``."""
        return in_shape, [in_shape[0]]

    def list_outputs(self):
        return ["output"]

    def list_arguments(self):
        return ["data"]

    def need_top_grad(self):
        return self.need_top_grad_


class NumpyOp(PythonOp):
    """Legacy Python operator computing on NumPy arrays, written in place."""


class NDArrayOp(PythonOp):
    """Legacy Python operator computing on NDArrays, written in place."""

    _as_numpy = False

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        deps = list(out_grad) if self.need_top_grad_ else []
        return deps + list(in_data) + list(out_data)


class _LegacyRunner(CustomOp):
    """Runs a PythonOp's forward/backward through the CustomOp protocol."""

    def __init__(self, op):
        super().__init__()
        self._op = op

    def _wrap(self, arrays):
        if self._op._as_numpy:
            return [a.asnumpy() for a in arrays]
        return [a.copy() for a in arrays]

    def _store(self, dsts, reqs, srcs):
        from .ndarray import array  # noqa: PLC0415
        for dst, req, src in zip(dsts, reqs, srcs):
            self.assign(dst, req, array(src, dtype=dst.dtype) if self._op._as_numpy else src)

    def forward(self, is_train, req, in_data, out_data, aux):
        outs = self._wrap(out_data)
        self._op.forward(in_data=self._wrap(in_data), out_data=outs)
        self._store(out_data, req, outs)

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        grads = self._wrap(in_grad)
        self._op.backward(out_grad=self._wrap(out_grad), in_data=self._wrap(in_data),
                          out_data=self._wrap(out_data), in_grad=grads)
        self._store(in_grad, req, grads)


def _legacy_prop(op):
    """A CustomOpProp class describing the legacy operator ``op``."""
    class _Prop(CustomOpProp):
        def __init__(self):
            super().__init__(need_top_grad=op.need_top_grad())

        def list_arguments(self):
            return op.list_arguments()

        def list_outputs(self):
            return op.list_outputs()

        def infer_shape(self, in_shape):
            shapes = op.infer_shape(in_shape)
            return shapes[0], shapes[1], ()

        def create_operator(self, ctx, in_shapes, in_dtypes):
            return _LegacyRunner(op)
    return _Prop


# -- operator introspection (MXNet's MXListAllOpNames / MXSymbolGetAtomicSymbolInfo) -----
OperatorArguments = collections.namedtuple("OperatorArguments", ["narg", "names", "types"])


def get_all_registered_operators():
    """Names of every registered operator, aliases included."""
    from .plugins._manager import get_registry  # noqa: PLC0415
    return get_registry("ops").names()


def _type_string(param):
    """MXNet's description of a parameter's type ("int, required", ...)."""
    from ._ops import params as P  # noqa: PLC0415
    inner = param.inner if isinstance(param, P.Optional) else param
    if isinstance(inner, P.Enum):
        kind = "{" + ", ".join(repr(c) for c in sorted(inner.choices, key=str)) + "}"
    else:
        kind = {P.Int: "int", P.Float: "float", P.Bool: "boolean", P.Str: "string",
                P.Shape: "Shape(tuple)", P.FloatTuple: "tuple of <float>",
                P.DType: "int"}.get(type(inner), "any")
    if isinstance(param, P.Optional):
        kind += " or None"
    if param.required:
        return kind + ", required"
    default = param.default
    shown = int(default) if isinstance(default, bool) else default
    return f"{kind}, optional, default={shown!r}" if isinstance(default, str) else \
        f"{kind}, optional, default={shown}"


def get_operator_arguments(op_name):
    """``OperatorArguments(narg, names, types)`` of a registered operator: its inputs
    (type 'NDArray-or-Symbol', or 'NDArray-or-Symbol[]' for a variable count) then its
    parameters."""
    from .plugins._manager import get_registry  # noqa: PLC0415
    op = get_registry("ops").get(op_name)
    if op.varargs:
        names, types = [op.inputs[0]], ["NDArray-or-Symbol[]"]
    else:
        names, types = list(op.inputs), ["NDArray-or-Symbol"] * len(op.inputs)
    for name in op.param_order:
        names.append(name)
        types.append(_type_string(op.params[name]))
    return OperatorArguments(len(names), names, types)
