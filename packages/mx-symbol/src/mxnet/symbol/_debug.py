"""``Symbol.debug_str``: MXNet's text dump of a graph (outputs, then each node)."""

__all__ = ["debug_str"]


def debug_str(sym):
    lines = []
    heads = sym._outputs
    if not (len(heads) == 1 and heads[0][0].is_var):
        lines.append("Symbol Outputs:")
        lines += [f"\toutput[{k}]={node.name}({i})" for k, (node, i) in enumerate(heads)]
    for node in sym._nodes():
        if node.is_var:
            lines.append(f"Variable:{node.name}")
            continue
        lines += ["--------------------", f"Op:{node.op.name}, Name={node.name}", "Inputs:"]
        for j, (child, i) in enumerate(node.inputs):
            version = " version=0" if child.is_var else ""
            lines.append(f"\targ[{j}]={child.name}({i}){version}")
        attrs = sorted((k, v) for k, v in node.attrs.items() if not k.startswith("__"))
        if attrs:
            lines.append("Attrs:")
            lines += [f"\t{k}={v}" for k, v in attrs]
    return "\n".join(lines) + "\n"
