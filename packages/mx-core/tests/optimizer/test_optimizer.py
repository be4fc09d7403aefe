"""mx.optimizer against MXNet 1.9.1's recorded trajectories, plus its bookkeeping."""
import json
import pathlib
import pickle

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "optim"
SPEC = json.loads((DATA / "optimizers.json").read_text())
TRAJ = np.load(DATA / "trajectories.npz")
CASES = [c for c in SPEC["cases"] if "steps" not in c]


def _kwargs(case):
    kwargs = dict(case["kwargs"])
    sched = kwargs.get("lr_scheduler")
    if isinstance(sched, str):
        # e.g. "FactorScheduler(step=2, factor=0.5, base_lr=0.1)"
        name, args = sched.rstrip(")").split("(")
        params = dict(a.split("=") for a in args.split(", "))
        kwargs["lr_scheduler"] = getattr(mx.lr_scheduler, name)(
            **{k: (int(v) if v.isdigit() else float(v)) for k, v in params.items()})
    return kwargs


def _run(case, weight=None):
    opt = mx.optimizer.create(case["optimizer"], **_kwargs(case))
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.array(TRAJ["weight0"] if weight is None else weight, dtype=case["dtype"])
    out = [w.asnumpy()]
    for k in range(5):
        upd(0, mx.nd.array(TRAJ[f"grad{k}"], dtype=case["dtype"]), w)
        out.append(w.asnumpy())
    return np.stack(out), upd


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_trajectory_matches_mxnet(case, monkeypatch):
    from mxnet.optimizer import _fused
    monkeypatch.setattr(_fused, "BLOCK", 4)       # exercise the blocked loop on tiny arrays
    got, _ = _run(case)
    want = TRAJ[case["trajectory_key"]]
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64),
                               rtol=case["rtol"], atol=case["atol"])


def test_named_wd_mult_matches_mxnet():
    case = next(c for c in SPEC["cases"] if c["id"] == "sgd-named-wd")
    kwargs = dict(case["kwargs"])
    kwargs["param_idx2name"] = {int(k): v for k, v in kwargs["param_idx2name"].items()}
    opt = mx.optimizer.create("sgd", **kwargs)
    upd = mx.optimizer.get_updater(opt)
    for idx, name in kwargs["param_idx2name"].items():
        assert opt._get_wd(idx) == pytest.approx(0.1 * case["wd_mult_observed"][name])
        w = mx.nd.array(TRAJ["weight0"])
        upd(idx, mx.nd.array(TRAJ["grad0"]), w)
        np.testing.assert_allclose(w.asnumpy(), TRAJ[f"namedwd.{name}"], rtol=1e-5,
                                   atol=1e-6)


def test_registry_names_match_mxnet():
    names = set(mx.optimizer.Optimizer.opt_registry)
    assert names >= {"sgd", "nag", "adam", "adamax", "nadam", "rmsprop", "adagrad",
                     "adadelta", "ftrl", "ftml", "signum", "lamb", "lars", "dcasgd", "sgld",
                     "lbsgd", "ccsgd", "groupadagrad", "test"}
    assert "adamw" not in names          # MXNet 1.9.1 has only the adamw_update operator
    with pytest.raises(ValueError, match="Cannot find optimizer"):
        mx.optimizer.create("nosuchopt")


def test_lr_mult_wd_mult():
    opt = mx.optimizer.SGD(learning_rate=0.5, wd=0.1,
                           param_idx2name={0: "fc_weight", 1: "fc_bias", 2: "x_gamma"})
    opt.set_lr_mult({"fc_weight": 2.0, 1: 0.1})
    opt.set_wd_mult({"fc_weight": 3.0})
    assert opt._get_lr(0) == pytest.approx(1.0)
    assert opt._get_lr(1) == pytest.approx(0.05)
    assert opt._get_lr(2) == pytest.approx(0.5)
    assert opt._get_wd(0) == pytest.approx(0.3)
    assert opt._get_wd(1) == 0.0                   # biases: no decay by default
    assert opt._get_wd(2) == pytest.approx(0.1)

    class Param:
        lr_mult, wd_mult = 4.0, 0.5
    opt.param_dict = {0: Param()}
    assert opt._get_lr(0) == pytest.approx(2.0)
    assert opt._get_wd(0) == pytest.approx(0.05)


def test_lr_mult_from_symbol_attrs():
    class Sym:
        def attr_dict(self):
            return {"w": {"__lr_mult__": "0.5", "__wd_mult__": "2"}}

        def list_arguments(self):
            return ["data", "w"]
    opt = mx.optimizer.SGD(learning_rate=1.0, wd=1.0, sym=Sym(), param_idx2name={3: "w"})
    assert opt._get_lr(3) == 0.5 and opt._get_wd(3) == 2.0


def test_update_count_and_scheduler():
    sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    opt = mx.optimizer.SGD(lr_scheduler=sched, begin_num_update=3)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.ones((2,))
    upd(0, mx.nd.ones((2,)), w)
    assert opt.num_update == 4 and opt._index_update_count[0] == 4
    assert opt.learning_rate == pytest.approx(0.125)
    with pytest.raises(UserWarning):
        opt.set_learning_rate(0.1)


def test_multi_precision_float16():
    opt = mx.optimizer.create("sgd", learning_rate=0.1, momentum=0.9, multi_precision=True)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.array(np.full((3,), 1.0), dtype="float16")
    for _ in range(3):
        upd(0, mx.nd.array(np.full((3,), 1e-3), dtype="float16"), w)
    mom, master = upd.states[0]
    assert master.dtype == np.float32 and mom.dtype == np.float32 and w.dtype == np.float16
    # a float32 master accumulates steps far below float16's resolution near 1.0
    want = 1.0 - 0.1 * 1e-3 * (1 + 1.9 + 2.71)
    assert master.asnumpy() == pytest.approx(np.full(3, want), rel=1e-6)
    np.testing.assert_array_equal(w.asnumpy(), master.asnumpy().astype(np.float16))


@pytest.mark.parametrize("name", ["adam", "rmsprop", "lamb", "nag"])
def test_multi_precision_other_optimizers(name):
    opt = mx.optimizer.create(name, learning_rate=0.01, multi_precision=True)
    upd = mx.optimizer.get_updater(opt)
    w16 = mx.nd.array(TRAJ["weight0"], dtype="float16")
    w32 = mx.nd.array(TRAJ["weight0"])
    ref = mx.optimizer.get_updater(mx.optimizer.create(name, learning_rate=0.01))
    for k in range(3):
        upd(0, mx.nd.array(TRAJ[f"grad{k}"], dtype="float16"), w16)
        ref(0, mx.nd.array(TRAJ[f"grad{k}"]), w32)
    np.testing.assert_allclose(w16.asnumpy(), w32.asnumpy(), rtol=2e-3, atol=2e-3)


def test_fp16_without_multi_precision_warns():
    opt = mx.optimizer.create("sgd", momentum=0.9)
    with pytest.warns(UserWarning, match="multi_precision"):
        opt.create_state_multi_precision(0, mx.nd.ones((2,), dtype="float16"))


@pytest.mark.parametrize("dump", [False, True])
def test_states_round_trip(dump):
    case = {"optimizer": "adam", "kwargs": {"learning_rate": 0.01}, "dtype": "float32"}
    _, upd = _run(case)
    blob = upd.get_states(dump_optimizer=dump)
    fresh = mx.optimizer.get_updater(mx.optimizer.create("adam", learning_rate=0.5))
    fresh.set_states(blob)
    for a, b in zip(upd.states[0], fresh.states[0]):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    if dump:
        assert type(fresh.optimizer) is mx.optimizer.Adam
        assert fresh.optimizer.lr == 0.01 and fresh.optimizer.num_update == 5
    # continuing from the restored states equals continuing the original
    w1, w2 = mx.nd.array(TRAJ["weight0"]), mx.nd.array(TRAJ["weight0"])
    upd(0, mx.nd.array(TRAJ["grad0"]), w1)
    if dump:
        fresh(0, mx.nd.array(TRAJ["grad0"]), w2)
        np.testing.assert_array_equal(w1.asnumpy(), w2.asnumpy())


def test_states_format_is_mxnets():
    upd = mx.optimizer.get_updater(mx.optimizer.create("sgd", momentum=0.9))
    upd(0, mx.nd.ones((2, 3)), mx.nd.ones((2, 3)))
    blob = upd.get_states()
    # The exact bytes real MXNet 1.9.1 writes for this state (float32 -0.01 x 6, cpu(0)).
    record = (b"\xc9\xfa\x93\xf9\x00\x00\x00\x00\x02\x00\x00\x00\x02" + b"\x00" * 7
              + b"\x03" + b"\x00" * 7 + b"\x01\x00\x00\x00" + b"\x00" * 8
              + b"\n\xd7#\xbc" * 6)
    assert record in blob and b"mxnet.ndarray.ndarray" in blob and b"NDArray" in blob


def test_set_states_refuses_foreign_globals():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))
    upd = mx.optimizer.get_updater(mx.optimizer.create("sgd"))
    with pytest.raises(MXNetError, match="refusing to load global builtins.print"):
        upd.set_states(pickle.dumps({0: Evil()}))
    with pytest.raises(MXNetError, match="refusing to load global os.system"):
        upd.set_states(b"\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x02id\x85R.")


def test_aggregated_sgd_calls_match_single():
    opt = mx.optimizer.create("sgd", learning_rate=0.1, momentum=0.9, wd=0.01)
    upd = mx.optimizer.get_updater(opt)
    single = mx.optimizer.get_updater(mx.optimizer.create("sgd", learning_rate=0.1,
                                                          momentum=0.9, wd=0.01))
    ws = [mx.nd.array(TRAJ["weight0"] * (i + 1)) for i in range(6)]
    ws2 = [w.copy() for w in ws]
    gs = [mx.nd.array(TRAJ["grad0"]) for _ in range(6)]
    upd(list(range(6)), gs, ws)
    for i in range(6):
        single(i, gs[i], ws2[i])
    for a, b in zip(ws, ws2):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6)


def test_dcasgd_momentum_runs():
    # MXNet 1.9.1 itself fails on this configuration; ours follows the documented update.
    opt = mx.optimizer.create("dcasgd", learning_rate=0.1, momentum=0.9, lamda=0.1)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.array(TRAJ["weight0"])
    upd(0, mx.nd.array(TRAJ["grad0"]), w)
    np.testing.assert_allclose(w.asnumpy(), TRAJ["weight0"] - 0.1 * TRAJ["grad0"], rtol=1e-5)


def test_sgld_noise_scale():
    mx.random.seed(0) if hasattr(mx.random, "seed") else None
    opt = mx.optimizer.create("sgld", learning_rate=0.04)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.zeros((20000,))
    upd(0, mx.nd.zeros((20000,)), w)
    assert abs(float(w.asnumpy().std()) - 0.2) < 0.01


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_trajectory_through_registered_operators(case, monkeypatch):
    # Other backends run the registered update operators (mx.nd.sgd_mom_update, ...)
    # instead of the blocked NumPy kernels: same numbers.
    from mxnet.optimizer import _fused
    monkeypatch.setattr(_fused, "PREFER_OPS", True)
    got, _ = _run(case)
    np.testing.assert_allclose(got.astype(np.float64),
                               TRAJ[case["trajectory_key"]].astype(np.float64),
                               rtol=case["rtol"], atol=case["atol"])


def test_mp_nag_matches_mxnet_in_place_quirk():
    # Real MXNet 1.9.1: mp_nag_mom_update(w16, g, mom, w32, out=w16, lr=0.1, momentum=0.9,
    # wd=0.1, rescale_grad=0.5) from w=[1, 2], g=[0.5, -1], mom=[0.3, 0.1].
    opt = mx.optimizer.NAG(learning_rate=0.1, momentum=0.9, wd=0.1, rescale_grad=0.5,
                           multi_precision=True)
    w = mx.nd.array([1., 2.], dtype="float16")
    state = opt.create_state_multi_precision(0, w)
    state[0][:] = mx.nd.array([0.3, 0.1])
    opt.update_multi_precision(0, w, mx.nd.array([0.5, -1.], dtype="float16"), state)
    np.testing.assert_allclose(state[1].asnumpy(), [1.1765001, 2.138], rtol=1e-6)
    np.testing.assert_allclose(state[0].asnumpy(), [0.233235, 0.11861999], rtol=1e-6)
    np.testing.assert_allclose(w.asnumpy(), [1.177, 2.139], rtol=1e-3)


MIXED = json.loads((DATA / "mixed_configs.json").read_text())


@pytest.mark.parametrize("case", MIXED["cases"],
                         ids=[f"{c['optimizer']}-{i}" for i, c in enumerate(MIXED["cases"])])
def test_mixed_configs_match_mxnet(case):
    kwargs = dict(case["kwargs"])
    if "param_idx2name" in kwargs:
        kwargs["param_idx2name"] = {int(k): v for k, v in kwargs["param_idx2name"].items()}
    opt = mx.optimizer.create(case["optimizer"], **kwargs)
    opt.set_lr_mult({2: 0.5})
    upd = mx.optimizer.get_updater(opt)
    dt = case["dtype"]
    ws = [mx.nd.array(np.array(w, dtype=np.float32), dtype=dt) for w in MIXED["weights"]]
    for gs in MIXED["grads"]:
        upd([0, 1, 2], [mx.nd.array(np.array(g, dtype=np.float32), dtype=dt) for g in gs], ws)
    tol = 2e-3 if dt == "float16" else 2e-5
    for w, want in zip(ws, case["final"]):
        np.testing.assert_allclose(w.asnumpy().astype(np.float64), want, rtol=tol, atol=tol)


def _mp_batch(w0, w1):
    upd_args = ([mx.nd.ones((2, 3)) * 0.5, mx.nd.ones((4,), dtype="float16") * 0.25],
                [w0, w1])
    return upd_args


@pytest.mark.parametrize("dump", [False, True])
def test_reads_mxnet_states_files(dump):
    saved = np.load(DATA / "mxnet_sgd_mp_states.npz")
    name = "mxnet_sgd_mp_dump.states" if dump else "mxnet_sgd_mp.states"
    upd = mx.optimizer.get_updater(mx.optimizer.create(
        "sgd", learning_rate=0.05, momentum=0.9, wd=0.01, multi_precision=True))
    upd.set_states((DATA / name).read_bytes())
    np.testing.assert_array_equal(upd.states[0].asnumpy(), saved["after3.mom0"])
    mom1, master1 = upd.states[1]
    np.testing.assert_array_equal(mom1.asnumpy(), saved["after3.mom1"])
    np.testing.assert_array_equal(master1.asnumpy(), saved["after3.master1"])
    if not dump:
        return
    opt = upd.optimizer
    assert type(opt) is mx.optimizer.SGD and opt.num_update == 3 and opt.momentum == 0.9
    assert type(opt.lr_scheduler) is mx.lr_scheduler.FactorScheduler
    assert opt._index_update_count is opt._all_index_update_counts[0]
    w0 = mx.nd.array(saved["after3.w0"])
    w1 = mx.nd.array(saved["after3.w1"], dtype="float16")
    grads, weights = _mp_batch(w0, w1)
    upd([0, 1], grads, weights)
    np.testing.assert_allclose(w0.asnumpy(), saved["after4.w0"], rtol=1e-6)
    np.testing.assert_array_equal(w1.asnumpy(), saved["after4.w1"])
    # and back: our file carries the same structure (MXNet reads it: checked by hand)
    again = mx.optimizer.get_updater(mx.optimizer.create("adam"))
    again.set_states(upd.get_states(dump_optimizer=True))
    assert type(again.optimizer) is mx.optimizer.SGD and again.optimizer.num_update == 4
    assert b"mxnet.optimizer.optimizer" in upd.get_states(dump_optimizer=True)


ROW_SPARSE = json.loads((DATA / "row_sparse_mxnet.json").read_text())


@pytest.mark.parametrize("key", list(ROW_SPARSE))
def test_row_sparse_gradients_match_mxnet(key):
    # lazy_update: only the rows a row_sparse gradient stores move (momentum and wd too)
    name, kwargs = key.split("{", 1)
    kwargs = eval("{" + kwargs, {})              # noqa: S307 - the file's own keys
    upd = mx.optimizer.get_updater(mx.optimizer.create(name, **kwargs))
    w = mx.nd.array(np.arange(12).reshape(4, 3) / 10.)
    for rows in ([0, 2], [1, 2], [3]):
        g = mx.nd.sparse.row_sparse_array(
            (np.ones((len(rows), 3), dtype=np.float32) * 0.5, rows), shape=(4, 3),
            dtype="float32")
        upd(0, g, w)
    np.testing.assert_allclose(w.asnumpy(), ROW_SPARSE[key], rtol=1e-5, atol=1e-6)


def test_corrupt_state_records_raise():
    from mxnet.optimizer import _states
    good = _states.encode_ndarray(mx.nd.ones((2, 3)))
    assert _states.decode_ndarray(good).asnumpy().tolist() == [[1.0] * 3] * 2
    with pytest.raises(MXNetError, match="bad NDArray magic"):
        _states.decode_ndarray(b"\x00" * len(good))
    with pytest.raises(MXNetError, match="data bytes"):
        _states.decode_ndarray(good[:-4])
    with pytest.raises(MXNetError, match="truncated"):
        _states.decode_ndarray(good[:10])
    huge = bytearray(good)
    huge[12:20] = (2 ** 62).to_bytes(8, "little")           # a shape far past the data
    with pytest.raises(MXNetError, match="data bytes"):
        _states.decode_ndarray(bytes(huge))
    upd = mx.optimizer.get_updater(mx.optimizer.create("sgd"))
    with pytest.raises(MXNetError, match="cannot read"):
        upd.set_states(b"\x80\x04garbage")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sgld_noise_is_mx_random_normal(dtype):
    # MXNet draws SGLD's noise with mx.random.normal(0, sqrt(lr)) in the weight's dtype,
    # so a seeded update is reproducible against the same draw.
    weight = mx.nd.array(np.linspace(-1, 1, 12).reshape(3, 4), dtype=dtype)
    grad = mx.nd.array(np.linspace(0.5, -0.5, 12).reshape(3, 4), dtype=dtype)
    lr, wd = 0.01, 0.03
    opt = mx.optimizer.SGLD(learning_rate=lr, wd=wd)
    mx.random.seed(7)
    noise = mx.random.normal(0, np.sqrt(lr), shape=(3, 4), dtype=dtype).asnumpy()
    w, g = weight.asnumpy(), grad.asnumpy()
    expected = w - lr / 2 * (g + wd * w) + noise
    mx.random.seed(7)
    opt.update(0, weight, grad, None)
    np.testing.assert_allclose(weight.asnumpy(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("scale", [0.0, float("nan"), float("inf")])
def test_adamw_update_skips_zero_and_nonfinite_scale(scale):
    # MXNet 1.9.1 skips the AdamW step (weight and moments untouched) when the
    # rescale_grad array holds 0, NaN or Inf: dynamic loss scaling relies on it.
    weight, grad = mx.nd.ones((2, 2)), mx.nd.ones((2, 2))
    mean, var = mx.nd.zeros((2, 2)), mx.nd.zeros((2, 2))
    rescale = mx.nd.array([scale])
    mx.nd.contrib.adamw_update(weight, grad, mean, var, rescale, out=weight,
                               eta=1.0, lr=1.0, wd=0.1)
    mx.nd.contrib.multi_adamw_update([weight], [grad], [mean], [var], rescale,
                                     out=[weight], etas=[1.0], lrs=[1.0], wds=[0.1])
    assert weight.asnumpy().tolist() == [[1, 1], [1, 1]]
    assert mean.asnumpy().sum() == 0 and var.asnumpy().sum() == 0
