"""Backward shape inference: input dimensions recovered from known output shapes.

MXNet's shape functions of a few layers also fill unknown input dimensions (0 in the
legacy shape mode, -1 under ``np_shape``) from their outputs, so a partially given
graph completes from either end: FullyConnected and Convolution the batch dimension
(and, for convolutions of stride 1, the spatial ones), split/SliceChannel and Concat
every dimension they can. The operator rules only run forward; these run after them.
"""
from mxnet._ops.infer import merge_shapes, unknown_dim

__all__ = ["backward_hint", "partial_ok", "forward_fixup"]

# operators whose shape rules treat unknown dimensions as unknown (the rest are given
# a partial input as an unknown shape, so a 0 never passes for a real size)
_PARTIAL_OK = frozenset((
    "FullyConnected", "Convolution", "SliceChannel", "dot", "batch_dot", "Embedding",
    "transpose", "pick", "where", "Cast", "Activation", "LeakyReLU", "BatchNorm",
    "Dropout", "BlockGrad", "_copy", "identity", "Concat", "slice", "slice_axis"))


def partial_ok(op):
    """Whether ``op``'s shape rule understands partial input shapes."""
    from mxnet._ops import infer
    rule = op.shape_rule
    return op.name in _PARTIAL_OK or getattr(rule, "elementwise", False) or \
        rule is infer.broadcast or getattr(op, "partial_shapes", False)


def _fully_connected(attrs, ins, outs):
    data, out = ins[0], outs[0]
    if data is None or out is None:
        return ins
    if attrs.get("flatten", True):
        data = (out[0],) + tuple(data[1:])
    elif len(data) == len(out):
        data = tuple(out[:-1]) + (data[-1],)
    return [data] + list(ins[1:])


def _convolution(attrs, ins, outs):
    data, out = ins[0], outs[0]
    layout = attrs.get("layout")
    if data is None or out is None or len(data) != len(out) or \
            layout is not None and not str(layout).startswith("NC"):
        return ins
    kernel = tuple(attrs.get("kernel") or ())
    n = len(kernel)
    stride = tuple(attrs.get("stride") or ()) or (1,) * n
    dilate = tuple(attrs.get("dilate") or ()) or (1,) * n
    pad = tuple(attrs.get("pad") or ()) or (0,) * n
    dims = [out[0], data[1]]
    for i in range(n):
        o = out[2 + i]
        if not unknown_dim(o) and stride[i] == 1:
            dims.append(o + dilate[i] * (kernel[i] - 1) - 2 * pad[i])
        else:
            dims.append(data[2 + i])
    return [tuple(dims)] + list(ins[1:])


def _split(attrs, ins, outs):
    data = ins[0]
    known = None
    for o in outs:
        known = merge_shapes(known, o) if o is not None else known
    if data is None or known is None:
        return ins
    axis = attrs.get("axis", 1) % len(data)
    squeeze = attrs.get("squeeze_axis", False)
    n = attrs.get("num_outputs")
    rest = tuple(known[axis:]) if squeeze else tuple(known[axis + 1:])
    if squeeze:
        size = n
    else:
        size = 0 if unknown_dim(known[axis]) else known[axis] * n
    back = tuple(known[:axis]) + (size or data[axis],) + rest
    return [back if len(back) == len(data) else data] + list(ins[1:])


def _concat(attrs, ins, outs):
    out = outs[0]
    if out is None:
        return ins
    axis = attrs.get("dim", 1) % len(out)
    res = []
    for s in ins:
        if s is None or len(s) != len(out):
            res.append(s)
            continue
        res.append(tuple(s[d] if d == axis else out[d] for d in range(len(out))))
    unknown = [i for i, s in enumerate(res) if s is None or unknown_dim(s[axis])]
    if len(unknown) == 1 and res[unknown[0]] is not None and not unknown_dim(out[axis]):
        i = unknown[0]
        rest = sum(s[axis] for j, s in enumerate(res) if j != i)
        s = list(res[i])
        s[axis] = out[axis] - rest
        res[i] = tuple(s)
    return res


def _reshape(attrs, ins, outs):
    # MXNet fills one unknown input dimension from the known output's total size
    data, out = ins[0], outs[0]
    if data is None or out is None or any(unknown_dim(d) for d in out):
        return ins
    unknown = [i for i, d in enumerate(data) if unknown_dim(d)]
    if len(unknown) != 1:
        return ins
    total, rest = 1, 1
    for d in out:
        total *= d
    for i, d in enumerate(data):
        rest *= 1 if i == unknown[0] else d
    if rest == 0 or total % rest:
        return ins
    filled = list(data)
    filled[unknown[0]] = total // rest
    return [tuple(filled)] + list(ins[1:])


def _transpose(attrs, ins, outs):
    # the input's dimensions are the output's, permuted back
    data, out = ins[0], outs[0]
    if out is None or (data is not None and len(data) != len(out)):
        return ins
    axes = tuple(attrs.get("axes") or ()) or tuple(reversed(range(len(out))))
    back = [None] * len(out)
    for i, a in enumerate(axes):
        back[a % len(out)] = out[i]
    return [tuple(back)] + list(ins[1:])


_HINTS = {
    "transpose": _transpose,
    "Reshape": _reshape,
    "FullyConnected": _fully_connected,
    "Convolution": _convolution,
    "SliceChannel": _split,
    "Concat": _concat,
}


def backward_hint(op_name, attrs, ins, outs):
    """Inputs of ``op_name`` with dimensions filled from ``outs`` (unchanged if the
    operator infers nothing backward)."""
    hint = _HINTS.get(op_name)
    if hint is None or not outs:
        return ins
    return hint(attrs, list(ins), list(outs))


def _concat_forward(attrs, ins, outs):
    # an input of unknown size along the axis leaves the output's size there unknown
    out = outs[0] if outs else None
    if out is None:
        return outs
    axis = attrs.get("dim", 1) % len(out)
    if any(s is None or len(s) != len(out) or unknown_dim(s[axis]) for s in ins):
        from mxnet.util import is_np_shape
        out = tuple(-1 if d == axis and is_np_shape() else 0 if d == axis else out[d]
                    for d in range(len(out)))
    return [out] + list(outs[1:])


def _batch_dot_forward(attrs, ins, outs):
    # MXNet infers nothing while either reduced (k) dimension is unknown
    lhs, rhs = ins[0], ins[1]
    if lhs is None or rhs is None or len(lhs) != 3 or len(rhs) != 3:
        return outs
    k_l = lhs[1] if attrs.get("transpose_a") else lhs[2]
    k_r = rhs[2] if attrs.get("transpose_b") else rhs[1]
    return [None] * len(outs) if unknown_dim(k_l) or unknown_dim(k_r) else outs


_FORWARD = {"Concat": _concat_forward, "batch_dot": _batch_dot_forward}


def forward_fixup(op_name, attrs, ins, outs):
    """Outputs of ``op_name``'s rule corrected for partial inputs."""
    fix = _FORWARD.get(op_name)
    return outs if fix is None else fix(attrs, ins, outs)
