"""Variables, groups and loading (re-exported by ``mxnet.symbol.symbol``)."""
import numpy as np

from mxnet.base import MXNetError, string_types
from mxnet.plugins import get_registry

from . import _json
from .symbol import _DTYPE_FLAG, Symbol, _Node


def var(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
        stype=None, profiler_scope=None, **kwargs):
    """A free variable (an argument of the graph)."""
    from mxnet.attribute import AttrScope
    if not isinstance(name, string_types):
        raise TypeError("Expect a string for variable `name`")
    attrs = AttrScope._get().get(attr)
    if shape is not None:
        # MXNet 1.9.1 compat: an int shape is kept as written ("1" reads as (1,))
        attrs["__shape__"] = str(shape if isinstance(shape, int) else tuple(shape))
    if lr_mult is not None:
        attrs["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        attrs["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        attrs["__dtype__"] = str(_DTYPE_FLAG[np.dtype(dtype).name])
    if init is not None:
        attrs["__init__"] = init if isinstance(init, string_types) else init.dumps()
    if stype is not None:
        attrs["__storage_type__"] = str({"default": 0, "row_sparse": 1, "csr": 2}[stype])
    for key, value in kwargs.items():
        if key.startswith("__") and key.endswith("__"):
            attrs[key] = str(value)
        else:
            raise ValueError(f"Attribute name={key} is not supported. Additional "
                             "attributes must start and end with double underscores, "
                             "e.g, __yourattr__")
    return Symbol([(_Node(None, name, attrs, []), 0)])


Variable = var


def Group(symbols):
    """One symbol whose outputs are the outputs of ``symbols``, in order."""
    if not symbols or any(not isinstance(s, Symbol) for s in symbols):
        raise TypeError("Expected a list of symbols as input")
    outs = []
    for s in symbols:
        outs += s._outputs
    return Symbol(outs)


def load_json(json_str, source="<json string>"):
    graph = _json.loads(json_str, source)
    registry = get_registry("ops")
    nodes = []
    for spec in graph["nodes"]:
        op = None
        if spec["op"] != "null":
            if spec["op"] not in registry:
                raise MXNetError(f"{source}: node {spec['name']!r} uses operator "
                                 f"{spec['op']!r}, which is not registered")
            op = registry.get(spec["op"])
        inputs = [(nodes[i], j) for i, j in spec["inputs"]]
        if op is not None:
            added = _missing_inputs(op, spec)
            if added:
                from ._gen import _VAR_INIT
                table = _VAR_INIT.get(op.name) or {}
                for k, (var, _) in enumerate(inputs + added):
                    if k >= len(inputs) and k in table:
                        var.attrs["__init__"] = table[k]
                inputs += added
        nodes.append(_Node(op, spec["name"], spec["attrs"], inputs))
    return Symbol([(nodes[i], j) for i, j in graph["heads"]])


def _missing_inputs(op, spec):
    """Variables for inputs an old file lacks (MXNet 0.8 BatchNorm had no moving
    statistics), named ``<node>_<input>`` as MXNet's upgrade names them."""
    try:
        names = op.input_names(op.parse({k: v for k, v in spec["attrs"].items()
                                         if k in op.params}))
    except MXNetError:
        return []
    missing = names[len(spec["inputs"]):]
    if not missing or op.varargs is not None or op.input_filter is not None:
        return []
    # MXNet's upgrade gives them the operator node's attributes
    return [(_Node(None, f"{spec['name']}_{n}", dict(spec["attrs"]), []), 0)
            for n in missing]


fromjson = load_json


def load(fname):
    """Load a ``-symbol.json`` file."""
    import os
    fname = os.fspath(fname)
    try:
        with open(fname, encoding="utf-8") as f:
            text = f.read()
    except OSError as err:
        raise MXNetError(f"Cannot read symbol file {fname}: {err}") from None
    return load_json(text, source=fname)
