"""Array allocation for executors: ``simple_bind`` (shapes/dtypes/storage/contexts
inferred from the given input shapes), ``reshape``'s shared views, and the byte count
``debug_str`` reports."""
import numpy as np

from .base import MXNetError
from .ndarray import zeros
from .ndarray.ndarray import _wrap

__all__ = ["simple_bind"]


def _resized(arr, shape, allow_up_sizing, name):
    """``arr`` itself, a view of its first elements in ``shape``, or a new array."""
    shape = tuple(shape)
    if shape == arr.shape:
        return arr
    size = int(np.prod(shape))
    if size > int(np.prod(arr.shape)) or arr.stype != "default":
        if size > int(np.prod(arr.shape)) and not allow_up_sizing:
            raise MXNetError(
                f"reshape: new shape of arg:{name} {shape} is larger than the original "
                f"{arr.shape}. First making a big executor and then down sizing it is more "
                "efficient than the reverse. If you really want to up size, set "
                "allow_up_sizing=True to enable allocation of new arrays.")
        return zeros(shape, ctx=arr.context, dtype=arr.dtype, stype=arr.stype)
    return _wrap(arr._data.reshape(-1)[:size].reshape(shape), arr._ctx)


def _entry_bytes(exe):
    """Bytes of every operator output of the forward graph, and of the backward graph
    when gradients are bound (what MXNet's executor allocates, before memory reuse)."""
    from .symbol import _infer
    from .symbol.passes.backward import training_symbol
    sym = exe._symbol
    shapes = {n: a.shape for n, a in zip(exe._arg_names + exe._aux_names,
                                         exe.arg_arrays + exe.aux_arrays)}
    wrt = [n for n, r in zip(exe._arg_names, exe._grad_req) if r != "null"]
    if wrt:
        try:
            combined, heads, _ = training_symbol(sym, wrt)
        except MXNetError:
            combined, heads = sym, []
        outs = sym.infer_shape_partial(**shapes)[1]
        shapes.update({h: s for h, s in zip(heads, outs) if h is not None})
        sym = combined
        inputs = set(sym.list_inputs())
        shapes = {n: s for n, s in shapes.items() if n in inputs}
    values = _infer._propagate(sym, _infer._seed(sym, None, shapes, "__shape__",
                                                 _infer._parse_shape),
                               _infer._shape_rule, True)
    n_fwd = len(exe._symbol._outputs)
    into_grads = {(id(n), i) for n, i in sym._outputs[n_fwd:]}   # the bound grad arrays
    total = 0
    for node in sym._nodes():
        if node.is_var or node.op.name in _IN_PLACE:
            continue
        for i in range(node.num_outputs()):
            shape = values.get((id(node), i))
            if shape and (id(node), i) not in into_grads:
                total += 4 * int(np.prod(shape))
    return total


# operators MXNet runs in place on their input (no memory of their own)
_IN_PLACE = frozenset(("BlockGrad", "_copy", "identity", "MakeLoss", "Reshape", "Flatten",
                       "expand_dims", "_identity_with_attr_like_rhs"))


def _group_contexts(symbol, ctx, group2ctx):
    """Context of every argument/auxiliary name: its ``ctx_group``'s, else ``ctx``."""
    if not group2ctx:
        return {}
    res = {}
    for name, attrs in symbol.attr_dict().items():
        group = attrs.get("__ctx_group__")
        if group is not None and group in group2ctx:
            res[name] = group2ctx[group]
    return res


def _storage_types(symbol, stype_dict):
    """Storage type of each variable: ``stype_dict``, else its ``stype`` attribute."""
    names = {"0": "default", "1": "row_sparse", "2": "csr"}
    res = {}
    for name, attrs in symbol.attr_dict().items():
        if "__storage_type__" in attrs:
            res[name] = names.get(attrs["__storage_type__"], "default")
    res.update(stype_dict or {})
    return res


def simple_bind(symbol, ctx, grad_req, type_dict, shared_exec, shared_buffer, shapes,
                group2ctx=None, stype_dict=None):
    """Infer every shape/dtype from the given input shapes and allocate the arrays.

    Arrays of the same name and shape in ``shared_exec`` are reused (parameters shared
    between bucketing executors); variables of a ``ctx_group`` named in ``group2ctx``
    live on that group's context.
    """
    # MXNet 1.9.1 compat: only tuple/list keyword arguments are shapes; others are ignored
    shapes = {k: v for k, v in shapes.items() if isinstance(v, (tuple, list))}
    # MXNet 1.9.1 compat: shapes and types of names the symbol lacks are ignored here
    inputs = set(symbol.list_inputs())
    shapes = {k: v for k, v in shapes.items() if k in inputs}
    type_dict = {k: v for k, v in (type_dict or {}).items() if k in inputs}
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        partial = symbol.infer_shape_partial(**shapes)
        missing = [n for n, s in zip(symbol.list_arguments(), partial[0]) if not s]
        raise MXNetError(f"simple_bind: cannot infer the shapes of {missing} from "
                         f"{shapes}")
    arg_types, _, aux_types = symbol.infer_type(**(type_dict or {}))
    if arg_types is None:
        arg_types = [np.float32] * len(arg_shapes)
        aux_types = [np.float32] * len(aux_shapes)
    names = symbol.list_arguments()
    where = _group_contexts(symbol, ctx, group2ctx)
    shared = shared_exec.arg_dict if shared_exec is not None else {}
    shared_grads = shared_exec.grad_dict if shared_exec is not None else {}
    if isinstance(grad_req, str):
        reqs = {n: grad_req for n in names}
    elif isinstance(grad_req, dict):
        reqs = {n: grad_req.get(n, "null") for n in names}
    else:
        reqs = dict(zip(names, grad_req))
    total = 0

    stypes = _storage_types(symbol, stype_dict)

    def alloc(old, name, shape, dtype, grad=False):
        nonlocal total
        if old is not None and old.shape == tuple(shape):
            return old
        stype = "default" if grad else stypes.get(name, "default")
        arr = zeros(shape, ctx=where.get(name, ctx), dtype=dtype, stype=stype)
        total += int(np.prod(shape)) * np.dtype(dtype).itemsize
        return arr
    args, grads = [], []
    for name, shape, dtype in zip(names, arg_shapes, arg_types):
        args.append(alloc(shared.get(name), name, shape, dtype))
        if reqs.get(name, "null") == "null":
            grads.append(None)
        else:
            grads.append(alloc(shared_grads.get(name), name, shape, dtype, grad=True))
    aux = []
    shared_aux = shared_exec.aux_dict if shared_exec is not None else {}
    for name, shape, dtype in zip(symbol.list_auxiliary_states(), aux_shapes, aux_types):
        aux.append(alloc(shared_aux.get(name), name, shape, dtype))
    from .executor import Executor
    exe = Executor(symbol, ctx, args, grads, [reqs.get(n, "null") for n in names], aux)
    exe._total_bytes = total
    return exe
