"""Block internals: name scopes, argument flattening and hook handles.

``_flatten``/``_regroup`` keep MXNet's encoding of nested inputs and outputs;
``mxnet.gluon.block`` re-exports them (downstream code imports them from there).
"""
import threading

from .. import name as _name
from ..ndarray import NDArray
from ..symbol import Symbol
from .parameter import ParameterDict


class _BlockScope:
    """Scope collecting child Blocks and handing out prefixes (``dense0_``...)."""

    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def create(prefix, params, hint):
        current = getattr(_BlockScope._current, "value", None)
        if current is None:
            if prefix is None:
                prefix = _name.NameManager._get().get(None, hint) + "_"
            params = ParameterDict(prefix) if params is None else \
                ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = f"{hint}{count}_"
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, "value", None)
        _BlockScope._current.value = self
        self._name_scope = _name.Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, *exc):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(*exc)
        self._name_scope = None
        _BlockScope._current.value = self._old_scope


def _flatten(args, inout_str):
    """Flatten nested lists of arrays/symbols; the format regroups them (MXNet's)."""
    if isinstance(args, NDArray):
        return [args], 0
    if isinstance(args, Symbol):
        length = len(args.list_outputs())
        return [args], length if length > 1 else 0
    if args is None:
        return [None], -1
    if not isinstance(args, (list, tuple)):
        raise ValueError(f"When hybridized, the input of HybridBlock {inout_str} must be "
                         f"(nested) list of Symbol or NDArray, but got {args} of type "
                         f"{type(args)}")
    flat, fmts = [], []
    for item in args:
        arg, fmt = _flatten(item, inout_str)
        flat.extend(arg)
        fmts.append(fmt)
    return flat, fmts


def _regroup(args, fmt):
    def merge(args, fmt):
        if isinstance(fmt, int):
            if fmt < -1:
                raise ValueError(f"Unsupported encoded format {fmt}.")
            if fmt == 0:
                return args[0], args[1:]
            if fmt == -1:
                return None, args[1:]
            return args[:fmt], args[fmt:]
        ret = []
        for f in fmt:
            res, args = merge(args, f)
            ret.append(res)
        return ret, args
    return merge(args, fmt)[0]


class _HookHandle:
    _next = [0]

    def __init__(self, hooks, hook):
        self._hooks = hooks
        self._id = _HookHandle._next[0]
        _HookHandle._next[0] += 1
        hooks[self._id] = hook

    def detach(self):
        self._hooks.pop(self._id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()


def _brief(names):
    names = list(names)
    return ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")


# -- Block.save / Block.load: architecture (cached graphs) plus parameters ------------
def _save_model(block, prefix):
    """Write ``prefix-model.json`` (each block's name, children and cached graph, keyed
    by class name and creation order) and ``prefix-model.params``."""
    import json
    model = {}
    counter = [0]

    def describe(blk, structure):
        entry = {"orig_name": blk.name}
        structure[f"{type(blk).__name__.lower()}{counter[0]}"] = entry
        cached = getattr(blk, "_cached_graph", None)
        if cached is not None:      # a HybridBlock
            entry["hybridized"] = bool(cached)
            if cached:
                syms, out = cached
                entry["in_format"] = blk._in_format
                entry["out_format"] = blk._out_format
                entry["inputs"] = [s.tojson() for s in syms]
                entry["symbol"] = out.tojson()
        children = entry["children"] = {}
        for key, child in blk._children.items():
            counter[0] += 1
            children[child.name] = key
            describe(child, entry)

    describe(block, model)
    with open(prefix + "-model.json", "w") as f:
        json.dump(model, f)
    block.save_parameters(prefix + "-model.params")


def _load_model(block, prefix):
    """Restore what ``_save_model`` wrote into an identically built, fresh ``block``:
    names as saved, cached graphs of hybridized blocks, then the parameters."""
    import json
    from ..symbol import load_json
    with open(prefix + "-model.json") as f:
        model = json.load(f)
    counter = [0]

    def restore(blk, structure):
        entry = structure[f"{type(blk).__name__.lower()}{counter[0]}"]
        blk._name = entry["orig_name"]
        if getattr(blk, "_cached_graph", None) is not None and entry.get("hybridized"):
            blk._in_format = entry["in_format"]
            blk._out_format = entry["out_format"]
            blk._cached_graph = ([load_json(s) for s in entry["inputs"]],
                                 load_json(entry["symbol"]))
            blk._cached_op = None
            blk._active = True
        # re-key the parameters under the restored block name (what the graph uses)
        params = blk.params._params
        for key in list(params):
            params[blk.name + "_" + key[len(blk.params.prefix):]] = params.pop(key)
        for child in blk._children.values():
            counter[0] += 1
            restore(child, entry)
        saved = entry["children"]
        for key in list(blk._children):
            child = blk._children.pop(key)
            blk._children[saved[child.name]] = child

    restore(block, model)
    block.load_parameters(prefix + "-model.params")
