"""``-symbol.json`` in MXNet 1.9.1's layout (dmlc's JSON writer), and its reader.

The writer reproduces MXNet's bytes: 2-space indents, ``", "`` before each line
break, arrays of more than ten entries one per line, attributes sorted by key.
The reader also accepts older files (``param``/``attr`` spellings of MXNet 0.x/1.x).
"""
import json

from mxnet.base import MXNetError

MXNET_VERSION = 10901


def _s(text):
    return json.dumps(text, ensure_ascii=False)


def _array(items, indent, multi_line=None):
    if multi_line is None:
        multi_line = len(items) > 10
    if not items:
        return "[]"
    if not multi_line:
        return "[" + ", ".join(items) + "]"
    pad = " " * (indent + 2)
    return "[" + ", ".join("\n" + pad + it for it in items) + "\n" + " " * indent + "]"


def _object(pairs, indent, multi_line=True):
    if not pairs:
        return "{}"
    if not multi_line:
        return "{" + ", ".join(f"{_s(k)}: {v}" for k, v in pairs) + "}"
    pad = " " * (indent + 2)
    body = ", ".join("\n" + pad + f"{_s(k)}: {v}" for k, v in pairs)
    return "{" + body + "\n" + " " * indent + "}"


def _entry(e):
    return "[" + ", ".join(str(int(v)) for v in e) + "]"


def _graph_attrs():
    from mxnet.util import is_np_shape
    attrs = [("mxnet_version", '["int", %d]' % MXNET_VERSION)]
    if is_np_shape():       # 0 in the shapes below is a real (zero-size) dimension
        attrs.insert(0, ("is_np_shape", '["int", 1]'))
    return attrs


def _legacy_shape(text):
    """A pre-numpy-shape ``__shape__`` read under np_shape: its 0 dims are unknown."""
    import ast
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(value, int):
        value = (value,)
    if not isinstance(value, tuple) or 0 not in value:
        return text
    return str(tuple(-1 if d == 0 else d for d in value))


def _upgrade_000800(node, attrs):
    """MXNet 0.8 attributes as 0.9+ reads them: ``x`` also as ``__x__``, and a variable
    ``<name>_<suffix>`` takes ``<suffix>_lr_mult``/``_wd_mult`` as its own."""
    from .symbol import HIDDEN_KEYS
    old = node.get("attr") if isinstance(node.get("attr"), dict) else {}
    params = node.get("param") if isinstance(node.get("param"), dict) else {}
    for key, value in old.items():
        if not key.startswith("__"):
            attrs.setdefault(f"__{key}__", str(value))
            if key not in HIDDEN_KEYS and key not in params:
                attrs.pop(key, None)        # an attribute, not an operator parameter
    if node["op"] == "null":
        suffix = node["name"].rsplit("_", 1)[-1]
        for mult in ("lr_mult", "wd_mult"):
            if f"{suffix}_{mult}" in old:
                attrs[f"__{mult}__"] = str(old[f"{suffix}_{mult}"])


def dumps(graph):
    """Serialise ``graph`` = dict(nodes, arg_nodes, node_row_ptr, heads) like MXNet."""
    node_texts = []
    for node in graph["nodes"]:
        pairs = [("op", _s(node["op"])), ("name", _s(node["name"]))]
        if node.get("attrs"):
            attrs = sorted(node["attrs"].items())
            pairs.append(("attrs", _object([(k, _s(v)) for k, v in attrs], 6,
                                           multi_line=len(attrs) > 1)))
        pairs.append(("inputs", _array([_entry(e) for e in node["inputs"]], 6)))
        node_texts.append(_object(pairs, 4))
    top = [
        ("nodes", _array(node_texts, 2, multi_line=True)),
        ("arg_nodes", _array([str(i) for i in graph["arg_nodes"]], 2)),
        ("node_row_ptr", _array([str(i) for i in graph["node_row_ptr"]], 2)),
        ("heads", _array([_entry(e) for e in graph["heads"]], 2)),
        ("attrs", _object(_graph_attrs(), 2, False)),
    ]
    return _object(top, 0)


def loads(text, source="<json>"):
    """Parse a symbol file into the same dict layout, normalising old spellings."""
    try:
        graph = json.loads(text)
    except ValueError as err:
        raise MXNetError(f"{source}: not a valid symbol JSON file ({err})") from None
    if not isinstance(graph, dict) or "nodes" not in graph or "heads" not in graph:
        raise MXNetError(f"{source}: not a symbol file (no 'nodes'/'heads')")
    from mxnet.util import is_np_shape
    flags = graph.get("attrs") if isinstance(graph.get("attrs"), dict) else {}
    legacy = is_np_shape() and "is_np_shape" not in flags
    pre_090 = "mxnet_version" not in flags          # MXNet 0.8 files carry no version
    nodes = []
    for i, node in enumerate(graph["nodes"]):
        if not isinstance(node, dict) or "op" not in node or "name" not in node:
            raise MXNetError(f"{source}: node {i} is malformed")
        attrs = {}
        for key in ("param", "attr", "attrs"):     # 0.x wrote param/attr, 1.x attrs
            if isinstance(node.get(key), dict):
                attrs.update({str(k): str(v) for k, v in node[key].items()})
        inputs = []
        for e in node.get("inputs", []):
            if not (isinstance(e, list) and len(e) >= 2 and 0 <= int(e[0]) < i):
                raise MXNetError(f"{source}: node {i} ({node['name']}) has a bad input "
                                 f"entry {e!r}")
            inputs.append((int(e[0]), int(e[1])))
        if pre_090:
            _upgrade_000800(node, attrs)
        if legacy and "__shape__" in attrs:
            attrs["__shape__"] = _legacy_shape(attrs["__shape__"])
        nodes.append({"op": node["op"], "name": node["name"], "attrs": attrs,
                      "inputs": inputs})
    heads = []
    for e in graph["heads"]:
        if not (isinstance(e, list) and len(e) >= 2 and 0 <= int(e[0]) < len(nodes)):
            raise MXNetError(f"{source}: bad head entry {e!r}")
        heads.append((int(e[0]), int(e[1])))
    return {"nodes": nodes, "heads": heads}
