"""The fused attention products (contrib interleaved_matmul_*) against MXNet 1.9.1.

data/interleaved/mxnet-1.9.1.npz was recorded with the real MXNet 1.9.1: the inputs,
the scores, softmax-attention outputs and the input gradients for a random head
gradient (RandomState(0), drawn in the order below).
"""
import os

import numpy as np
import pytest

import mxnet as mx

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "interleaved",
                    "mxnet-1.9.1.npz")
SEQ, BATCH, HEADS, DIM = 3, 2, 2, 4


def _close(array, expected):
    np.testing.assert_allclose(array.asnumpy(), expected, rtol=1e-4, atol=1e-5)


def test_self_attention_products_and_gradients():
    ref = np.load(DATA)
    rs = np.random.RandomState(0)
    qkv = mx.nd.array(rs.randn(SEQ, BATCH, 3 * HEADS * DIM))
    _close(qkv, ref["qkv"])
    qkv.attach_grad()
    with mx.autograd.record():
        scores = mx.nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=HEADS)
        out = mx.nd.contrib.interleaved_matmul_selfatt_valatt(
            qkv, mx.nd.softmax(scores), heads=HEADS)
    assert scores.shape == (BATCH * HEADS, SEQ, SEQ)
    assert out.shape == (SEQ, BATCH, HEADS * DIM)
    out.backward(mx.nd.array(rs.randn(*out.shape)))
    _close(scores, ref["s"])
    _close(out, ref["o"])
    _close(qkv.grad, ref["g"])


def test_encoder_decoder_products_and_gradients():
    ref = np.load(DATA)
    rs = np.random.RandomState(0)
    rs.randn(SEQ, BATCH, 3 * HEADS * DIM)
    rs.randn(SEQ, BATCH, HEADS * DIM)              # the self-attention head gradient
    q = mx.nd.array(rs.randn(2, BATCH, HEADS * DIM))
    kv = mx.nd.array(rs.randn(SEQ, BATCH, 2 * HEADS * DIM))
    q.attach_grad()
    kv.attach_grad()
    with mx.autograd.record():
        scores = mx.nd.contrib.interleaved_matmul_encdec_qk(q, kv, heads=HEADS)
        out = mx.nd.contrib.interleaved_matmul_encdec_valatt(
            kv, mx.nd.softmax(scores), heads=HEADS)
    out.backward(mx.nd.array(rs.randn(*out.shape)))
    _close(scores, ref["s2"])
    _close(out, ref["o2"])
    _close(q.grad, ref["gq"])
    _close(kv.grad, ref["gkv"])


def test_symbolic_shapes():
    pytest.importorskip("mxnet.symbol", reason="needs mx-symbol")
    qkv = mx.sym.var("qkv")
    att = mx.sym.contrib.interleaved_matmul_selfatt_qk(qkv, heads=HEADS)
    out = mx.sym.contrib.interleaved_matmul_selfatt_valatt(qkv, att, heads=HEADS)
    _, shapes, _ = out.infer_shape(qkv=(SEQ, BATCH, 3 * HEADS * DIM))
    assert shapes == [(SEQ, BATCH, HEADS * DIM)]


def test_gradients_match_finite_differences():
    from mxnet._test_utils import finite_diff as fd
    rs = np.random.RandomState(3)
    qkv = rs.randn(SEQ, BATCH, 3 * HEADS * DIM)
    att = rs.rand(BATCH * HEADS, SEQ, SEQ)
    fd.check_grad(mx.nd.contrib.interleaved_matmul_selfatt_qk, [qkv], {"heads": HEADS})
    fd.check_grad(mx.nd.contrib.interleaved_matmul_selfatt_valatt, [qkv, att],
                  {"heads": HEADS})
    q, kv = rs.randn(2, BATCH, HEADS * DIM), rs.randn(SEQ, BATCH, 2 * HEADS * DIM)
    fd.check_grad(mx.nd.contrib.interleaved_matmul_encdec_qk, [q, kv], {"heads": HEADS})
    fd.check_grad(mx.nd.contrib.interleaved_matmul_encdec_valatt,
                  [kv, rs.rand(BATCH * HEADS, 2, SEQ)], {"heads": HEADS})
