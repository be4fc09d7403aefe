"""SoftmaxOutput / Softmax (MXNet's ``softmax_output.cc``): softmax forward whose
backward is the cross-entropy gradient ``softmax - onehot(label)`` (head gradient
ignored)."""
from ...params import Bool, Enum, Float
from ...registry import register

PARAMS = (Float("grad_scale", 1.0), Float("ignore_label", -1.0), Bool("multi_output", False),
          Bool("use_ignore", False), Bool("preserve_shape", False),
          Enum("normalization", ("batch", "null", "valid"), "null"),
          Bool("out_grad", False), Float("smooth_alpha", 0.0))


def _axis_view(x, multi_output, preserve_shape):
    """``x`` as (rows, classes, rest) with the class axis in the middle."""
    if preserve_shape:
        return x.reshape(-1, x.shape[-1], 1)
    if multi_output:
        return x.reshape(x.shape[0], x.shape[1], -1)
    return x.reshape(x.shape[0], -1, 1)


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    if attrs["preserve_shape"]:
        label = tuple(data[:-1])
    elif attrs["multi_output"]:
        label = (data[0],) + tuple(data[2:])
    else:
        label = (data[0],)
    return [tuple(data), in_shapes[1] or label], [tuple(data)]


@register("SoftmaxOutput", inputs=("data", "label"), params=PARAMS, shape=_shape,
          aliases=("Softmax",))
def softmax_output(xp, data, label, **attrs):
    """Softmax over the class axis (axis 1, or the last with ``preserve_shape``); used
    as the loss head of a classifier: its gradient is the cross-entropy gradient."""
    x = _axis_view(data, attrs["multi_output"], attrs["preserve_shape"])
    e = xp.exp(x - x.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).reshape(data.shape)


@softmax_output.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/dx = (softmax - onehot(label)) * grad_scale / norm
    grad = F._internal._backward_SoftmaxOutput(ograds[0], inputs[1], outputs[0], **params)
    return grad, None


@register("_backward_SoftmaxOutput", inputs=("ograd", "label", "output"), params=PARAMS,
          differentiable=False)
def _backward_softmax_output(xp, ograd, label, output, *, grad_scale, ignore_label,
                             multi_output, use_ignore, preserve_shape, normalization,
                             out_grad, smooth_alpha):
    """Gradient of SoftmaxOutput with respect to its data."""
    y = _axis_view(output, multi_output, preserve_shape)
    lab = label.reshape(y.shape[0], 1, y.shape[2]).astype("int64")
    classes = xp.arange(y.shape[1]).reshape(1, -1, 1)
    onehot = (classes == lab).astype(y.dtype)
    if smooth_alpha and not multi_output:     # MXNet 1.9.1 compat: multi_output ignores it
        onehot = onehot * (1 - smooth_alpha - smooth_alpha / (y.shape[1] - 1)) \
            + smooth_alpha / (y.shape[1] - 1)
    grad = y - onehot
    keep = None
    if use_ignore:
        # MXNet 1.9.1 compat: labels and ignore_label compare as truncated integers
        keep = lab != int(ignore_label)
        grad = grad * keep
    if normalization == "valid":
        count = keep.sum() if keep is not None else lab.size
        scale = grad_scale / max(int(count), 1)
    elif normalization == "batch":
        scale = grad_scale / (lab.size if multi_output else y.shape[0])
    else:
        # MXNet 1.9.1 compat: multi_output divides by the positions per sample anyway
        scale = grad_scale / (y.shape[2] if multi_output else 1)
    grad = (grad * scale).reshape(output.shape)
    if out_grad:
        # MXNet 1.9.1 compat: out_grad multiplies by the output, not the head gradient
        grad = grad * output
    return grad.astype(output.dtype, copy=False)
