"""The operator registry: one declaration per operator, read by every front-end.

An :class:`OpDef` carries MXNet's operator name, its inputs (and which are
auxiliary states), its typed parameters, shape/dtype rules, the forward computation
written against an array namespace ``xp`` and the gradient written with operators
(``F`` is ``mxnet.ndarray`` or ``mxnet.symbol``), so it differentiates again.
Backends may attach their own kernel per operator name (:meth:`OpRegistry.add_kernel`).
"""
import inspect
import sys

from ..base import MXNetError
from .params import REQUIRED, Param

__all__ = ["OpDef", "OpRegistry", "register", "DECLARED"]

# Operators declared by mx-core's own ``defs`` modules, in declaration order; mx-core's
# built-in plugin adds them to the registry exactly as a third-party plugin would.
DECLARED = []

_PREFIX_NAMESPACES = (("_contrib_", "contrib"), ("_linalg_", "linalg"),
                      ("_random_", "random"), ("_sample_", "random"),
                      ("_image_", "image"), ("_sparse_", "sparse"))


def namespace_of(name):
    """Front-end namespace and short name MXNet derives from an operator name."""
    for prefix, namespace in _PREFIX_NAMESPACES:
        if name.startswith(prefix):
            return namespace, name[len(prefix):]
    if name.startswith("_"):
        return "_internal", name
    return "", name


class OpDef:
    """The declaration of one operator.

    Parameters
    ----------
    name : str
        MXNet's operator name (``"Convolution"``, ``"_plus_scalar"``).
    forward : callable
        ``forward(xp, *arrays, **params)`` returning an array or a tuple of arrays.
        It may also accept ``is_train`` (training mode) and ``rng`` (the device's
        random generator) as keyword arguments; the dispatcher passes them when the
        signature names them.
    inputs : sequence of str
        Every input name in MXNet's positional order (auxiliary states included).
    input_filter : callable or None
        ``f(attrs) -> names``: the inputs actually taken for given parameters
        (FullyConnected without ``bias`` when ``no_bias``).
    params : sequence of Param
        Typed parameter specs, in MXNet's order.
    num_outputs : int or callable
        All outputs the forward returns (``f(params)`` when it depends on them).
    visible_outputs : int or callable or None
        How many of them the front-end returns (default: all).
    aux : sequence of str
        Input names that are auxiliary states (updated in place, no gradient).
    varargs : str or None
        The parameter counting a variable number of inputs (``"num_args"``).
    shape, dtype : callable or None
        ``rule(attrs, in_shapes) -> (in_shapes, out_shapes)``; same for dtypes.
    aliases : sequence of str
        Other MXNet names of the same operator.
    any_params : bool
        Keep parameters not in ``params`` as MXNet strings instead of rejecting them
        (``Custom`` passes arbitrary keyword arguments to the user's operator).
    """

    def __init__(self, name, forward, inputs=("data",), params=(), num_outputs=1,
                 input_filter=None,
                 visible_outputs=None, aux=(), varargs=None, shape=None, dtype=None,
                 aliases=(), doc=None, differentiable=True, output_names=None,
                 source=None, any_params=False):
        self.name = name
        self.forward = forward
        self.inputs = tuple(inputs)
        self.input_filter = input_filter
        self.params = {p.name: p for p in params}
        self.param_order = tuple(p.name for p in params)
        self._num_outputs = num_outputs
        self._visible_outputs = visible_outputs
        # aux: names, or f(attrs) -> names where they depend on the parameters (Custom)
        self.aux_filter = aux if callable(aux) else None
        self.aux = () if callable(aux) else tuple(aux)
        self.varargs = varargs
        self.shape_rule = shape
        self.dtype_rule = dtype
        self.aliases = tuple(aliases)
        self.doc = inspect.cleandoc(doc or forward.__doc__ or "")
        self.differentiable = differentiable
        self.output_names = output_names
        self.grad_fn = None
        self.kernels = {}
        self.source = source
        self.any_params = any_params
        sig = inspect.signature(forward).parameters
        self.needs_train = "is_train" in sig
        self.needs_rng = "rng" in sig
        self._defaults = {k: p.default for k, p in self.params.items()
                          if p.default is not REQUIRED}
        self._required = tuple(k for k, p in self.params.items() if p.default is REQUIRED)
        # front-ends skip argument parsing when a call passes exactly the array inputs
        simple = varargs is None and input_filter is None and not self._required \
            and not any_params and "ctx" not in self.params
        self.fast_arity = len(self.inputs) if simple else -1
        self.default_attrs = self._defaults

    def __repr__(self):
        return f"<OpDef {self.name}>"

    # -- declaration helpers -------------------------------------------------------
    def gradient(self, fn):
        """Decorator: ``fn(F, inputs, outputs, ograds, **params) -> grads per input``."""
        self.grad_fn = fn
        return fn

    # -- queries -------------------------------------------------------------------
    def aux_names(self, attrs):
        """Names of the inputs that are auxiliary states for these parameters."""
        return tuple(self.aux_filter(attrs)) if self.aux_filter else self.aux

    def input_names(self, attrs):
        if self.input_filter is not None:        # wins over varargs (Custom)
            return tuple(self.input_filter(attrs))
        if self.varargs is not None:
            prefix = self.inputs[0] if self.inputs else "arg"
            return tuple(f"{prefix}{i}" for i in range(attrs[self.varargs]))
        return self.inputs

    def num_outputs(self, attrs):
        n = self._num_outputs
        return n(attrs) if callable(n) else n

    def num_visible_outputs(self, attrs):
        n = self._visible_outputs
        if n is None:
            return self.num_outputs(attrs)
        return n(attrs) if callable(n) else n

    def parse(self, kwargs):
        """Full, typed parameter dict from user kwargs (Python values or strings)."""
        attrs = dict(self._defaults)
        params = self.params
        for key, value in kwargs.items():
            spec = params.get(key)
            if spec is None:
                if key.startswith("__"):       # symbol attributes such as __layout__
                    continue
                if self.any_params:
                    attrs[key] = value if isinstance(value, str) else str(value)
                    continue
                if not params:
                    # MXNet 1.9.1 compat: operators without a parameter struct (the
                    # broadcast_* family...) accept and ignore any keyword argument
                    continue
                raise MXNetError(
                    f"Operator {self.name} got an unexpected argument {key!r}; "
                    f"its arguments are {', '.join(self.param_order) or 'none'}")
            attrs[key] = spec.parse(value, self.name)
        for key in self._required:
            if key not in attrs:
                raise MXNetError(f"Required parameter {key} of operator {self.name} "
                                 "is missing")
        return attrs

    def attrs_to_strings(self, attrs):
        """MXNet's string form of each given parameter (for ``-symbol.json``)."""
        return {k: self.params[k].to_str(v) if k in self.params else str(v)
                for k, v in attrs.items()}

    def kernel(self, backend_name):
        return self.kernels.get(backend_name, self.forward)


class OpRegistry:
    """Operators by name (and alias), filled through ``mxnet_register_ops``."""

    def __init__(self):
        self._ops = {}
        self._listeners = []

    def add(self, op, _depth=1):
        """Add an :class:`OpDef`; a name already taken raises naming both sources."""
        if op.source is None:
            op.source = sys._getframe(_depth).f_globals.get("__name__", "?")
        for name in (op.name,) + op.aliases:
            old = self._ops.get(name)
            if old is not None and old is not op:
                raise MXNetError(
                    f"Operator {name!r} is registered twice: by {_dist_of(old.source)} "
                    f"({old.source}) and by {_dist_of(op.source)} ({op.source})")
        for name in (op.name,) + op.aliases:
            self._ops[name] = op
        for listener in self._listeners:
            listener(op)
        return op

    def register(self, name, **kwargs):
        """Decorator form of :meth:`add`: ``@registry.register("myop", inputs=[...])``."""
        def deco(fn):
            return self.add(OpDef(name, fn, **kwargs), _depth=2)
        return deco

    def add_kernel(self, op_name, backend, fn):
        """Use ``fn(xp, *arrays, **params)`` for ``op_name`` on ``backend``."""
        self.get(op_name).kernels[backend] = fn

    def get(self, name):
        try:
            return self._ops[name]
        except KeyError:
            raise MXNetError(f"Operator {name!r} is not registered") from None

    def __contains__(self, name):
        return name in self._ops

    def names(self):
        """Every registered name, aliases included."""
        return list(self._ops)

    def ops(self):
        """Each OpDef once."""
        seen, out = set(), []
        for op in self._ops.values():
            if id(op) not in seen:
                seen.add(id(op))
                out.append(op)
        return out

    def on_add(self, listener):
        """Call ``listener(op)`` for each operator added from now on (front-ends)."""
        self._listeners.append(listener)


def _dist_of(module_name):
    """The distribution that ships ``module_name`` (for error messages)."""
    try:
        from importlib.metadata import packages_distributions
        top = module_name.split(".")[0]
        dists = packages_distributions().get(top, [])
        if top == "mxnet" and len(dists) > 1:
            # every API package shares the namespace; name the one owning the module
            sub = module_name.split(".")[1] if "." in module_name else ""
            owner = {"gluon": "mx-gluon", "symbol": "mx-symbol", "kvstore": "mx-kvstore",
                     "onnx": "mx-onnx"}.get(sub, "mx-core")
            return owner
        return dists[0] if dists else top
    except Exception:  # pragma: no cover - metadata is best effort in messages
        return module_name


def register(name, **kwargs):
    """Declare one of mx-core's own operators (collected in :data:`DECLARED`)."""
    def deco(fn):
        op = OpDef(name, fn, source=fn.__module__, **kwargs)
        DECLARED.append(op)
        return op
    return deco


def param_list(*params):
    for p in params:
        if not isinstance(p, Param):
            raise TypeError(f"{p!r} is not a Param")
    return params
