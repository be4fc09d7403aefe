"""BatchNorm, LayerNorm, InstanceNorm, GroupNorm, L2Normalization, LRN: values against
NumPy and gradients against finite differences (float64)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet._test_utils.finite_diff import check_grad

R = np.random.default_rng(0)


def _check_grad(fn, inputs, wrt=None, rtol=1e-4, atol=1e-6, eps=1e-6, train=True):
    """Autograd against central differences of sum(head * fn(*inputs)), float64."""
    check_grad(fn, inputs, rtol=rtol, atol=atol, eps=eps, wrt=wrt, train=train)


def test_batchnorm_backward_updates_moving_stats_in_place():
    # MXNet 1.9.1 (CPU) updates the moving statistics in the backward pass
    x = R.standard_normal((4, 3, 2, 2))
    mm, mv = mx.nd.zeros(3, dtype="float64"), mx.nd.ones(3, dtype="float64")
    g, b = mx.nd.array([1.0, 2.0, 3.0], dtype="float64"), mx.nd.zeros(3, dtype="float64")
    data = mx.nd.array(x, dtype="float64")
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.BatchNorm(data, g, b, mm, mv, fix_gamma=False, momentum=0.8, eps=1e-5)
    np.testing.assert_array_equal(mm.asnumpy(), 0)      # not by the forward
    out.backward()
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    ref = (x - mean.reshape(1, -1, 1, 1)) / np.sqrt(var.reshape(1, -1, 1, 1) + 1e-5)
    np.testing.assert_allclose(out.asnumpy(), ref * np.array([1, 2, 3]).reshape(1, -1, 1, 1))
    np.testing.assert_allclose(mm.asnumpy(), 0.2 * mean)
    np.testing.assert_allclose(mv.asnumpy(), 0.8 + 0.2 * var)


@pytest.mark.parametrize("kw", [{"fix_gamma": False}, {"fix_gamma": True},
                                {"fix_gamma": False, "axis": -1},
                                {"fix_gamma": False, "use_global_stats": True}])
def test_batchnorm_gradients(kw):
    x = R.standard_normal((3, 2, 4))
    c = x.shape[kw.get("axis", 1)]
    stats = [R.standard_normal(c), R.uniform(0.5, 2, c)]

    def fn(a, g, b):
        mm, mv = (mx.nd.array(s, dtype="float64") for s in stats)
        return mx.nd.BatchNorm(a, g, b, mm, mv, **kw)
    _check_grad(fn, [x, R.standard_normal(c), R.standard_normal(c)])


def test_batchnorm_inference_uses_moving_stats_and_fills_shapes():
    from mxnet._ops.defs.nn.batch_norm import _bn_shape
    x = R.standard_normal((2, 3, 4))
    mm, mv = R.standard_normal(3), R.uniform(1, 2, 3)
    out = mx.nd.BatchNorm(*[mx.nd.array(v) for v in (x, np.ones(3), np.zeros(3), mm, mv)])
    ref = (x - mm.reshape(1, -1, 1)) / np.sqrt(mv.reshape(1, -1, 1) + 1e-3)
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-5, atol=1e-6)
    shapes, outs = _bn_shape({"axis": 1}, [(2, 3, 4), None, None, None, None])
    assert shapes[1:] == [(3,)] * 4 and outs[0] == (2, 3, 4)
    with pytest.raises(mx.base.MXNetError, match="BatchNorm.*gamma"):
        _bn_shape({"axis": 1}, [(2, 3, 4), (4,), None, None, None])


@pytest.mark.parametrize("op,kw,shapes", [
    ("LayerNorm", {"axis": 1}, [(2, 3, 4), (3,), (3,)]),
    ("LayerNorm", {}, [(3, 5), (5,), (5,)]),
    ("InstanceNorm", {}, [(2, 3, 5), (3,), (3,)]),
    ("GroupNorm", {"num_groups": 2}, [(2, 4, 3), (2,), (2,)])])
def test_normalization_gradients(op, kw, shapes):
    inputs = [R.standard_normal(s) for s in shapes]
    _check_grad(lambda *a: getattr(mx.nd, op)(*a, **kw), inputs)


def test_layernorm_values():
    x = R.standard_normal((2, 5))
    out = mx.nd.LayerNorm(mx.nd.array(x), mx.nd.ones(5), mx.nd.zeros(5)).asnumpy()
    ref = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["instance", "channel", "spatial"])
def test_l2normalization(mode):
    x = R.standard_normal((2, 3, 4))
    _check_grad(lambda a: mx.nd.L2Normalization(a, mode=mode), [x])


def test_lrn():
    x = R.standard_normal((1, 5, 2, 2))
    out = mx.nd.LRN(mx.nd.array(x, dtype="float64"), nsize=3, alpha=0.1).asnumpy()
    sq = np.pad(x * x, ((0, 0), (1, 1), (0, 0), (0, 0)))
    window = sq[:, :-2] + sq[:, 1:-1] + sq[:, 2:]
    np.testing.assert_allclose(out, x / (2 + 0.1 / 3 * window) ** 0.75)
    _check_grad(lambda a: mx.nd.LRN(a, nsize=3, alpha=0.1), [x])
    # MXNet 1.9.1 sums an even nsize's window over nsize - 1 channels
    even = mx.nd.LRN(mx.nd.array(x, dtype="float64"), nsize=4, alpha=0.1).asnumpy()
    np.testing.assert_allclose(even, x / (2 + 0.1 / 4 * window) ** 0.75)
