"""``convert_symbol`` / ``convert_model``: a float32 graph rewritten for mixed precision
by inserting ``amp_cast`` and ``amp_multicast`` nodes (MXNet's ReducePrecision pass).

The rewrite works on the graph's JSON (the same nodes, inputs and names MXNet saves):

* an operator of the float32 list (or an excluded node, or a conditional one whose
  parameter matches) gets its non-variable inputs cast to float32;
* an operator of the low-precision list gets its inputs cast to float16 (a parameter
  variable is left uncast and marked ``__dtype__`` float16 with
  ``cast_optional_params``); its outputs count as float16;
* an operator of the widest-type list gets one ``amp_multicast`` over its inputs when
  some, not all, of them are float16;
* any other operator whose first (data) input is float16 has float16 outputs;
* a float16 graph output is cast back to float32, so callers still get float32.

A cast of the same tensor to the same type is made once and shared. Cast nodes are
named ``<input node><suffix>_amp_cast_<dtype>`` as in MXNet (the suffix is
``_<output name>`` for an operator's output, empty for a variable).
"""
import json

from ...base import MXNetError

__all__ = ["convert_graph", "convert_block"]

_FLOAT16_FLAG = "2"        # MXNet's dtype flag, as in a variable's __dtype__ attribute


def _suffix(node, index, registry):
    if node["op"] == "null":
        return ""
    op = registry.get(node["op"])
    names = op.output_names
    if names is not None and not callable(names):
        return "_" + names[index]
    if callable(names):
        return "_" + names(op.parse(node.get("attrs", {})))[index]
    count = op.num_outputs(op.parse(node.get("attrs", {})))
    return "_output" if count == 1 else f"_output{index}"


class _Rewriter:
    def __init__(self, graph, lists, data_names, cast_optional_params):
        from ...ndarray import _REGISTRY
        self.old = graph["nodes"]
        self.new = []
        self.mirror = {}                 # old node index -> new node index
        self.cast = {}                   # (old node, output, dtype) -> new entry
        self.low = set()                 # old (node, output) entries that are float16
        self.lists = lists
        self.registry = _REGISTRY
        self.fp16_params = self._fp16_params(set(data_names)) if cast_optional_params \
            else set()

    def _fp16_params(self, data_names):
        """Parameter variables read only by low-precision operators: with
        ``cast_optional_params`` they are stored in float16 instead of cast."""
        readers = {}
        for node in self.old:
            for src, _, _ in node.get("inputs", []):
                readers.setdefault(src, []).append(node)
        return {i for i, node in enumerate(self.old)
                if node["op"] == "null" and node["name"] not in data_names and readers.get(i)
                and all(self.kind(r) == "target" for r in readers[i])}

    def add(self, node):
        self.new.append(node)
        return len(self.new) - 1

    def entry(self, src, out):
        return [self.mirror[src], out, 0]

    def cast_to(self, src, out, dtype):
        key = (src, out, dtype)
        if key not in self.cast:
            name = self.old[src]["name"] + _suffix(self.old[src], out, self.registry)
            node = {"op": "amp_cast", "name": f"{name}_amp_cast_{dtype}",
                    "attrs": {"dtype": dtype}, "inputs": [self.entry(src, out)]}
            self.cast[key] = [self.add(node), 0, 0]
        return self.cast[key]

    def is_var(self, src):
        return self.old[src]["op"] == "null"

    def kind(self, node):
        name, op = node["name"], node["op"]
        attrs = node.get("attrs", {})
        if name in self.lists["excluded"] or op in self.lists["fp32"]:
            return "fp32"
        for cond_op, param, values in self.lists["conditional"]:
            if op == cond_op and attrs.get(param) in values:
                return "fp32"
        if op in self.lists["target"]:
            return "target"
        if op in self.lists["widest"]:
            return "widest"
        return "any"

    def visit(self, index):
        node = dict(self.old[index])
        inputs = node.get("inputs", [])
        if node["op"] == "null":
            self.mirror[index] = self.add(node)
            return
        kind = self.kind(node)
        if kind == "fp32":
            node["inputs"] = [self.cast_to(s, o, "float32") if (s, o) in self.low
                              else self.entry(s, o) for s, o, _ in inputs]
        elif kind == "target":
            node["inputs"] = [self.target_input(s, o) for s, o, _ in inputs]
        elif kind == "widest" and len(inputs) > 1 and \
                any((s, o) in self.low for s, o, _ in inputs) and \
                not all((s, o) in self.low for s, o, _ in inputs):
            first = inputs[0]
            name = self.old[first[0]]["name"] + _suffix(self.old[first[0]], first[1],
                                                        self.registry)
            multi = self.add({"op": "amp_multicast", "name": f"{name}_amp_multicast",
                              "attrs": {"num_outputs": str(len(inputs))},
                              "inputs": [self.entry(s, o) for s, o, _ in inputs]})
            node["inputs"] = [[multi, i, 0] for i in range(len(inputs))]
        else:
            node["inputs"] = [self.entry(s, o) for s, o, _ in inputs]
            # an operator of either precision computes in its data's (first input's) type,
            # unless it names its output type (Cast, amp_cast)
            dtype = node.get("attrs", {}).get("dtype")
            if dtype == "float16" or dtype is None and inputs and \
                    (inputs[0][0], inputs[0][1]) in self.low:
                self.mark_low(index, node)
        if kind == "target":
            self.mark_low(index, node)
        self.mirror[index] = self.add(node)

    def mark_low(self, index, node):
        op = self.registry.get(node["op"])
        for out in range(op.num_outputs(op.parse(node.get("attrs", {})))):
            self.low.add((index, out))

    def target_input(self, src, out):
        if (src, out) in self.low:
            return self.entry(src, out)
        if src in self.fp16_params:
            return self.entry(src, out)
        return self.cast_to(src, out, "float16")

    def finish(self, graph):
        for src in self.fp16_params:
            var = self.new[self.mirror[src]]
            var["attrs"] = dict(var.get("attrs", {}), __dtype__=_FLOAT16_FLAG)
        heads = []
        for src, out, _ in graph["heads"]:
            heads.append(self.cast_to(src, out, "float32") if (src, out) in self.low
                         else self.entry(src, out))
        return {"nodes": self.new,
                "arg_nodes": [i for i, n in enumerate(self.new) if n["op"] == "null"],
                "heads": heads, "attrs": graph.get("attrs", {})}


def convert_graph(sym, lists, data_names, cast_optional_params):
    """The Symbol ``sym`` with cast nodes inserted according to ``lists``."""
    from ...symbol import load_json
    graph = json.loads(sym.tojson())
    rewriter = _Rewriter(graph, lists, data_names, cast_optional_params)
    for index in range(len(graph["nodes"])):
        rewriter.visit(index)
    return load_json(json.dumps(rewriter.finish(graph)))


def convert_block(block, lists, ctx, cast_optional_params):
    """The SymbolBlock of ``amp.convert_hybrid_block``."""
    from ...gluon import HybridBlock, SymbolBlock
    if not isinstance(block, HybridBlock):
        raise MXNetError("amp.convert_hybrid_block: block must be a HybridBlock, got "
                         f"{type(block).__name__}")
    if not getattr(block, "_cached_graph", None):
        raise RuntimeError("Please first call block.hybridize() and then run forward with "
                           "this block at least once before calling export.")
    inputs, graph = block._cached_graph
    converted = convert_graph(graph, lists, [i.name for i in inputs], cast_optional_params)
    attrs = converted.attr_dict()
    values = {}
    for name, param in block.collect_params().items():
        value = param.data() if ctx is None else param.data().as_in_context(ctx)
        if attrs.get(name, {}).get("__dtype__") == _FLOAT16_FLAG:
            value = value.astype("float16")
        values[name] = value
    result = SymbolBlock(converted, inputs)
    for name, param in result.collect_params().items():
        value = values[name]
        if param.dtype != value.dtype:
            param.cast(value.dtype)
        param._load_init(value, value.context)
    return result
