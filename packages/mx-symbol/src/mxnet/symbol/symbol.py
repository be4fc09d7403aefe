"""Symbol: a graph of registry operators, composed lazily and run by an executor."""
import numpy as np

from mxnet.attribute import SPECIAL_KEYS
from mxnet.base import MXNetError, numeric_types, string_types

from . import _json

__all__ = ["Symbol", "var", "Variable", "Group", "load", "load_json", "fromjson"]

_DTYPE_FLAG = {"float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4,
               "int8": 5, "int64": 6, "bool": 7}
_FLAG_DTYPE = {v: k for k, v in _DTYPE_FLAG.items()}


# MXNet 1.9.1 compat: operator keyword arguments that are graph attributes, not operator
# parameters; a call keeps both ``key`` and ``__key__`` (what the optimizer reads)
HIDDEN_KEYS = frozenset(("ctx_group", "lr_mult", "wd_mult", "force_mirroring",
                         "mirror_stage", "profiler_scope"))


class _Node:
    """One operator (or variable, when ``op`` is None) of a graph."""

    __slots__ = ("op", "name", "attrs", "inputs")

    def __init__(self, op, name, attrs, inputs):
        self.op = op                 # OpDef, or None for a variable
        self.name = name
        self.attrs = attrs           # str -> str: op parameters and __user__ attributes
        self.inputs = inputs         # [(_Node, output index)]

    @property
    def is_var(self):
        return self.op is None

    def params(self):
        """Typed operator parameters parsed from the string attributes."""
        return self.op.parse({k: v for k, v in self.attrs.items()
                              if not k.startswith("__") and k not in HIDDEN_KEYS})

    def num_outputs(self):
        return 1 if self.op is None else self.op.num_outputs(self.params())

    def num_visible(self):
        return 1 if self.op is None else self.op.num_visible_outputs(self.params())

    def output_name(self, index):
        if self.op is None:
            return self.name
        names = self.op.output_names
        if callable(names):
            names = names(self.params())
        if names:
            return f"{self.name}_{names[index]}"
        if self.num_outputs() == 1 or self.num_visible() == 1 and index == 0:
            return f"{self.name}_output"
        return f"{self.name}_output{index}"


def _topo(heads):
    """Nodes reachable from ``heads`` in MXNet's DFS post-order (inputs first)."""
    order, seen = [], set()
    for head, _ in heads:
        if id(head) in seen:
            continue
        stack = [(head, iter(head.inputs))]
        seen.add(id(head))
        while stack:
            node, it = stack[-1]
            for child, _ in it:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


class Symbol:
    """A list of graph outputs ``(node, index)``; operators compose new symbols."""

    __slots__ = ("_outputs", "__weakref__")
    __array_priority__ = 1000.0

    def __init__(self, outputs):
        self._outputs = list(outputs)

    # -- structure -----------------------------------------------------------------
    @property
    def name(self):
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].name

    def _nodes(self):
        return _topo(self._outputs)

    def _aux_nodes(self):
        aux = set()
        for node in self._nodes():
            if node.op is not None and (node.op.aux or node.op.aux_filter):
                params = node.params()
                names, aux_names = node.op.input_names(params), node.op.aux_names(params)
                for (child, _), iname in zip(node.inputs, names):
                    if iname in aux_names and child.is_var:
                        aux.add(id(child))
        return aux

    def list_arguments(self):
        aux = self._aux_nodes()
        return [n.name for n in self._nodes() if n.is_var and id(n) not in aux]

    def list_auxiliary_states(self):
        aux = self._aux_nodes()
        return [n.name for n in self._nodes() if n.is_var and id(n) in aux]

    def list_inputs(self):
        return [n.name for n in self._nodes() if n.is_var]

    def list_outputs(self):
        return [node.output_name(i) for node, i in self._outputs]

    def get_internals(self):
        outs = []
        for node in self._nodes():
            outs += [(node, i) for i in range(node.num_visible())]
        return Symbol(outs)

    def as_nd_ndarray(self):
        """Returns self (legacy and numpy symbols convert with this pair)."""
        return self

    def debug_str(self):
        """The graph as text (MXNet's format: outputs, variables, operators)."""
        from ._debug import debug_str
        return debug_str(self)

    def _gen_atomic_symbol(self):
        """A composable symbol of the head operator and its attributes, on new input
        variables (MXNet's ``MXGenAtomicSymbolFromSymbol``)."""
        node = self._outputs[0][0]
        if node.is_var:
            raise MXNetError("_gen_atomic_symbol: the symbol is a variable")
        from ._gen import create
        kwargs = {k: v for k, v in node.attrs.items() if not k.startswith("__")}
        return create(node.op, node.op.name.lower(), [], dict(kwargs, name=node.name))

    def get_children(self):
        node = self._outputs[0][0]
        if node.is_var or not node.inputs:
            return None
        return Symbol(list(node.inputs))

    def __len__(self):
        return len(self._outputs)

    def __iter__(self):
        return (Symbol([o]) for o in self._outputs)

    def __getitem__(self, index):
        if isinstance(index, string_types):
            names = self.list_outputs()
            matches = [i for i, n in enumerate(names) if n == index]
            if not matches:
                raise ValueError(f"There is no output named {index!r}; outputs are {names}")
            if len(matches) > 1:
                raise ValueError(f"There are multiple outputs named {index!r}")
            index = matches[0]
        if isinstance(index, slice):
            return Symbol(self._outputs[index])
        if not -len(self._outputs) <= index < len(self._outputs):
            raise IndexError(f"Symbol has {len(self._outputs)} outputs, index {index}")
        return Symbol([self._outputs[index]])

    def __repr__(self):
        if len(self._outputs) == 1:
            return f"<Symbol {self.name}>"
        return "<Symbol group [" + ", ".join(s.name for s in self) + "]>"

    def __copy__(self):
        return Symbol(self._outputs)

    def __deepcopy__(self, memo):
        return load_json(self.tojson())

    def __reduce__(self):
        return (load_json, (self.tojson(),))

    # -- attributes ----------------------------------------------------------------
    def attr(self, key):
        node = self._outputs[0][0]
        value = node.attrs.get(f"__{key}__", node.attrs.get(key))
        return value

    def list_attr(self, recursive=False):
        if recursive:
            raise DeprecationWarning("Symbol.list_attr with recursive=True has been "
                                     "deprecated. Please use attr_dict instead.")
        return _visible_attrs(self._outputs[0][0].attrs)

    def attr_dict(self):
        return {n.name: _visible_attrs(n.attrs) for n in self._nodes() if n.attrs}

    def _set_attr(self, **kwargs):
        node = self._outputs[0][0]
        for key, value in kwargs.items():
            if not isinstance(value, string_types):
                raise ValueError("Set Attr only accepts string values")
            node.attrs[f"__{key}__" if key in SPECIAL_KEYS else key] = value

    # -- composition ---------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        name = kwargs.pop("name", None)
        out = self._deep_copy()
        out._compose(*args, name=name, **kwargs)
        return out

    def _deep_copy(self):
        mapping = {}
        for node in self._nodes():
            mapping[id(node)] = _Node(node.op, node.name, dict(node.attrs),
                                      [(mapping[id(c)], i) for c, i in node.inputs])
        return Symbol([(mapping[id(n)], i) for n, i in self._outputs])

    def _compose(self, *args, name=None, **kwargs):
        """Replace free variables by symbols: positionally in list_arguments order,
        or by name."""
        if args and kwargs:
            raise TypeError("compose only accept input Symbols either as positional or "
                            "keyword arguments, not both")
        if name is not None and len(self._outputs) == 1:
            self._outputs[0][0].name = name
        args_order = self.list_arguments()
        subst = dict(zip(args_order, args)) if args else dict(kwargs)
        for value in subst.values():
            if not isinstance(value, Symbol) or len(value._outputs) != 1:
                raise TypeError("Compose expects single-output Symbols as inputs")
        for node in self._nodes():
            node.inputs = [(subst[c.name]._outputs[0][0], subst[c.name]._outputs[0][1])
                           if c.is_var and c.name in subst else (c, i)
                           for c, i in node.inputs]
        self._outputs = [(subst[n.name]._outputs[0][0], subst[n.name]._outputs[0][1])
                         if n.is_var and n.name in subst else (n, i)
                         for n, i in self._outputs]

    # -- serialisation -------------------------------------------------------------
    def _graph(self):
        nodes = self._nodes()
        index = {id(n): i for i, n in enumerate(nodes)}
        row, ptr = [0], 0
        for n in nodes:
            ptr += n.num_outputs()
            row.append(ptr)
        return {
            "nodes": [{"op": "null" if n.is_var else n.op.name, "name": n.name,
                       "attrs": n.attrs,
                       "inputs": [(index[id(c)], i, v)
                                  for (c, i), v in zip(n.inputs, _versions(n))]}
                      for n in nodes],
            "arg_nodes": [i for i, n in enumerate(nodes) if n.is_var],
            "node_row_ptr": row,
            "heads": [(index[id(n)], i, 0) for n, i in self._outputs],
        }

    def tojson(self, remove_amp_cast=True):
        return _json.dumps(self._graph())

    def save(self, fname, remove_amp_cast=True):
        import os
        import tempfile
        fname = os.fspath(fname)
        text = self.tojson()
        folder = os.path.dirname(os.path.abspath(fname))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, fname)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    # -- inference -----------------------------------------------------------------
    def infer_shape(self, *args, **kwargs):
        from ._infer import infer_shape
        return infer_shape(self, args, kwargs, partial=False)

    def infer_shape_partial(self, *args, **kwargs):
        from ._infer import infer_shape
        return infer_shape(self, args, kwargs, partial=True)

    def infer_type(self, *args, **kwargs):
        from ._infer import infer_type
        return infer_type(self, args, kwargs)

    def infer_type_partial(self, *args, **kwargs):
        """As ``infer_type``, with ``None`` for the types that cannot be decided."""
        from ._infer import infer_type
        return infer_type(self, args, kwargs, partial=True)

    # -- execution -----------------------------------------------------------------
    def simple_bind(self, ctx, grad_req="write", type_dict=None, stype_dict=None,
                    group2ctx=None, shared_arg_names=None, shared_exec=None,
                    shared_buffer=None, **kwargs):
        from mxnet.executor import simple_bind
        return simple_bind(self, ctx, grad_req, type_dict, shared_exec, shared_buffer,
                           kwargs, group2ctx=group2ctx, stype_dict=stype_dict)

    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None,
             group2ctx=None, shared_exec=None):
        from mxnet.executor import Executor
        return Executor(self, ctx, args, args_grad, grad_req, aux_states)

    def _bind(self, *args, **kwargs):
        return self.bind(*args, **kwargs)

    def eval(self, ctx=None, **kwargs):
        from mxnet.context import current_context
        ctx = ctx or current_context()
        exe = self.bind(ctx, kwargs)
        return exe.forward()

    def gradient(self, wrt):
        from ._grad import gradient_symbol
        return gradient_symbol(self, wrt)

    # -- arithmetic ----------------------------------------------------------------
    def _binary(self, other, array_op, scalar_op, reverse=False):
        from . import _internal
        if isinstance(other, Symbol):
            lhs, rhs = (other, self) if reverse else (self, other)
            return getattr(_internal, array_op)(lhs, rhs)
        if isinstance(other, numeric_types):
            return getattr(_internal, scalar_op)(self, scalar=other)
        raise TypeError(f"type {type(other).__name__} not supported")

    def __add__(self, o):
        return self._binary(o, "_Plus", "_PlusScalar")

    __radd__ = __add__

    def __sub__(self, o):
        return self._binary(o, "_Minus", "_MinusScalar")

    def __rsub__(self, o):
        return self._binary(o, "_Minus", "_RMinusScalar", True)

    def __mul__(self, o):
        return self._binary(o, "_Mul", "_MulScalar")

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self._binary(o, "_Div", "_DivScalar")

    def __rtruediv__(self, o):
        return self._binary(o, "_Div", "_RDivScalar", True)

    __div__, __rdiv__ = __truediv__, __rtruediv__

    def __mod__(self, o):
        return self._binary(o, "_Mod", "_ModScalar")

    def __rmod__(self, o):
        return self._binary(o, "_Mod", "_RModScalar", True)

    def __pow__(self, o):
        return self._binary(o, "_Power", "_PowerScalar")

    def __rpow__(self, o):
        return self._binary(o, "_Power", "_RPowerScalar", True)

    def __neg__(self):
        return self.__mul__(-1.0)

    def __abs__(self):
        from . import abs as _abs
        return _abs(self)

    def __eq__(self, o):
        return self._binary(o, "_equal", "_equal_scalar")

    def __ne__(self, o):
        return self._binary(o, "_not_equal", "_not_equal_scalar")

    def __gt__(self, o):
        return self._binary(o, "_greater", "_greater_scalar")

    def __ge__(self, o):
        return self._binary(o, "_greater_equal", "_greater_equal_scalar")

    def __lt__(self, o):
        return self._binary(o, "_lesser", "_lesser_scalar")

    def __le__(self, o):
        return self._binary(o, "_lesser_equal", "_lesser_equal_scalar")

    def __hash__(self):
        return id(self)

    def __bool__(self):
        # MXNet 1.9.1 compat: a Symbol has no truth value (a graph, not data)
        from mxnet.base import NotImplementedForSymbol
        raise NotImplementedForSymbol(self.__bool__, "bool")

    def reshape(self, *shape, **kwargs):
        from . import Reshape
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = shape[0]
        return Reshape(self, shape=tuple(shape) or kwargs.pop("shape", ()), **kwargs)

    def astype(self, dtype):
        from . import Cast
        return Cast(self, dtype=np.dtype(dtype).name)


def _versions(node):
    """NNVM entry versions: 1 for a variable the operator mutates (an aux state)."""
    if node.op is None or not (node.op.aux or node.op.aux_filter):
        return [0] * len(node.inputs)
    params = node.params()
    names, aux_names = node.op.input_names(params), node.op.aux_names(params)
    return [1 if name in aux_names and child.is_var else 0
            for (child, _), name in zip(node.inputs, names)]


def _visible_attrs(attrs):
    """Attributes as MXNet lists them: ``__key__`` entries also under ``key``."""
    out = {}
    for key, value in attrs.items():
        out[key] = value
        if key.startswith("__") and key.endswith("__") and key[2:-2] in SPECIAL_KEYS:
            out[key[2:-2]] = value
    return out


# building and loading live beside the class; mxnet.symbol.symbol keeps MXNet's names
from ._build import Group, Variable, fromjson, load, load_json, var  # noqa: E402,F401
