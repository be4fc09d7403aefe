"""FullyConnected (MXNet's ``nn/fully_connected.cc``): ``out = data . weight^T + bias``."""
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
        out += bias
    return out


@fully_connected.gradient
def _(F, inputs, outputs, ograds, num_hidden, no_bias, flatten):
    # dX = G W, dW = G^T X (over all leading axes), db = sum of G over them
    data, weight = inputs[0], inputs[1]
    g = ograds[0]
    x2 = F.flatten(data) if flatten else F.reshape(data, shape=(-1, 0), reverse=True)
    g2 = F.reshape(g, shape=(-1, 0), reverse=True)
    gdata = F.reshape_like(F.dot(g2, weight), data)
    gweight = F.dot(g2, x2, transpose_a=True)
    if no_bias:
        return gdata, gweight
    return gdata, gweight, F.sum(g2, axis=0)
