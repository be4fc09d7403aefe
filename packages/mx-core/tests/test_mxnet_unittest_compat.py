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
