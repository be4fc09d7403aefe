"""Behaviours MXNet 1.9.1's own unit tests rely on (checked against the real MXNet)."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError


# -- in-place writes while recording ------------------------------------------------
def _recorded():
    x = mx.nd.ones((4, 2))
    x.attach_grad()
    return x


@pytest.mark.parametrize("write", [
    lambda y, z: y.__iadd__(1),                 # y += 1 on a recorded array
    lambda y, z: y.__setitem__(0, 1),           # y[0] = 1
    lambda y, z: mx.nd.relu(z, out=y),          # out= an array already in the graph
])
def test_writing_into_graph_arrays_while_recording_is_refused(write):
    x = _recorded()
    with mx.autograd.record():
        y = x * 2
        z = x * 3
        with pytest.raises(MXNetError, match="already in a computational graph"):
            write(y, z)


@pytest.mark.parametrize("index", [0, slice(1, 3), [1, 2], (1, [0, 1])])
def test_assigning_a_recorded_value_into_a_plain_array_is_refused(index):
    x = _recorded()
    plain = mx.nd.zeros((4, 2))
    with mx.autograd.record():
        y = x * 2
        with pytest.raises(MXNetError, match="Inplace operations"):
            plain[index] = y[index]
        with pytest.raises(MXNetError, match="Inplace operations"):
            plain += y


def test_plain_writes_while_recording_are_fine():
    plain = mx.nd.zeros((4, 2))
    x = _recorded()
    with mx.autograd.record():
        plain += 1
        plain[0] = 5
        plain[:] = x * 2            # a full copy, as MXNet's copyto
    np.testing.assert_allclose(plain.asnumpy(), 2)


def test_setitem_accepts_a_value_of_the_region_size():
    b = mx.nd.zeros(1)
    b[0] = np.array([47.844944], dtype=np.float32)
    np.testing.assert_array_equal(b.asnumpy(), np.float32(47.844944))


# -- operator details ------------------------------------------------------------------
def test_moveaxis_rejects_out_of_range_axes():
    x = mx.nd.zeros((2, 2, 3))
    assert mx.nd.moveaxis(x, 2, 0).shape == (3, 2, 2)
    with pytest.raises(ValueError, match="Destination"):
        mx.nd.moveaxis(x, 0, 3)


def test_broadcast_like_rejects_empty_axes():
    lhs, rhs = mx.nd.ones((1, 2)), mx.nd.ones((3, 2))
    assert mx.nd.broadcast_like(lhs, rhs, lhs_axes=(0,), rhs_axes=(0,)).shape == (3, 2)
    with pytest.raises(MXNetError, match="Empty axes"):
        mx.nd.broadcast_like(lhs, rhs, lhs_axes=(), rhs_axes=())


def test_slice_like_axes_count_in_data_rank():
    data = mx.nd.arange(85).reshape((5, 17, 1))
    out = mx.nd.slice_like(data, mx.nd.zeros((3, 3)), axes=(0, -2))
    np.testing.assert_array_equal(out.asnumpy(), data.asnumpy()[:3, :3])
    with pytest.raises(MXNetError):
        mx.nd.slice_like(data, mx.nd.zeros((3, 3)))          # all axes: ranks must agree


def test_exp_float32_is_correctly_rounded():
    # libm's expf (MXNet) gives 2.7182817; NumPy's SIMD float32 exp gives 2.718282
    assert mx.nd.exp(mx.nd.ones((1,))).asnumpy()[0] == np.float32(np.exp(1.0))


def test_cpu_device_ids_all_name_the_host():
    a = mx.nd.ones((2,), ctx=mx.cpu(3))
    assert a.context == mx.cpu(3)
    np.testing.assert_array_equal((a + a.as_in_context(mx.cpu(1))).asnumpy(), 2)


# -- module-level names --------------------------------------------------------------
def test_test_utils_star_import_matches_mxnet():
    names = {}
    exec("from mxnet.test_utils import *", names)
    for name in ("mx", "np", "Context", "array", "Features", "rnd", "npt", "os", "sys",
                 "assert_almost_equal", "default_context", "rand_ndarray"):
        assert name in names, name
    assert names["mx"] is mx


def test_storage_and_dtype_code_tables():
    from mxnet.ndarray.ndarray import (_DTYPE_MX_TO_NP, _DTYPE_NP_TO_MX, _GRAD_REQ_MAP,
                                       _STORAGE_TYPE_STR_TO_ID)
    assert _STORAGE_TYPE_STR_TO_ID == {"undefined": -1, "default": 0, "row_sparse": 1,
                                       "csr": 2}
    assert _DTYPE_NP_TO_MX[np.float16] == 2 and _DTYPE_MX_TO_NP[6] is np.int64
    assert _GRAD_REQ_MAP["add"] == 3


def test_np_shape_scopes_at_top_level():
    assert not mx.is_np_shape()
    with mx.np_shape(True):
        assert mx.is_np_shape()
    with mx.np_array(True):
        assert mx.is_np_array()
    assert not mx.is_np_array()


def test_cached_op_runs_a_symbol_and_records():
    pytest.importorskip("mxnet.symbol", reason="mx.nd.CachedOp runs Symbols: needs mx-symbol")
    sym = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc") * 2
    op = mx.nd.CachedOp(sym)
    data, weight, bias = mx.nd.ones((3, 4)), mx.nd.ones((2, 4)), mx.nd.zeros((2,))
    np.testing.assert_allclose(op(data, weight, bias).asnumpy(), 8)
    weight.attach_grad()
    with mx.autograd.record():
        out = op(data, weight, bias)
    out.backward()
    np.testing.assert_allclose(weight.grad.asnumpy(), 6)
    target = mx.nd.zeros((3, 2))
    assert op(data, weight, bias, out=target) is target
    np.testing.assert_allclose(target.asnumpy(), 8)


def test_autograd_grad_returns_a_list_even_for_one_variable():
    x = mx.nd.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.log(x)
        grads = mx.autograd.grad(y, x, create_graph=True, retain_graph=True)
    assert isinstance(grads, list) and len(grads) == 1
    np.testing.assert_allclose(grads[0].asnumpy(), [1.0, 0.5])


# -- second derivatives MXNet's own tests pin down ------------------------------------
def _second_derivative(fn, values):
    x = mx.nd.array(values)
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
        g = mx.autograd.grad(y, x, create_graph=True, retain_graph=True)[0]
    g.backward()
    return g.asnumpy(), x.grad.asnumpy()


def test_arcsinh_arccosh_second_derivative_keeps_mxnet_sign():
    # MXNet 1.9.1 gives +x/(x^2 +- 1)^1.5 (the true value is its negative)
    g, gg = _second_derivative(mx.nd.arcsinh, [0.5, 2.0])
    np.testing.assert_allclose(g, [1 / np.sqrt(1.25), 1 / np.sqrt(5)], rtol=1e-6)
    np.testing.assert_allclose(gg, [0.35777086, 0.17888543], rtol=1e-5)
    _, gg = _second_derivative(mx.nd.arccosh, [1.5, 3.0])
    np.testing.assert_allclose(gg, [1.0733125, 0.13258252], rtol=1e-5)


@pytest.mark.parametrize("fn", [mx.nd.degrees, mx.nd.radians])
def test_constant_slope_ops_have_a_zero_second_derivative(fn):
    _, gg = _second_derivative(fn, [0.5, -2.0])
    np.testing.assert_array_equal(gg, [0, 0])


def test_relu_gradient_passes_nan_through():
    x = mx.nd.array([np.nan, -1, 2])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.relu(x)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [np.nan, 0, 1])


# -- storage types of gradients ---------------------------------------------------------
@pytest.mark.parametrize("array_stype", ["default", "csr", "row_sparse"])
@pytest.mark.parametrize("grad_stype", [None, "default", "csr", "row_sparse"])
def test_attach_grad_storage_type(array_stype, grad_stype):
    x = mx.nd.zeros((2, 2), stype=array_stype)
    x.attach_grad(stype=grad_stype)
    assert x.grad.stype == (grad_stype or array_stype)
    assert x.detach().stype == array_stype


def test_row_sparse_gradient_of_sparse_dot():
    lhs = mx.nd.array([[1, 0, 2], [0, 0, 3]]).tostype("csr")
    w = mx.nd.ones((3, 2))
    w.attach_grad(stype="row_sparse")
    with mx.autograd.record():
        y = mx.nd.dot(lhs, w)
    y.backward()
    assert w.grad.stype == "row_sparse"
    np.testing.assert_array_equal(w.grad.asnumpy(), [[1, 1], [0, 0], [5, 5]])


# -- numpy-shape file semantics ---------------------------------------------------------
def test_scoped_np_shape_refuses_ambiguous_legacy_records(tmp_path):
    fname = str(tmp_path / "legacy")
    mx.nd.save(fname, [mx.nd.ones((2, 1)), mx.nd.array(np.zeros((2, 0, 1)))])
    with mx.util.np_shape(True):      # a legacy 0 dimension meant "unknown"
        with pytest.raises(MXNetError, match="not saved in np shape semantics"):
            mx.nd.load(fname)
    prev = mx.util.set_np_shape(2)          # MXNet's global level loads both layouts
    try:
        assert [a.shape for a in mx.nd.load(fname)] == [(2, 1), (2, 0, 1)]
    finally:
        mx.util.set_np_shape(prev)
    assert not mx.util.is_np_shape()


# -- mx.contrib.autograd, mx.engine, mx.random.seed -------------------------------------
def test_contrib_autograd_train_section_records_in_training_mode():
    from mxnet.contrib import autograd as cag
    x = mx.nd.array([1.0, 2.0])
    dx = mx.nd.zeros(2)
    cag.mark_variables([x], [dx])
    with cag.train_section():
        assert mx.autograd.is_recording() and mx.autograd.is_training()
        with cag.test_section():
            assert not mx.autograd.is_recording() and not mx.autograd.is_training()
        y = x * x
    cag.backward([y])
    np.testing.assert_array_equal(dx.asnumpy(), [2, 4])
    grads, out = cag.grad_and_loss(lambda a, b: a * b)(mx.nd.array([3.0]), mx.nd.array([4.0]))
    assert [g.asscalar() for g in grads] == [4, 3] and out.asscalar() == 12


def test_engine_bulk_scope_restores_the_size():
    prev = mx.engine.set_bulk_size(0)
    with mx.engine.bulk(10):
        assert mx.engine.set_bulk_size(10) == 10
    assert mx.engine.set_bulk_size(prev) == 0


def test_seed_accepts_any_int_modulo_2_32():
    mx.random.seed(-5)
    a = mx.nd.random.uniform(shape=4).asnumpy()
    mx.random.seed(2 ** 32 - 5)
    b = mx.nd.random.uniform(shape=4).asnumpy()
    np.testing.assert_array_equal(a, b)


# -- mx.nd.contrib Python functions -----------------------------------------------------
def test_rand_zipfian_expected_counts():
    mx.random.seed(3)
    true = mx.nd.array([0, 4], dtype="int32")
    sampled, count_true, count_sampled = mx.nd.contrib.rand_zipfian(true, 50, 10)
    assert sampled.dtype == np.int64 and sampled.shape == (50,)
    assert ((sampled.asnumpy() >= 0) & (sampled.asnumpy() < 10)).all()
    expect = np.log([2 / 1, 6 / 5]) / np.log(11) * 50
    np.testing.assert_allclose(count_true.asnumpy(), expect, rtol=1e-12)
    s = sampled.asnumpy().astype(float)
    np.testing.assert_allclose(count_sampled.asnumpy(), np.log((s + 2) / (s + 1)) / np.log(11) * 50)


def test_imperative_foreach_while_loop_and_cond():
    data = mx.nd.arange(6).reshape((3, 2))
    outs, states = mx.nd.contrib.foreach(lambda x, s: (x + s[0], [s[0] + x]), data,
                                         [mx.nd.zeros(2)])
    np.testing.assert_array_equal(outs.asnumpy(), [[0, 1], [2, 4], [6, 9]])
    np.testing.assert_array_equal(states[0].asnumpy(), [6, 9])
    outs, (i, s) = mx.nd.contrib.while_loop(
        lambda i, s: i < 3, lambda i, s: (s, (i + 1, s + i)),
        [mx.nd.array([0]), mx.nd.array([1])], max_iterations=5)
    assert outs.shape == (5, 1)
    np.testing.assert_array_equal(outs.asnumpy()[:3, 0], [1, 1, 2])
    assert i.asscalar() == 3 and s.asscalar() == 4
    assert mx.nd.contrib.cond(mx.nd.array([0]), lambda: 1, lambda: 2) == 2


# -- kernel errors surface when results are waited for (MXNet's async engine) -----------
def test_kernel_error_is_raised_on_read_and_travels_to_dependents():
    a = mx.nd.ones((2, 2))
    b = mx.nd.random.normal(0, -1, (2, 2))         # returns; the kernel failed
    c = mx.nd.dot(a, b) + 1
    first, second = c                               # rows share the failed buffer
    with pytest.raises(MXNetError, match="scale parameter"):
        first.asnumpy()
    second.asnumpy()                               # raising cleared every pending error
    mx.nd.waitall()


def test_waitall_raises_a_kernel_error_once_even_for_dropped_arrays():
    mx.nd.random.normal(0, -1, (2,))
    with pytest.raises(MXNetError, match="scale parameter"):
        mx.nd.waitall()
    mx.nd.waitall()


def test_kernel_error_follows_copies_and_out_arguments():
    bad = mx.nd.random.uniform(2, 1, (3,))         # low > high
    dst = mx.nd.zeros((3,))
    bad.copyto(dst)
    with pytest.raises(MXNetError, match="low must be less"):
        dst.wait_to_read()
    bad = mx.nd.random.uniform(2, 1, (3,))
    out = mx.nd.zeros((3,))
    mx.nd.relu(bad, out=out)
    with pytest.raises(MXNetError, match="low must be less"):
        out.asnumpy()
