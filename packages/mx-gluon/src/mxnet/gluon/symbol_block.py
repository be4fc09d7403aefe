"""SymbolBlock: a HybridBlock wrapping an existing Symbol (``SymbolBlock.imports``)."""
from .. import symbol
from ..base import MXNetError
from ..ndarray import NDArray
from ..symbol import Symbol
from ._cached_graph import CachedGraph
from .block import HybridBlock, _flatten, _regroup
from .parameter import DeferredInitializationError, ParameterDict

__all__ = ["SymbolBlock"]


class SymbolBlock(HybridBlock):
    """Run ``outputs`` (a Symbol) as a block; its free variables other than ``inputs``
    become Parameters (auxiliary states with ``grad_req='null'``)."""

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        sym = symbol.load(symbol_file)
        if isinstance(input_names, str):
            input_names = [input_names]
        inputs = [symbol.var(name) for name in input_names]
        block = SymbolBlock(sym, inputs)
        if param_file is not None:
            block.collect_params().load(param_file, ctx=ctx, allow_missing=allow_missing,
                                        ignore_extra=ignore_extra, cast_dtype=True,
                                        dtype_source="saved")
        return block

    def __repr__(self):
        return f"SymbolBlock(\n  {self._cached_graph[1]!r}\n)"

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix=None, params=None)
        self._prefix = ""
        self._params = ParameterDict("", params)
        if isinstance(inputs, Symbol) and len(inputs.list_outputs()) == 1:
            inputs = [inputs]
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            outputs = outputs[0]
        syms, self._in_format = _flatten(inputs, "input")
        out, self._out_format = _flatten(outputs, "output")
        out = symbol.Group(out) if len(out) > 1 else out[0]
        input_names = []
        for s in syms:
            if len(s.get_internals().list_outputs()) != 1:
                raise MXNetError(f"Input symbols must be variables, but {s} is an output of "
                                 "operators")
            input_names.append(s.name)
        _check_no_row_sparse(out)
        arg_params = [n for n in out.list_arguments() if n not in input_names]
        aux_params = out.list_auxiliary_states()
        attrs = out.attr_dict()
        for name in arg_params:
            self.params.get(name, allow_deferred_init=True, **_param_kwargs(attrs, name))
        for name in aux_params:
            self.params.get(name, grad_req="null", allow_deferred_init=True,
                            **_param_kwargs(attrs, name))
        self._cached_graph = syms, out
        self._input_names = input_names

    def _build_cache(self, *args):
        params = {p.name: p for p in self.params.values()}
        self._cached_op = CachedGraph(self._cached_graph[1], self._input_names, params)

    def forward(self, x, *args):
        if isinstance(x, NDArray):
            with x.context:
                return self._call_cached_op(x, *args)
        flat, _ = _flatten([x] + list(args), "input")
        out = self._cached_graph[1]
        out = out(**dict(zip(self._input_names, flat)))
        return _regroup(list(out), self._out_format)

    def _call_cached_op(self, *args):
        if self._cached_op is None:
            self._build_cache(*args)
        flat, _ = _flatten(args, "input")
        ctx = flat[0].context
        try:
            outs = self._cached_op(ctx, flat)
        except DeferredInitializationError:
            self._deferred_infer_shape(*args)
            for param in self.params.values():
                param._finish_deferred_init()
            outs = self._cached_op(ctx, flat)
        return _regroup(outs, self._out_format)

    def _clear_cached_op(self):
        graph = getattr(self, "_cached_graph", ())
        super()._clear_cached_op()
        self._cached_graph = graph

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)


def _param_kwargs(attrs, name):
    import ast
    attr = attrs.get(name, {})
    kwargs = {}
    if "__shape__" in attr:
        shape = tuple(ast.literal_eval(attr["__shape__"]))
        kwargs["shape"] = shape
    if "__lr_mult__" in attr:
        kwargs["lr_mult"] = float(attr["__lr_mult__"])
    if "__wd_mult__" in attr:
        kwargs["wd_mult"] = float(attr["__wd_mult__"])
    return kwargs


def _check_no_row_sparse(out):
    """SymbolBlock runs as a cached graph, which has no row_sparse weight support."""
    for node in out.get_internals():
        # MXNet 1.9.1 compat: "1" is the row_sparse storage id in the var's attributes
        if node.attr("__storage_type__") == "1":
            raise AssertionError(f"SymbolBlock doesn't support Parameter '{node.name}' "
                                 "because its storage type is 'row_sparse'.")
