"""Optimizer update operators against golden values written by MXNet 1.9.1.

tests/data/optimizer_op/make_golden.py (run with a real MXNet) wrote, per case, the
inputs, the returned arrays and every input after the call: the states (momentum,
mean, var, float32 master weights...) are updated in place, as in MXNet.
"""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "optimizer_op"
CASES = json.loads((DATA / "cases.json").read_text())
GOLDEN = np.load(DATA / "golden.npz")


ROLES = {"weight": "weights", "grad": "grads", "mean": "mean", "var": "var",
         "weight32": "weights32"}


def _fn(path):
    if path.startswith("contrib."):
        # MXNet's Python wrappers; ndarray/contrib.py re-exports them
        fn = getattr(mx.nd.contrib, path[8:], None)
        if fn is None or hasattr(fn, "opdef"):
            from mxnet.ndarray import _contrib_optimizer
            fn = getattr(_contrib_optimizer, path[8:])
        return fn
    return getattr(mx.nd, path)


def _call(path, nds, names, kwargs):
    """Call as make_golden.py did: contrib.multi_* take one list per role."""
    if path.startswith("contrib.multi_"):
        lists = {}
        for a, n in zip(nds, names):
            lists.setdefault(ROLES[n], []).append(a)
        res = _fn(path)(*lists.values(), out=lists["weights"], **kwargs)
    else:
        if "multi" in path:
            kwargs = dict(kwargs, out=[a for a, n in zip(nds, names) if n == "weight"])
        res = _fn(path)(*nds, **kwargs)
    return res if isinstance(res, (list, tuple)) else [res]


def _close(actual, expected, what):
    assert actual.dtype == expected.dtype, what
    tol = 2e-3 if actual.dtype == np.float16 else 1e-5
    np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64),
                               rtol=tol, atol=tol / 10, err_msg=what)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c["op"] for c in CASES])
def test_matches_mxnet(i):
    case = CASES[i]
    inputs = [GOLDEN[f"{i}.in.{j}"] for j in range(len(case["inputs"]))]
    nds = [mx.nd.array(a, dtype=a.dtype) for a in inputs]
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    res = _call(case["op"], nds, case["inputs"], kwargs)
    assert len(res) == case["n_out"]
    for j, r in enumerate(res):
        _close(r.asnumpy(), GOLDEN[f"{i}.out.{j}"], f"{case['op']} output {j}")
    for j, (a, name) in enumerate(zip(nds, case["inputs"])):
        _close(a.asnumpy(), GOLDEN[f"{i}.after.{j}"], f"{case['op']} {name} after")


def test_out_weight_updates_in_place_and_records_nothing():
    w = mx.nd.array(np.ones((2, 3)))
    g = mx.nd.array(np.full((2, 3), 0.5))
    mom = mx.nd.zeros((2, 3))
    w.attach_grad()
    out = mx.nd.sgd_mom_update(w, g, mom, lr=0.1, momentum=0.9, out=w)
    assert out is w
    np.testing.assert_allclose(w.asnumpy(), 1 - 0.05)
    np.testing.assert_allclose(mom.asnumpy(), -0.05)
    assert not mx.nd.sgd_update.opdef.differentiable
    # as MXNet 1.9.1: writing into a marked variable while recording is refused
    with pytest.raises(mx.base.MXNetError, match="already in a computational graph"):
        with mx.autograd.record():
            mx.nd.sgd_mom_update(w, g, mom, lr=0.1, momentum=0.9, out=w)


def test_clip_gradient_negative_means_off():
    w, g = mx.nd.zeros((4,)), mx.nd.array([-10.0, -1.0, 1.0, 10.0])
    np.testing.assert_allclose(mx.nd.sgd_update(w, g, lr=1.0).asnumpy(), [10, 1, -1, -10])
    np.testing.assert_allclose(mx.nd.sgd_update(w, g, lr=1.0, clip_gradient=2).asnumpy(),
                               [2, 1, -1, -2])


def test_string_params_and_errors():
    w, g = mx.nd.ones((2,)), mx.nd.ones((2,))
    res = mx.nd.sgd_update(w, g, lr="0.5", wd="0", rescale_grad="2")
    np.testing.assert_allclose(res.asnumpy(), [0.0, 0.0])
    with pytest.raises(mx.MXNetError, match="lr"):
        mx.nd.sgd_update(w, g)
    with pytest.raises(mx.MXNetError, match="multi_sgd_update"):
        mx.nd.multi_sgd_update(w, g, w, lrs=(0.1,), wds=(0.0,), num_weights=2)


def test_adamw_skips_non_finite_rescale():
    w = mx.nd.ones((3,))
    mean, var = mx.nd.zeros((3,)), mx.nd.zeros((3,))
    out = _fn("contrib.adamw_update")(w, mx.nd.ones((3,)), mean, var,
                                      mx.nd.array([np.inf]), lr=0.1, eta=1.0)
    np.testing.assert_array_equal(out.asnumpy(), 1.0)
    np.testing.assert_array_equal(mean.asnumpy(), 0.0)
    outs = _fn("contrib.multi_adamw_update")([w], [w], [mean], [var], float("nan"),
                                             lrs=(0.1,), wds=(0.0,), etas=(1.0,))
    np.testing.assert_array_equal(outs[0].asnumpy(), 1.0)


def test_adagrad_dense():
    rng = np.random.default_rng(0)
    w0, g0 = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    h0 = np.abs(rng.standard_normal((2, 3)))
    w, h = mx.nd.array(w0), mx.nd.array(h0)
    mx.nd.sparse.adagrad_update(w, mx.nd.array(g0), h, lr=0.1, epsilon=0.5,
                                rescale_grad=2.0, clip_gradient=0.5, out=w)
    g = np.clip(2 * g0, -0.5, 0.5)
    np.testing.assert_allclose(h.asnumpy(), h0 + g * g, rtol=1e-6)
    np.testing.assert_allclose(w.asnumpy(), w0 - 0.1 * g / np.sqrt(h0 + g * g + 0.5),
                               rtol=1e-6)
    with pytest.raises(mx.MXNetError, match="wd"):
        mx.nd.sparse.adagrad_update(w, w, h, lr=0.1, wd=0.1)


def test_multi_input_names():
    op = mx.nd.multi_mp_sgd_mom_update.opdef
    names = op.input_names({"num_weights": 2})
    assert names == ("weight_0", "grad_0", "mom_0", "weight32_0",
                     "weight_1", "grad_1", "mom_1", "weight32_1")
    assert mx.nd.preloaded_multi_sgd_update.opdef.input_names(
        {"num_weights": 1}) == ("weight_0", "grad_0", "lrs", "wds")
