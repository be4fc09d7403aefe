"""Block, HybridBlock and SymbolBlock: Gluon's building blocks (MXNet 1.x semantics)."""
import re
import warnings
from collections import OrderedDict

from .. import ndarray, symbol
from ..ndarray import NDArray
from ..symbol import Symbol
from ._cached_graph import CachedGraph
from ._block_utils import _BlockScope, _brief, _flatten, _HookHandle, _regroup  # noqa: F401
from ._block_utils import _load_model, _save_model
from .parameter import DeferredInitializationError, Parameter, ParameterDict

__all__ = ["Block", "HybridBlock", "SymbolBlock"]


class Block:
    """Base class of all layers and models; children and Parameters register by attribute."""

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ""
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith("_") else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def __repr__(self):
        lines = [f"{type(self).__name__}("]
        for key, block in self._children.items():
            text = repr(block).replace("\n", "\n  ")
            lines.append(f"  ({key}): {text}")
        return "\n".join(lines) + "\n)" if len(lines) > 1 else lines[0] + ")"

    def __setattr__(self, name, value):
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError(f"Changing attribute type for {name} from {type(existing)} "
                                f"to {type(value)} is not allowed.")
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            if name in self._reg_params and self._reg_params[name] is not value:
                raise ValueError(f"Overriding Parameter attribute {name} is not allowed. If "
                                 "you want to share parameters between blocks, please set "
                                 "'params' at Block construction instead.")
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _alias(self):
        return type(self).__name__.lower()

    @property
    def prefix(self):
        return self._prefix

    @property
    def name(self):
        return self._name

    @property
    def params(self):
        return self._params

    def name_scope(self):
        return self._scope

    def collect_params(self, select=None):
        """This block's and its children's Parameters, optionally filtered by regex."""
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        if not select:
            ret.update(self.params)
        else:
            pattern = re.compile(select)
            ret.update({k: v for k, v in self.params.items() if pattern.match(k)})
        for child in self._children.values():
            ret.update(child.collect_params(select=select))
        return ret

    def _check_container_with_block(self):
        # Blocks kept in a plain list/tuple/dict attribute are not registered children:
        # their Parameters would be silently missed, so say so (as MXNet does)
        children = set(self._children.values())

        def unregistered(data):
            if isinstance(data, (list, tuple)):
                return any(unregistered(e) for e in data)
            if isinstance(data, dict):
                return any(unregistered(v) for v in data.values())
            return isinstance(data, Block) and data not in children

        for key, value in self.__dict__.items():
            if isinstance(value, (list, tuple, dict)) and not (
                    key.startswith("__") or key == "_children") and unregistered(value):
                warnings.warn(f'"{type(self).__name__}.{key}" is an unregistered container '
                              "with Blocks. Note that Blocks inside the list, tuple or dict "
                              "will not be registered automatically. Make sure to register "
                              "them using register_child() or switching to "
                              "nn.Sequential/nn.HybridSequential instead. ", stacklevel=3)

    def _collect_params_with_prefix(self, prefix=""):
        if prefix:
            prefix += "."
        ret = {prefix + key: value for key, value in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def save_parameters(self, filename, deduplicate=False):
        """Save Parameters under structural names (``features.0.weight``)."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            seen = {}
            for key, value in list(params.items()):
                if id(value) in seen:
                    del params[key]
                seen.setdefault(id(value), key)
        ndarray.save(filename, {key: val._reduce() for key, val in params.items()})

    def save_params(self, filename):
        warnings.warn("save_params is deprecated. Please use save_parameters.",
                      DeprecationWarning, stacklevel=2)
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source="current"):
        """Load Parameters saved by ``save_parameters`` (or by the legacy ``save_params``)."""
        loaded = ndarray.load(filename)
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any("." in key for key in loaded):
            self.collect_params().load(filename, ctx, allow_missing, ignore_extra,
                                       self.prefix, cast_dtype=cast_dtype,
                                       dtype_source=dtype_source)
            return
        if not allow_missing:
            # a Parameter shared under several names is saved once (deduplicate=True)
            names_of = {}
            for name, param in params.items():
                names_of.setdefault(id(param), []).append(name)
            for name, param in params.items():
                if not any(n in loaded for n in names_of[id(param)]):
                    raise AssertionError(
                        f"Parameter '{name}' is missing in file '{filename}', which contains "
                        f"parameters: {_brief(loaded)}. Set allow_missing=True to ignore "
                        "missing parameters.")
        for name, value in loaded.items():
            if name not in params:
                if not ignore_extra:
                    raise ValueError(
                        f"Parameter '{name}' loaded from file '{filename}' is not present in "
                        f"ParameterDict, which contains parameters {_brief(params)}. Set "
                        "ignore_extra=True to ignore. ")
                continue
            params[name]._load_init(value, ctx, cast_dtype=cast_dtype,
                                    dtype_source=dtype_source)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        warnings.warn("load_params is deprecated. Please use load_parameters.",
                      DeprecationWarning, stacklevel=2)
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def save(self, prefix):
        """Save the architecture (hybridized graphs) and Parameters under ``prefix``."""
        _save_model(self, prefix)

    def load(self, prefix):
        """Reload what ``save`` wrote into an identically constructed Block."""
        _load_model(self, prefix)

    def register_child(self, block, name=None):
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        handle = _HookHandle(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook):
        return _HookHandle(self._forward_hooks, hook)

    def apply(self, fn):
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False):
        from .. import initializer
        init = initializer.Uniform() if init is None else init
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype):
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def zero_grad(self):
        self.collect_params().zero_grad()

    def reset_ctx(self, ctx):
        self.collect_params().reset_ctx(ctx)

    def __call__(self, *args):
        for hook in list(self._forward_pre_hooks.values()):
            hook(self, args)
        out = self.forward(*args)
        for hook in list(self._forward_hooks.values()):
            hook(self, args, out)
        return out

    def forward(self, *args):
        raise NotImplementedError

    def summary(self, *inputs):
        from ._summary import summary
        summary(self, inputs)


class HybridBlock(Block):
    """A Block whose ``hybrid_forward(F, x, ...)`` runs with F = nd, or traced with F = sym."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._cached_graph = ()
        self._cached_op = None
        self._out_format = None
        self._in_format = None
        self._active = False
        self._flags = []

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if isinstance(value, HybridBlock):
            self._clear_cached_op()

    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError(f"Children of HybridBlock must also be HybridBlock, but "
                             f"{block} has type {type(block)}. If you are using Sequential, "
                             "please try HybridSequential instead.")
        super().register_child(block, name)
        self._clear_cached_op()

    def hybridize(self, active=True, **kwargs):
        self._active = active
        self._flags = list(kwargs.items())
        self._clear_cached_op()
        super().hybridize(active, **kwargs)

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    def _clear_cached_op(self):
        self._cached_graph = ()
        self._cached_op = None

    def _get_graph(self, *args):
        if not self._cached_graph:
            flat, self._in_format = _flatten(args, "input")
            if len(flat) > 1:
                inputs = [symbol.var(f"data{i}") if a is not None else None
                          for i, a in enumerate(flat)]
            else:
                inputs = [symbol.var("data")]
            grouped = _regroup(inputs, self._in_format)
            params = {k: v.var() for k, v in self._reg_params.items()}
            with self.name_scope():
                out = self.hybrid_forward(symbol, *grouped, **params)
            out, self._out_format = _flatten(out, "output")
            self._cached_graph = inputs, symbol.Group(out) if len(out) > 1 else out[0]
        return self._cached_graph

    def _build_cache(self, *args):
        inputs, out = self._get_graph(*args)
        # keyed like the dict (Block.load re-keys Parameters to the saved graph's names)
        params = dict(self.collect_params().items())
        self._cached_op = CachedGraph(out, [i.name for i in inputs if i is not None], params)

    def _deferred_infer_shape(self, *args):
        try:
            self.infer_shape(*args)
        except Exception as err:
            raise ValueError(f"Deferred initialization failed because shape cannot be "
                             f"inferred. {err}") from err

    def _infer_attrs(self, infer_fn, attr, *args):
        inputs, out = self._get_graph(*args)
        flat, _ = _flatten(args, "input")
        given = {i.name: getattr(a, attr) for i, a in zip(inputs, flat) if i is not None}
        arg_attrs, _, aux_attrs = getattr(out, infer_fn)(**given)
        if arg_attrs is None:
            raise ValueError(f"{infer_fn} could not infer every {attr} from inputs {given}")
        found = dict(zip(out.list_arguments(), arg_attrs))
        found.update(zip(out.list_auxiliary_states(), aux_attrs))
        for param in self.collect_params().values():
            if param.name in found:
                setattr(param, attr, found[param.name])

    def infer_shape(self, *args):
        self._infer_attrs("infer_shape", "shape", *args)

    def infer_type(self, *args):
        self._infer_attrs("infer_type", "dtype", *args)

    def _call_cached_op(self, *args):
        if self._cached_op is None:
            self._build_cache(*args)
        flat, fmt = _flatten(args, "input")
        if fmt != self._in_format:
            raise ValueError("Invalid input format: the hybridized block was traced with "
                             f"{self._in_format}, called with {fmt}")
        ctx = next(a.context for a in flat if a is not None)
        try:
            outs = self._cached_op(ctx, [a for a in flat if a is not None])
        except DeferredInitializationError:
            self._deferred_infer_shape(*args)
            for param in self.collect_params().values():
                param._finish_deferred_init()
            outs = self._cached_op(ctx, [a for a in flat if a is not None])
        return _regroup(outs, self._out_format)

    def forward(self, x, *args):
        """Run with NDArrays (through the cached graph when hybridized) or compose with
        Symbols; inputs may be nested lists/tuples of either, not a mix of both."""
        if type(x) is NDArray and not args:           # the common case, kept short
            has_symbol, has_ndarray, contexts, ctx = False, True, (x.context,), x.context
        else:
            has_symbol, has_ndarray, contexts, ctx = _gather_type_ctx_info([x, *args])
        if has_symbol and has_ndarray:
            raise ValueError("In HybridBlock, we do not support mixed NDArrays and Symbols "
                             "types for the input. Please check the type of the args.\n")
        if not has_symbol and not has_ndarray:
            raise ValueError("In HybridBlock, there must be one NDArray or one Symbol in "
                             "the input. Please check the type of the args.\n")
        if has_ndarray:
            with ctx:
                if self._active:
                    if len(contexts) > 1:
                        raise ValueError("Find multiple contexts in the input, After "
                                         "hybridized, the HybridBlock only supports one "
                                         "input context. You can print the ele.ctx in the "
                                         "input arguments to inspect their contexts. Find "
                                         f"all contexts = {set(contexts)}")
                    return self._call_cached_op(x, *args)
                try:
                    params = {k: v.data(ctx) for k, v in self._reg_params.items()}
                except DeferredInitializationError:
                    self._deferred_infer_shape(x, *args)
                    for param in self._reg_params.values():
                        param._finish_deferred_init()
                    params = {k: v.data(ctx) for k, v in self._reg_params.items()}
                return self.hybrid_forward(ndarray, x, *args, **params)
        params = {k: v.var() for k, v in self._reg_params.items()}
        with self.name_scope():
            return self.hybrid_forward(symbol, x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` (``arg:``/``aux:`` keys)."""
        if not self._cached_graph:
            raise RuntimeError("Please first call block.hybridize() and then run forward "
                               "with this block at least once before calling export.")
        sym = self._cached_graph[1]
        sym.save(f"{path}-symbol.json", remove_amp_cast=remove_amp_cast)
        arg_names = set(sym.list_arguments())
        aux_names = set(sym.list_auxiliary_states())
        arg_dict = {}
        for name, param in self.collect_params().items():
            if name in arg_names:
                arg_dict[f"arg:{name}"] = param._reduce()
            elif name in aux_names:
                arg_dict[f"aux:{name}"] = param._reduce()
        ndarray.save("%s-%04d.params" % (path, epoch), arg_dict)
        return f"{path}-symbol.json", "%s-%04d.params" % (path, epoch)


from .symbol_block import SymbolBlock  # noqa: E402


def _gather_type_ctx_info(args):
    """(has Symbol, has NDArray, set of contexts, first context) of nested inputs."""
    if isinstance(args, NDArray):
        return False, True, {args.context}, args.context
    if isinstance(args, Symbol):
        return True, False, set(), None
    has_symbol = has_ndarray = False
    contexts, first = set(), None
    if isinstance(args, (list, tuple)):
        for item in args:
            sym, arr, ctxs, ctx = _gather_type_ctx_info(item)
            has_symbol, has_ndarray = has_symbol or sym, has_ndarray or arr
            contexts |= ctxs
            first = first if first is not None else ctx
    return has_symbol, has_ndarray, contexts, first
