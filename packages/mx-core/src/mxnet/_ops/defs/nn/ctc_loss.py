"""CTCLoss (MXNet's ``nn/ctc_loss.cc``): connectionist temporal classification loss.

Log-space forward-backward over the blank-interleaved labels, vectorised over the batch
and label positions with a Python loop over time; the gradient with respect to the
(unnormalised) activations is computed alongside and kept as a hidden output."""
from ....base import MXNetError
from ...params import Bool, Enum
from ...registry import register

PARAMS = (Bool("use_data_lengths", False), Bool("use_label_lengths", False),
          Enum("blank_label", ("first", "last"), "first"))
_NEG = -1e30


def _inputs(attrs):
    names = ["data", "label"]
    if attrs["use_data_lengths"]:
        names.append("data_lengths")
    if attrs["use_label_lengths"]:
        names.append("label_lengths")
    return tuple(names)


def _lse(xp, *terms):
    m = terms[0]
    for t in terms[1:]:
        m = xp.maximum(m, t)
    total = sum(xp.exp(t - m) for t in terms)
    return m + xp.log(total)


def _extended(xp, label, lengths, blank):
    """Blank-interleaved labels (N, 2L+1) and their lengths 2*len+1."""
    n, l_max = label.shape
    ext = xp.full((n, 2 * l_max + 1), blank, dtype="int64")
    ext[:, 1::2] = label.astype("int64")
    pos = xp.arange(l_max).reshape(1, -1)
    ext[:, 1::2] = xp.where(pos < lengths.reshape(-1, 1), ext[:, 1::2], blank)
    return ext, 2 * lengths + 1


def _ctc(xp, data, label, data_len, label_len, blank):
    t_len, n, c = data.shape
    x = data.astype("float64")
    x = x - x.max(axis=2, keepdims=True)
    lp = x - xp.log(xp.exp(x).sum(axis=2, keepdims=True))             # (T, N, C)
    ext, s_len = _extended(xp, label, label_len, blank)
    s = ext.shape[1]
    emit = xp.take_along_axis(lp, xp.broadcast_to(ext[None], (t_len, n, s)), axis=2)
    skip = xp.zeros((n, s), dtype=bool)                                 # s-2 -> s allowed
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    neg = xp.full((n, s), _NEG)
    alpha = xp.full((t_len, n, s), _NEG)
    alpha[0, :, 0] = emit[0, :, 0]
    alpha[0, :, 1] = xp.where(s_len > 1, emit[0, :, 1], _NEG)
    for t in range(1, t_len):
        a = alpha[t - 1]
        a1 = xp.concatenate([neg[:, :1], a[:, :-1]], axis=1)
        a2 = xp.where(skip, xp.concatenate([neg[:, :2], a[:, :-2]], axis=1), _NEG)
        alpha[t] = _lse(xp, a, a1, a2) + emit[t]
    rows = xp.arange(n)
    last = alpha[data_len - 1, rows]                                     # (N, S)
    end1 = last[rows, s_len - 1]
    end2 = xp.where(s_len > 1, last[rows, xp.maximum(s_len - 2, 0)], _NEG)
    loglik = _lse(xp, end1, end2)
    beta = xp.full((t_len, n, s), _NEG)
    spos = xp.arange(s).reshape(1, -1)
    init = xp.where((spos == (s_len - 1)[:, None]) | (spos == (s_len - 2)[:, None]),
                    0.0, _NEG) + 0.0
    for t in range(t_len - 1, -1, -1):
        if t == t_len - 1:
            nxt = neg
        else:
            b = beta[t + 1] + emit[t + 1]
            b1 = xp.concatenate([b[:, 1:], neg[:, :1]], axis=1)
            b2 = xp.concatenate([b[:, 2:], neg[:, :2]], axis=1)
            b2 = xp.where(xp.concatenate([skip[:, 2:], skip[:, :2] & False], axis=1),
                          b2, _NEG)
            nxt = _lse(xp, b, b1, b2)
        beta[t] = xp.where((t == data_len - 1)[:, None], init,
                           xp.where((t < data_len - 1)[:, None], nxt, _NEG))
    post = xp.exp(alpha + beta - loglik[None, :, None])                # (T, N, S)
    onehot = (ext[:, :, None] == xp.arange(c).reshape(1, 1, -1)).astype("float64")
    occupancy = xp.matmul(post.transpose(1, 0, 2), onehot).transpose(1, 0, 2)
    active = (xp.arange(t_len)[:, None] < data_len[None, :])[..., None]
    grad = (xp.exp(lp) - occupancy) * active
    return (-loglik).astype(data.dtype), grad.astype(data.dtype)


def _lengths(xp, label, blank_label):
    pad = 0 if blank_label == "first" else -1
    is_pad = label == pad
    # the length is the position of the first padding value
    first = xp.where(is_pad.any(axis=1), is_pad.argmax(axis=1), label.shape[1])
    return first.astype("int64")


@register("CTCLoss", inputs=("data", "label", "data_lengths", "label_lengths"),
          input_filter=_inputs, params=PARAMS, num_outputs=2, visible_outputs=1,
          aliases=("ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"),
          shape=lambda a, s: (s, [None if s[0] is None else (s[0][1],), s[0]]))
def ctc_loss(xp, data, label, *lengths, use_data_lengths, use_label_lengths, blank_label):
    """Connectionist Temporal Classification loss of (T, N, C) activations against
    (N, L) labels; softmax is applied inside. With blank_label='first' class 0 is the
    blank and 0 pads the labels; with 'last' class C-1 is the blank and -1 pads."""
    if data.ndim != 3 or label.ndim != 2 or label.shape[0] != data.shape[1]:
        raise MXNetError(f"Operator CTCLoss: data must be (T, N, C) and label (N, L), got "
                         f"{data.shape} and {label.shape}")
    # MXNet 1.9.1 compat: labels and lengths are rounded to the nearest integer
    rest = [xp.rint(v).astype("int64") for v in lengths]
    label = xp.rint(label)
    t_len, n, c = data.shape
    data_len = rest.pop(0) if use_data_lengths else xp.full((n,), t_len, dtype="int64")
    label_len = rest.pop(0) if use_label_lengths else _lengths(xp, label, blank_label)
    blank = 0 if blank_label == "first" else c - 1
    return _ctc(xp, data, label, data_len, label_len, blank)


@ctc_loss.gradient
def _(F, inputs, outputs, ograds, **params):
    # d loss / d activation = softmax - posterior occupancy of each class, times g
    grad = F._internal._backward_CTCLoss(ograds[0], outputs[1])
    return (grad,) + (None,) * (len(inputs) - 1)


@register("_backward_CTCLoss", inputs=("ograd", "grad"), differentiable=False)
def _backward_ctc_loss(xp, ograd, grad):
    """Gradient of CTCLoss: the saved activation gradient scaled per sequence."""
    return grad * ograd.reshape(1, -1, 1)
