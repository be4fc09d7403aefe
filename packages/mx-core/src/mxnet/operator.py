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
from .base import MXNetError

__all__ = ["CustomOp", "CustomOpProp", "register"]

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

