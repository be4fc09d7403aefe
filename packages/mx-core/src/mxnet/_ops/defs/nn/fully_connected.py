"""FullyConnected (MXNet's ``nn/fully_connected.cc``): ``out = data . weight^T + bias``."""
from .... import autograd as _autograd
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Int
from ...registry import register


def _inputs(attrs):
    return ("data", "weight") if attrs["no_bias"] else ("data", "weight", "bias")


def _fc_shape(attrs, in_shapes):
    data = in_shapes[0]
    n = attrs["num_hidden"]
    if data is None:
        return in_shapes, [None]
    k = data[-1] if not attrs["flatten"] else _prod(data[1:])
    weight = (n, k)
    try:       # a partial weight shape such as (n, 0) is completed, not a mismatch
        check_shape("FullyConnected", "weight", weight, in_shapes[1])
    except MXNetError as err:
        raise MXNetError(f"{err} (data {tuple(data)})") from None
    shapes = [tuple(data), weight] + ([] if attrs["no_bias"] else [(n,)])
    out = (data[0], n) if attrs["flatten"] else tuple(data[:-1]) + (n,)
    return shapes, [out]


def _prod(shape):
    p = 1
    for s in shape:
        p *= s
    return p


@register("FullyConnected", inputs=("data", "weight", "bias"), input_filter=_inputs,
          params=(Int("num_hidden"), Bool("no_bias", False), Bool("flatten", True)),
          shape=_fc_shape)
def fully_connected(xp, data, weight, bias=None, *, num_hidden, no_bias, flatten):
    """Applies a linear transformation: :math:`Y = XW^T + b`.

    With ``flatten`` the input is flattened to (batch, -1) first; otherwise the
    transformation applies to the last axis.
    """
    x = data.reshape(data.shape[0], -1) if flatten else data
    out = xp.matmul(x, weight.T)
    if bias is not None:
        out += bias.reshape(-1)     # MXNet 1.9.1 compat: a (num_hidden, 1) bias works too
    return out


@fully_connected.gradient
def _(F, inputs, outputs, ograds, num_hidden, no_bias, flatten):
    # dX = G W, dW = G^T X (over all leading axes), db = sum of G over them
    data, weight = inputs[0], inputs[1]
    g = ograds[0]
    imperative = F.__name__.endswith("ndarray")
    if not (imperative and _autograd.is_recording()):
        # one fused kernel (create_graph records the composed one below, which
        # differentiates again); data outside the recorded graph gets no gradient
        # (compiled training graphs set need_data_grad the same way)
        need = not (imperative and _autograd._gradient_dropped(data))
        grads = F._internal._backward_FullyConnected(
            g, data, weight, num_hidden=num_hidden, no_bias=no_bias, flatten=flatten,
            need_data_grad=need)
        return (grads[0] if need else None,) + tuple(grads[1:])
    x2 = F.flatten(data) if flatten else F.reshape(data, shape=(-1, 0), reverse=True)
    g2 = F.reshape(g, shape=(-1, 0), reverse=True)
    gdata = F.reshape_like(F.dot(g2, weight), data)
    gweight = F.dot(g2, x2, transpose_a=True)
    if no_bias:
        return gdata, gweight
    return gdata, gweight, F.sum(g2, axis=0)


@register("_backward_FullyConnected", inputs=("ograd", "data", "weight"),
          params=(Int("num_hidden"), Bool("no_bias", False), Bool("flatten", True),
                  Bool("need_data_grad", True)),
          num_outputs=lambda a: 2 if a["no_bias"] else 3, differentiable=False)
def backward_fully_connected(xp, ograd, data, weight, *, num_hidden, no_bias, flatten,
                             need_data_grad=True):
    """Gradients of FullyConnected with respect to data, weight (and bias): the
    composed gradient's products in one call; with ``need_data_grad=False`` the data
    gradient is a zero view, not computed."""
    x2 = data.reshape(data.shape[0], -1) if flatten else data.reshape(-1, data.shape[-1])
    g2 = ograd.reshape(-1, ograd.shape[-1])
    if need_data_grad:
        gdata = xp.matmul(g2, weight).reshape(data.shape)
    else:
        gdata = xp.broadcast_to(xp.zeros((), dtype=ograd.dtype), data.shape)
    # matmul, not dot: NumPy's dot takes a slower path for the transposed operand
    # (1.34 vs 1.07 ms at 1024x128x1024, 2 threads)
    gweight = xp.matmul(g2.T, x2)
    if no_bias:
        return gdata, gweight
    return gdata, gweight, g2.sum(axis=(0,), dtype=g2.dtype)
