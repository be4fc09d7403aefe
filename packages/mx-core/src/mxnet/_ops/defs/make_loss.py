"""MakeLoss (MXNet's ``make_loss.cc``): a loss head with a scaled, normalised gradient."""
from ..infer import same
from ..params import Enum, Float
from ..registry import register


@register("MakeLoss", inputs=("data",), shape=same,
          params=(Float("grad_scale", 1.0), Float("valid_thresh", 0.0),
                  Enum("normalization", ("null", "batch", "valid"), "null")))
def make_loss(xp, data, *, grad_scale, valid_thresh, normalization):
    """Marks ``data`` as a loss: the output equals the input; the gradient is
    ``grad_scale`` (divided by the batch size or by the count of elements above
    ``valid_thresh`` for ``normalization`` 'batch'/'valid'), whatever the head gradient."""
    return data.copy()


@make_loss.gradient
def _(F, inputs, outputs, ograds, grad_scale, valid_thresh, normalization):
    # loss head: d/dx = grad_scale / normaliser; the head gradient is ignored
    x = inputs[0]
    ones = F.ones_like(x)
    if normalization == "batch":
        return (ones * (grad_scale / x.shape[0]),)
    if normalization == "valid":
        count = F.sum(x > valid_thresh)
        return (F.broadcast_div(ones * grad_scale, F.maximum(count, 1.0)),)
    return (ones * grad_scale,)
