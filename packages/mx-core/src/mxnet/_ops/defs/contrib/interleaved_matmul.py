"""The fused attention products of MXNet's ``contrib/transformer.cc`` (BERT and the
Transformer of GluonNLP use them when hybridized).

Layouts: projections are (seq, batch, heads * k * head_dim) with, per head, the ``k``
projections interleaved (self-attention: q, k, v; encoder-decoder: k, v). Scores are
(batch * heads, query_seq, key_seq); attention outputs (seq, batch, heads * head_dim).
Queries are scaled by 1 / sqrt(head_dim) before the product.
"""
import math

from ...infer import check_shape
from ...params import Int
from ...registry import register

PARAMS = (Int("heads"),)


def _split(x, heads, parts):
    """(seq, batch, heads*parts*d) -> (batch*heads, parts, seq, d) as a view chain."""
    seq, batch, width = x.shape
    d = width // (heads * parts)
    return x.reshape(seq, batch, heads, parts, d).transpose(1, 2, 3, 0, 4).reshape(
        batch * heads, parts, seq, d)


def _merge(grad, heads, parts, xp):
    """The inverse of ``_split``: (batch*heads, parts, seq, d) -> (seq, batch, width)."""
    bh, _, seq, d = grad.shape
    batch = bh // heads
    out = grad.reshape(batch, heads, parts, seq, d).transpose(3, 0, 1, 2, 4)
    return xp.ascontiguousarray(out).reshape(seq, batch, heads * parts * d)


def _heads_out(x, heads):
    """(batch*heads, seq, d) -> (seq, batch, heads*d)."""
    bh, seq, d = x.shape
    return x.reshape(bh // heads, heads, seq, d).transpose(2, 0, 1, 3).reshape(
        seq, bh // heads, heads * d)


def _heads_in(x, heads):
    """(seq, batch, heads*d) -> (batch*heads, seq, d)."""
    seq, batch, width = x.shape
    return x.reshape(seq, batch, heads, width // heads).transpose(1, 2, 0, 3).reshape(
        batch * heads, seq, width // heads)


def _scale(d):
    return 1.0 / math.sqrt(d)


def _bmm_t(xp, a, b):
    return xp.matmul(a, b.transpose(0, 2, 1))


def _valatt(xp, packed, attention, heads, parts):
    """``attention @ v`` per head, v being the last of the ``parts`` projections."""
    v = _split(packed, heads, parts)[:, parts - 1]
    return xp.ascontiguousarray(_heads_out(xp.matmul(attention, v), heads))


def _valatt_backward(xp, g, packed, attention, heads, parts):
    """(d packed, d attention) of ``_valatt``: dv = att^T @ g; datt = g @ v^T."""
    split = _split(packed, heads, parts)
    g = _heads_in(g, heads)
    grad = xp.zeros(split.shape, dtype=packed.dtype)
    grad[:, parts - 1] = xp.matmul(attention.transpose(0, 2, 1), g)
    return _merge(grad, heads, parts, xp), _bmm_t(xp, g, split[:, parts - 1])


# -- self-attention: one (seq, batch, heads*3*d) input -----------------------------------
def _selfatt_qk_shape(attrs, in_shapes):
    x = in_shapes[0]
    if x is None:
        return in_shapes, [None]
    return in_shapes, [(x[1] * attrs["heads"], x[0], x[0])]


@register("_contrib_interleaved_matmul_selfatt_qk", inputs=("queries_keys_values",),
          params=PARAMS, shape=_selfatt_qk_shape)
def selfatt_qk(xp, qkv, *, heads):
    """Scores ``(q / sqrt(d)) @ k^T`` of every head, (batch*heads, seq, seq)."""
    parts = _split(qkv, heads, 3)
    q, k = parts[:, 0], parts[:, 1]
    return _bmm_t(xp, q * _scale(q.shape[-1]), k).astype(qkv.dtype, copy=False)


@selfatt_qk.gradient
def _(F, inputs, outputs, ograds, heads):
    # dq = g @ k / sqrt(d); dk = g^T @ q / sqrt(d); dv = 0
    return (F._internal._backward_interleaved_matmul_selfatt_qk(ograds[0], inputs[0],
                                                                heads=heads),)


@register("_backward_interleaved_matmul_selfatt_qk", inputs=("ograd", "queries_keys_values"),
          params=PARAMS, differentiable=False)
def _selfatt_qk_backward(xp, g, qkv, *, heads):
    parts = _split(qkv, heads, 3)
    s = _scale(parts.shape[-1])
    grad = xp.zeros(parts.shape, dtype=qkv.dtype)
    grad[:, 0] = xp.matmul(g, parts[:, 1]) * s
    grad[:, 1] = xp.matmul(g.transpose(0, 2, 1), parts[:, 0]) * s
    return _merge(grad, heads, 3, xp)


def _selfatt_valatt_shape(attrs, in_shapes):
    x = in_shapes[0]
    if x is None:
        return in_shapes, [None]
    h = attrs["heads"]
    att = (x[1] * h, x[0], x[0])
    return [tuple(x), check_shape("interleaved_matmul_selfatt_valatt", "attention", att,
                                  in_shapes[1])], [(x[0], x[1], x[2] // 3)]


@register("_contrib_interleaved_matmul_selfatt_valatt",
          inputs=("queries_keys_values", "attention"), params=PARAMS,
          shape=_selfatt_valatt_shape)
def selfatt_valatt(xp, qkv, attention, *, heads):
    """``attention @ v`` of every head, back in (seq, batch, heads*d)."""
    return _valatt(xp, qkv, attention, heads, 3)


@selfatt_valatt.gradient
def _(F, inputs, outputs, ograds, heads):
    # dv = att^T @ g; datt = g @ v^T
    return tuple(F._internal._backward_interleaved_matmul_selfatt_valatt(
        ograds[0], inputs[0], inputs[1], heads=heads))


@register("_backward_interleaved_matmul_selfatt_valatt",
          inputs=("ograd", "queries_keys_values", "attention"), params=PARAMS,
          num_outputs=2, differentiable=False)
def _selfatt_valatt_backward(xp, g, qkv, attention, *, heads):
    return _valatt_backward(xp, g, qkv, attention, heads, 3)


# -- encoder-decoder: queries (qseq, batch, heads*d), keys_values (kseq, batch, heads*2*d)
def _encdec_qk_shape(attrs, in_shapes):
    q, kv = in_shapes
    if q is None or kv is None:
        return in_shapes, [None]
    return in_shapes, [(q[1] * attrs["heads"], q[0], kv[0])]


@register("_contrib_interleaved_matmul_encdec_qk", inputs=("queries", "keys_values"),
          params=PARAMS, shape=_encdec_qk_shape)
def encdec_qk(xp, queries, keys_values, *, heads):
    """Scores ``(q / sqrt(d)) @ k^T`` of every head, (batch*heads, qseq, kseq)."""
    q = _heads_in(queries, heads)
    k = _split(keys_values, heads, 2)[:, 0]
    return _bmm_t(xp, q * _scale(q.shape[-1]), k).astype(queries.dtype, copy=False)


@encdec_qk.gradient
def _(F, inputs, outputs, ograds, heads):
    # dq = g @ k / sqrt(d); dk = g^T @ q / sqrt(d)
    return tuple(F._internal._backward_interleaved_matmul_encdec_qk(
        ograds[0], inputs[0], inputs[1], heads=heads))


@register("_backward_interleaved_matmul_encdec_qk", inputs=("ograd", "queries", "keys_values"),
          params=PARAMS, num_outputs=2, differentiable=False)
def _encdec_qk_backward(xp, g, queries, keys_values, *, heads):
    q = _heads_in(queries, heads)
    parts = _split(keys_values, heads, 2)
    s = _scale(q.shape[-1])
    grad = xp.zeros(parts.shape, dtype=keys_values.dtype)
    grad[:, 0] = xp.matmul(g.transpose(0, 2, 1), q) * s
    dq = xp.ascontiguousarray(_heads_out(xp.matmul(g, parts[:, 0]) * s, heads))
    return dq, _merge(grad, heads, 2, xp)


def _encdec_valatt_shape(attrs, in_shapes):
    kv, att = in_shapes
    if kv is None or att is None:
        return in_shapes, [None]
    return in_shapes, [(att[1], kv[1], kv[2] // 2)]


@register("_contrib_interleaved_matmul_encdec_valatt", inputs=("keys_values", "attention"),
          params=PARAMS, shape=_encdec_valatt_shape)
def encdec_valatt(xp, keys_values, attention, *, heads):
    """``attention @ v`` of every head, (qseq, batch, heads*d)."""
    return _valatt(xp, keys_values, attention, heads, 2)


@encdec_valatt.gradient
def _(F, inputs, outputs, ograds, heads):
    # dv = att^T @ g; datt = g @ v^T
    return tuple(F._internal._backward_interleaved_matmul_encdec_valatt(
        ograds[0], inputs[0], inputs[1], heads=heads))


@register("_backward_interleaved_matmul_encdec_valatt",
          inputs=("ograd", "keys_values", "attention"), params=PARAMS, num_outputs=2,
          differentiable=False)
def _encdec_valatt_backward(xp, g, keys_values, attention, *, heads):
    return _valatt_backward(xp, g, keys_values, attention, heads, 2)
