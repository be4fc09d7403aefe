"""``mx.test_utils``: comparisons, data, environment, seeds, gradient checks."""
import os
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet import test_utils as tu


# -- tolerances and comparisons ---------------------------------------------------------
def test_default_tolerances():
    assert tu.get_rtol() == 1e-5 and tu.get_atol() == 1e-20
    assert tu.get_rtol(dtype=np.float32) == 1e-4 and tu.get_atol(dtype=np.float16) == 1e-1
    assert tu.get_rtol(0.3) == 0.3 and tu.get_etol() == 0 and tu.get_etol(0.1) == 0.1
    assert tu.get_tols(np.ones(2, np.float16), np.ones(2, np.float64), None, None) == \
        (1e-2, 1e-1)
    assert tu.get_tols(np.ones(2, np.float32), np.ones(2, np.float32),
                       {np.dtype(np.float32): 0.5}, 0.25) == (0.5, 0.25)
    assert tu.default_numeric_eps()[np.dtype(np.float32)] == 1.0 / 2 ** 9


def test_almost_equal_and_same():
    a = np.array([1.0, 2.0, 3.0])
    assert tu.almost_equal(a, a + 1e-7)
    assert not tu.almost_equal(a, a + 1e-3)
    assert tu.almost_equal(np.array([np.nan]), np.array([np.nan]), equal_nan=True)
    assert not tu.almost_equal(np.array([np.nan]), np.array([np.nan]))
    assert tu.almost_equal(np.ones((2, 3)), np.ones(3))
    with pytest.raises(AssertionError, match="are not equal"):
        tu.almost_equal(np.ones((2, 3)), np.ones(3), use_broadcast=False)
    assert tu.same(a, a.copy()) and not tu.same(a, a[:2])


def test_assert_almost_equal_message_has_mxnets_format(capsys):
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([[1.0, 2.5], [3.0, 4.1]])
    with pytest.raises(AssertionError) as err:
        tu.assert_almost_equal(a, b, names=("x", "y"))
    text = str(err.value)
    assert "Error 20000.000000 exceeds tolerance rtol=1.000000e-05, atol=1.000000e-20 " \
           "(mismatch 50.000000%)." in text
    assert "Location of maximum error: (0, 1), x=2.00000000, y=2.50000000" in text
    assert "ACTUAL" in text and "DESIRED" in text
    printed = capsys.readouterr().out
    assert "*** Maximum errors for vector of size 4:  rtol=1e-05, atol=1e-20" in printed
    assert "2: Error 2439.024390  Location of error: (1, 1), x=4.00000000, y=4.10000000" \
        in printed
    # printing options are left as they were
    assert np.get_printoptions()["threshold"] == 1000


def test_assert_almost_equal_accepts_ndarrays_and_dtype_tolerances():
    x = mx.nd.array([1.0, 2.0])
    tu.assert_almost_equal(x, np.array([1.0, 2.0 + 1e-4]))       # float32: rtol 1e-4, atol 1e-3
    tu.assert_almost_equal(x, mx.nd.array([1.0, 2.0]))
    with pytest.raises(AssertionError):
        tu.assert_almost_equal(x, np.array([1.0, 2.1]))
    tu.assert_almost_equal(x, np.array([1.0, 2.1]), rtol=0.1, atol=0)
    tu.assert_almost_equal(np.array([True, False]), np.array([True, False]))
    with pytest.raises(AssertionError):
        tu.assert_almost_equal(np.array([True]), np.array([False]))


def test_nan_and_inf_handling():
    nan = np.array([1.0, np.nan])
    tu.assert_almost_equal(nan, nan, equal_nan=True)
    with pytest.raises(AssertionError):
        tu.assert_almost_equal(nan, nan)
    inf = np.array([np.inf, 1.0])
    tu.assert_almost_equal(inf, inf)
    with pytest.raises(AssertionError):
        tu.assert_almost_equal(inf, np.array([-np.inf, 1.0]))
    tu.assert_almost_equal_ignore_nan(np.array([np.nan, 2.0]), np.array([5.0, 2.0]))
    tu.assert_allclose(np.array([1.0, np.nan]), np.array([1.0, np.nan]))


def test_assert_almost_equal_with_err():
    a = np.zeros(100)
    b = np.zeros(100)
    b[:3] = 1
    tu.assert_almost_equal_with_err(a, b, etol=0.05)
    with pytest.raises(AssertionError, match="mismatch"):
        tu.assert_almost_equal_with_err(a, b, etol=0.01)


def test_assert_exception_assert_raises_retry():
    def boom(x):
        raise ValueError(x)
    tu.assert_exception(boom, ValueError, 1)
    with pytest.raises(AssertionError):
        tu.assert_exception(lambda: None, ValueError)
    tu.assert_raises(ValueError, boom, 2)
    with tu.assert_raises(KeyError):
        {}["missing"]
    calls = []

    @tu.retry(3)
    def flaky():
        calls.append(1)
        assert len(calls) == 3
    flaky()
    assert len(calls) == 3

    @tu.retry(2)
    def always_fails():
        assert False
    with pytest.raises(AssertionError):
        always_fails()


def test_same_array_np_reduce_collapse_sum_like():
    a = mx.nd.ones((2, 2))
    assert tu.same_array(a, a) and not tu.same_array(a, a.copy())
    data = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(tu.np_reduce(data, (0, 2), True, np.sum),
                                  data.sum(axis=(0, 2), keepdims=True))
    np.testing.assert_array_equal(tu.np_reduce(data, None, False, np.max), data.max())
    np.testing.assert_array_equal(tu.collapse_sum_like(data, (3, 1)),
                                  data.sum(axis=(0, 2)).reshape(3, 1))


# -- random data -----------------------------------------------------------------------
def test_shapes_and_arrays():
    np.random.seed(0)
    for _ in range(10):
        s2, s3 = tu.rand_shape_2d(4, 5), tu.rand_shape_3d()
        assert 1 <= s2[0] <= 4 and 1 <= s2[1] <= 5 and len(s3) == 3
        nd_shape = tu.rand_shape_nd(4, dim=3)
        assert len(nd_shape) == 4 and all(1 <= d <= 3 for d in nd_shape)
        assert all(type(d) is int for d in nd_shape)
    assert 0 in {d for _ in range(50) for d in tu.rand_shape_nd(3, 1, allow_zero_size=True)}
    x, y = tu.rand_coord_2d(0, 5, 10, 20)
    assert 0 <= x < 5 and 10 <= y < 20
    arrays = tu.random_arrays((2, 3), (4,), ())
    assert [a.shape for a in arrays] == [(2, 3), (4,), ()]
    assert all(a.dtype == np.float32 for a in arrays)
    assert tu.random_arrays((2,)).shape == (2,)
    (u,) = tu.random_uniform_arrays((100,), low=2, high=3)
    assert u.min() >= 2 and u.max() < 3
    pop = list(range(10))
    sample = tu.random_sample(pop, 4)
    assert len(set(sample)) == 4 and pop == list(range(10))


def test_rand_ndarray_dense():
    arr = tu.rand_ndarray((3, 4), dtype="float64")
    assert isinstance(arr, mx.nd.NDArray) and arr.shape == (3, 4) and arr.dtype == np.float64
    assert arr.context == tu.default_context()


def test_matrices():
    np.random.seed(1)
    m = tu.new_matrix_with_real_eigvals_nd((2, 3, 3))
    assert m.shape == (2, 3, 3)
    assert np.allclose(np.linalg.eigvals(m[0]).imag, 0)
    s = tu.new_sym_matrix_with_real_eigvals_2d(4)
    np.testing.assert_allclose(s, s.T, atol=1e-10)
    q = tu.new_orthonormal_matrix_2d(3)
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-10)
    np.testing.assert_array_equal(tu.get_identity_mat(3).asnumpy(), np.eye(3))
    assert tu.get_identity_mat_batch(2).shape == (2, 2, 2)
    np.testing.assert_array_equal(tu.assign_each(np.array([1.0, 2.0]), lambda v: v * 3),
                                  [3.0, 6.0])
    np.testing.assert_array_equal(
        tu.assign_each2(np.array([1.0, 2.0]), np.array([3.0, 4.0]), lambda a, b: a + b),
        [4.0, 6.0])


# -- contexts and environment ----------------------------------------------------------
def test_default_context_honours_mxnet_test_ctx(monkeypatch):
    from mxnet._test_utils import data
    monkeypatch.setattr(data, "_CHOSEN", [False])
    monkeypatch.setenv("MXNET_TEST_CTX", "gpu(1)")
    assert tu.default_context() == mx.gpu(1)
    monkeypatch.setenv("MXNET_TEST_CTX", "cpu")
    assert tu.default_context() == mx.cpu(0)
    monkeypatch.delenv("MXNET_TEST_CTX")
    assert tu.default_context() == mx.current_context()
    assert tu.default_dtype() == np.float32


def test_set_default_context(monkeypatch):
    from mxnet._test_utils import data
    monkeypatch.setattr(data, "_CHOSEN", [False])
    old = mx.current_context()
    try:
        tu.set_default_context(mx.cpu(0))
        assert tu.default_context() == mx.cpu(0)
        assert mx.nd.zeros((1,)).context == mx.cpu(0)
    finally:
        tu.set_default_context(old)


def test_environment_sets_and_restores(monkeypatch):
    monkeypatch.setenv("MXT_KEEP", "old")
    monkeypatch.delenv("MXT_NEW", raising=False)
    with tu.environment({"MXT_KEEP": "new", "MXT_NEW": "1"}):
        assert os.environ["MXT_KEEP"] == "new" and os.environ["MXT_NEW"] == "1"
    assert os.environ["MXT_KEEP"] == "old" and "MXT_NEW" not in os.environ
    with pytest.raises(RuntimeError):
        with tu.environment("MXT_KEEP", None):
            assert "MXT_KEEP" not in os.environ
            raise RuntimeError("body failed")
    assert os.environ["MXT_KEEP"] == "old"
    with tu.EnvManager("MXT_NEW", "2"):
        assert os.environ["MXT_NEW"] == "2"
    assert "MXT_NEW" not in os.environ
    assert tu.set_env_var("MXT_NEW", "3", default_val="none") == "none"
    assert os.environ["MXT_NEW"] == "3"
    del os.environ["MXT_NEW"]


def test_discard_stderr_runs_the_body():
    ran = []
    with tu.discard_stderr():
        ran.append(1)
    assert ran == [1]


def test_flags_and_gpus(monkeypatch):
    monkeypatch.setenv("CD_JOB", "1")
    assert tu.is_cd_run()
    monkeypatch.setenv("CD_JOB", "0")
    assert not tu.is_cd_run()
    assert len(tu.list_gpus()) == mx.context.num_gpus()
    assert tu.is_op_runnable() and not tu.has_tvm_ops()


def test_with_seed_reproduces_and_restores(monkeypatch):
    monkeypatch.delenv("MXNET_TEST_SEED", raising=False)
    monkeypatch.delenv("MXNET_TEST_COUNT", raising=False)
    seen = []

    @tu.with_seed(123)
    def draw():
        seen.append((np.random.rand(), mx.nd.random.uniform(shape=(2,)).asnumpy()))
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    draw()
    draw()
    assert seen[0][0] == seen[1][0]
    np.testing.assert_array_equal(seen[0][1], seen[1][1])
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    monkeypatch.setenv("MXNET_TEST_COUNT", "3")
    calls = []
    tu.with_seed()(lambda: calls.append(1))()
    assert len(calls) == 3


def test_random_seed_context_manager():
    with tu.random_seed(7):
        a = np.random.rand()
    with tu.random_seed(7):
        b = np.random.rand()
    assert a == b


def test_download_from_a_file_url(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(b"payload")
    dst = tu.download(src.as_uri(), fname="out.bin", dirname=str(tmp_path / "d"))
    assert pathlib.Path(dst).read_bytes() == b"payload"
    src.write_bytes(b"changed")
    assert pathlib.Path(tu.download(src.as_uri(), fname="out.bin",
                                    dirname=str(tmp_path / "d"))).read_bytes() == b"payload"
    tu.download(src.as_uri(), fname="out.bin", dirname=str(tmp_path / "d"), overwrite=True)
    assert pathlib.Path(dst).read_bytes() == b"changed"
    with pytest.raises(Exception):
        tu.download((tmp_path / "missing").as_uri(), fname=str(tmp_path / "x"), retries=1)
    assert not (tmp_path / "x").exists()
    assert tu.download_model("no-such-model", dst_dir=str(tmp_path)) == (None, 0)


# -- generator statistics --------------------------------------------------------------
def test_generator_checks():
    rng = np.random.default_rng(0)
    gen = lambda n: rng.normal(0, 1, size=n)      # noqa: E731
    assert tu.mean_check(gen, 0, 1, nsamples=20000)
    assert tu.var_check(gen, 1, nsamples=20000)
    assert not tu.mean_check(lambda n: rng.normal(1, 1, size=n), 0, 1, nsamples=20000)
    from statistics import NormalDist
    buckets, probs = tu.gen_buckets_probs_with_ppf(
        lambda x: NormalDist().inv_cdf(min(max(x, 1e-12), 1 - 1e-12)), 5)
    p, obs, expected = tu.chi_square_check(gen, buckets, probs, nsamples=20000)
    assert p > 1e-4 and obs.sum() == 20000 and expected.dtype == np.int32
    tu.verify_generator(gen, buckets, probs, nsamples=5000, nrepeat=3)
    with pytest.raises(AssertionError, match="Generator test fails"):
        tu.verify_generator(lambda n: rng.normal(0.5, 1, size=n), buckets, probs,
                            nsamples=5000, nrepeat=3)
    discrete = tu.chi_square_check(lambda n: rng.integers(0, 3, size=n), [0, 1, 2],
                                   [1 / 3] * 3, nsamples=3000)
    assert discrete[0] > 1e-4


def test_chi2_survival_function_values():
    from mxnet._test_utils.stats import _chi2_sf
    # reference values of scipy.stats.chi2.sf
    assert abs(_chi2_sf(3.84145882, 1) - 0.05) < 1e-6
    assert abs(_chi2_sf(9.48772904, 4) - 0.05) < 1e-6
    assert abs(_chi2_sf(1.0, 10) - 0.99982788) < 1e-6


# -- gradient checks --------------------------------------------------------------------
def test_check_numeric_gradient_of_ndarray_functions():
    np.random.seed(0)
    x = np.random.uniform(0.5, 2.0, size=(3, 4))
    y = np.random.uniform(0.5, 2.0, size=(3, 4))
    tu.check_numeric_gradient(lambda a, b: a * b + a, [x, y], rtol=1e-2, atol=1e-2)
    tu.check_numeric_gradient(lambda data: data * data, {"data": x}, dtype=np.float64,
                              rtol=1e-5, atol=1e-6)
    tu.check_numeric_gradient(lambda a, b: a * b, [x, y], grad_nodes=["arg1"],
                              dtype=np.float64)


def test_check_numeric_gradient_detects_a_wrong_gradient():
    class WrongSquare(mx.autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x

        def backward(self, dy):
            (x,) = self.saved_tensors
            return dy * x          # should be 2 x dy
    x = np.random.uniform(0.5, 2.0, size=(2, 3))
    with pytest.raises(AssertionError, match="NUMERICAL_arg0"):
        tu.check_numeric_gradient(lambda a: WrongSquare()(a), [x], dtype=np.float64)


# -- Symbol-based checks, against a minimal stand-in of the Symbol API -------------------
class _FakeExecutor:
    """What the checks use of an Executor: dicts of arrays, forward, backward."""

    def __init__(self, sym, ctx, args, args_grad, grad_req, aux_states):
        self._sym, self._ctx = sym, ctx
        self.arg_dict = dict(args)
        self.grad_dict = dict(args_grad or {})
        self.aux_dict = dict(aux_states or {})
        names = sym.list_arguments()
        self._req = grad_req if isinstance(grad_req, dict) else {n: grad_req for n in names}
        self.arg_arrays = [self.arg_dict[n] for n in names]
        self.grad_arrays = [self.grad_dict.get(n) for n in names]
        self.outputs = []

    def forward(self, is_train=False):
        inputs = [self.arg_dict[n].copy() for n in self._sym.list_arguments()]
        if is_train:
            for x in inputs:
                x.attach_grad()
            with mx.autograd.record():
                out = self._sym.fn(*inputs)
        else:
            out = self._sym.fn(*inputs)
        # like MXNet's executors: the output arrays are reused, written in place
        self._inputs, self._out = inputs, out
        if self.outputs:
            self.outputs[0][:] = out
        else:
            self.outputs = [out.copy()]
        return self.outputs

    @property
    def output_dict(self):
        return dict(zip(self._sym.list_outputs(), self.outputs))

    def backward(self, out_grads=None):
        head = out_grads[0] if isinstance(out_grads, list) else out_grads
        self._out.backward(head)
        for name, x in zip(self._sym.list_arguments(), self._inputs):
            req, dst = self._req.get(name, "null"), self.grad_dict.get(name)
            if dst is None or req == "null":
                continue
            dst[:] = x.grad + dst if req == "add" else x.grad


class _FakeSymbol:
    def __init__(self, fn, names):
        self.fn, self._names = fn, list(names)

    def list_arguments(self):
        return list(self._names)

    def list_outputs(self):
        return ["out_output"]

    def list_auxiliary_states(self):
        return []

    def infer_shape(self, **shapes):
        out = self.fn(*[mx.nd.zeros(shapes[n]) for n in self._names])
        return [shapes[n] for n in self._names], [out.shape], []

    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None):
        return _FakeExecutor(self, ctx, args, args_grad, grad_req, aux_states)

    def simple_bind(self, ctx, grad_req="write", type_dict=None, **shapes):
        dtypes = type_dict or {}
        args = {n: mx.nd.zeros(shapes[n], ctx=ctx, dtype=dtypes.get(n, "float32"))
                for n in self._names}
        grads = {n: mx.nd.zeros(shapes[n], ctx=ctx, dtype=dtypes.get(n, "float32"))
                 for n in self._names}
        exe = _FakeExecutor(self, ctx, args, grads, grad_req, None)
        exe.forward()
        return exe


_MUL = _FakeSymbol(lambda a, b: a * b, ["a", "b"])


def test_simple_forward_and_check_symbolic_forward():
    a, b = np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])
    np.testing.assert_array_equal(tu.simple_forward(_MUL, a=a, b=b), [[3.0, 8.0]])
    outs = tu.check_symbolic_forward(_MUL, [a, b], [np.array([[3.0, 8.0]])])
    assert outs[0].shape == (1, 2)
    tu.check_symbolic_forward(_MUL, {"a": a, "b": b}, {"out_output": np.array([[3.0, 8.0]])})
    with pytest.raises(AssertionError, match="EXPECTED_out_output"):
        tu.check_symbolic_forward(_MUL, [a, b], [np.array([[3.0, 9.0]])])
    with pytest.raises(ValueError, match="do not match"):
        tu.check_symbolic_forward(_MUL, {"a": a}, [a])


def test_check_symbolic_backward_grad_reqs():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    g = np.array([1.0, 10.0])
    tu.check_symbolic_backward(_MUL, [a, b], [g], [g * b, g * a])
    tu.check_symbolic_backward(_MUL, [a, b], [g], [g * b, g * a], grad_req="add")
    tu.check_symbolic_backward(_MUL, [a, b], [g], {"a": g * b, "b": g * a},
                               grad_req={"a": "write", "b": "null"})
    with pytest.raises(AssertionError, match="BACKWARD_a"):
        tu.check_symbolic_backward(_MUL, [a, b], [g], [g * a, g * a])


def test_check_consistency_across_dtypes():
    ctx_list = [{"ctx": mx.cpu(0), "a": (2, 3), "b": (2, 3),
                 "type_dict": {"a": np.float64, "b": np.float64}},
                {"ctx": mx.cpu(0), "a": (2, 3), "b": (2, 3),
                 "type_dict": {"a": np.float32, "b": np.float32}}]
    gt = tu.check_consistency(_MUL, ctx_list)
    assert set(gt) >= {"out_output", "a", "b"}
    assert tu.check_speed(_MUL, ctx=mx.cpu(), N=2, a=(2, 2), b=(2, 2)) >= 0


@pytest.mark.skipif(not hasattr(mx.nd.sparse, "csr_matrix"), reason="no sparse arrays yet")
def test_rand_sparse_ndarrays():
    np.random.seed(0)
    csr = tu.rand_ndarray((5, 6), "csr", density=0.3)
    assert csr.stype == "csr" and csr.shape == (5, 6) and csr.data.shape == (9,)
    rsp, (values, indices) = tu.rand_sparse_ndarray((6, 2), "row_sparse", density=0.5)
    assert rsp.stype == "row_sparse"
    np.testing.assert_array_equal(rsp.asnumpy()[indices], values)
    empty = tu.rand_ndarray((5, 6), "row_sparse", density=0.0)
    assert empty.stype == "row_sparse" and not empty.asnumpy().any()
    fixed = tu.create_sparse_array((4, 3), "row_sparse", rsp_indices=[2, 0])
    np.testing.assert_array_equal(fixed.indices.asnumpy(), [0, 2])
    # powerlaw: row i + 1 holds twice the nonzeros of row i (MXNet's docstring example)
    power, _ = tu.rand_sparse_ndarray((5, 16), "csr", density=0.5, distribution="powerlaw")
    counts = np.diff(power.indptr.asnumpy())
    assert counts[2] == 2 * counts[1] and counts[3] == 2 * counts[2]
    with pytest.raises(ValueError, match="density"):
        tu.rand_ndarray((3, 3), "csr", density=1.5)


def test_dummy_iter_repeats_the_first_batch():
    class Source:
        provide_data, provide_label, batch_size = ["d"], ["l"], 4

        def __init__(self):
            self.batches = iter(["first", "second"])

        def __next__(self):
            return next(self.batches)
    it = tu.DummyIter(Source())
    assert [next(it) for _ in range(3)] == ["first"] * 3
    assert it.batch_size == 4 and it.provide_data == ["d"]
    assert "DummyIter" in tu.__all__ and callable(tu.check_gluon_hybridize_consistency)


def test_check_numeric_gradient_of_a_symbol():
    np.random.seed(2)
    a, b = np.random.uniform(0.5, 2, (2, 3)), np.random.uniform(0.5, 2, (2, 3))
    tu.check_numeric_gradient(_MUL, [a, b], dtype=np.float64)
    tu.check_numeric_gradient(_MUL, {"a": a, "b": b}, grad_nodes={"a": "add", "b": "null"},
                              dtype=np.float64)
    square = _FakeSymbol(lambda x: x * x, ["x"])
    tu.check_numeric_gradient(square, [a], numeric_eps=1e-3, rtol=1e-2, atol=1e-2)

    class HalfGrad(mx.autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x

        def backward(self, dy):
            return dy * self.saved_tensors[0]
    wrong = _FakeSymbol(lambda x: HalfGrad()(x), ["x"])
    with pytest.raises(AssertionError, match="NUMERICAL_x"):
        tu.check_numeric_gradient(wrong, [a], dtype=np.float64)


def test_checks_with_real_symbols_when_mx_symbol_is_installed():
    pytest.importorskip("mxnet.symbol")
    np.random.seed(3)
    a, b = mx.sym.Variable("a"), mx.sym.Variable("b")
    x, y = np.random.uniform(0.5, 2, (2, 3)), np.random.uniform(0.5, 2, (2, 3))
    tu.check_numeric_gradient(a * b, [x, y], dtype=np.float64)
    tu.check_symbolic_forward(a * b, [x, y], [x * y])
    tu.check_symbolic_backward(a * b, [x, y], [np.ones((2, 3))], [y, x], grad_req="add")
    fc = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=4, name="fc")
    tu.check_numeric_gradient(fc, [np.random.rand(3, 5), np.random.rand(4, 5),
                                   np.random.rand(4)], dtype=np.float64)
    gt = tu.check_consistency(fc, [
        {"ctx": mx.cpu(), "data": (3, 5), "type_dict": {"data": np.float64}},
        {"ctx": mx.cpu(), "data": (3, 5), "type_dict": {"data": np.float32}}])
    assert sorted(gt) == ["data", "fc_bias", "fc_output", "fc_weight"]
