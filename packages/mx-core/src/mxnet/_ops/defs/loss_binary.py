"""softmax_cross_entropy (MXNet's ``loss_binary_op.cc``)."""
from ..registry import register


@register("softmax_cross_entropy", inputs=("data", "label"),
          shape=lambda attrs, s: (s, [(1,)]))
def softmax_cross_entropy(xp, data, label):
    """Sum over the batch of the cross entropy between softmax(data) and integer labels;
    shape (1,)."""
    shifted = data - data.max(axis=1, keepdims=True)
    log_prob = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
    picked = xp.take_along_axis(log_prob, label.astype("int64").reshape(-1, 1), axis=1)
    return (-picked.sum()).reshape(1).astype(data.dtype)


@softmax_cross_entropy.gradient
def _(F, inputs, outputs, ograds):     # d/d data = (softmax(data) - onehot(label)) * g
    data, label = inputs
    hot = F.one_hot(label, depth=data.shape[1], dtype=data.dtype)
    return F.broadcast_mul(F.softmax(data, axis=1) - hot, ograds[0]), None
