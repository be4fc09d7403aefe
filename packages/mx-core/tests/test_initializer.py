"""mx.init against MXNet 1.9.1's golden values, dispatch table and dumps strings."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent / "data" / "init"
SPEC = json.loads((DATA / "initializers.json").read_text())
DET = np.load(DATA / "deterministic.npz")

# The fixture's initializer expressions, evaluated in mx.init's namespace.
_NS = {name: getattr(mx.init, name) for name in mx.init.__all__}


def _make(expr):
    return eval(expr.split(" on ")[0], {}, dict(_NS))   # noqa: S307 - fixture text


def _fill(init, name, shape, dtype="float32", attrs=None):
    arr = mx.nd.zeros(tuple(shape), dtype=dtype)
    init(mx.init.InitDesc(name, attrs=attrs), arr)
    return arr.asnumpy()


@pytest.mark.parametrize("case", SPEC["deterministic"], ids=lambda c: c["key"])
def test_deterministic_values(case):
    init = _make(case["initializer"])
    got = _fill(init, case["desc_name"], case["shape"])
    np.testing.assert_array_equal(got, DET[case["key"]])
    if case["dumps"] is not None:
        assert init.dumps() == case["dumps"]


def _stats_ok(values, analytic):
    n = values.size
    if analytic["distribution"] == "uniform":
        lo, hi = analytic["low"], analytic["high"]
        assert values.min() >= lo and values.max() <= hi
        std = (hi - lo) / np.sqrt(12)
        assert abs(values.mean() - (lo + hi) / 2) < 5 * std / np.sqrt(n)
        assert values.std() == pytest.approx(std, rel=0.1)
        # both ends are reached (the draw covers the whole interval)
        assert values.min() < lo + 0.05 * (hi - lo) and values.max() > hi - 0.05 * (hi - lo)
    else:
        std = analytic["std"]
        assert abs(values.mean() - analytic["mean"]) < 5 * std / np.sqrt(n)
        assert values.std() == pytest.approx(std, rel=0.1)


@pytest.mark.parametrize("case", SPEC["random"],
                         ids=lambda c: f"{c['initializer']}-{'x'.join(map(str, c['shape']))}")
def test_random_distributions(case):
    mx.random.seed(7)
    init = _make(case["initializer"])
    assert init.dumps() == case["dumps"]
    got = _fill(init, "w_weight", case["shape"]).astype(np.float64)
    analytic = case["analytic"]
    if analytic["distribution"] == "orthogonal":
        flat = got.reshape(case["shape"][0], -1)
        gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
        obs = case["observed_on_mxnet"]
        np.testing.assert_allclose(np.diag(gram).mean(), obs["gram_diag_mean"], rtol=1e-5)
        off = gram - np.diag(np.diag(gram))
        assert np.abs(off).max() < 1e-5
    else:
        _stats_ok(got, analytic)


def _expect(result, got, low=-0.5, high=0.5):
    if result == "all zero":
        assert (got == 0).all()
    elif result == "all one":
        assert (got == 1).all()
    elif result.startswith("random in"):
        assert got.min() >= low and got.max() <= high and got.std() > 0.1
    elif result.startswith("values"):
        np.testing.assert_array_equal(got, np.array(json.loads(result[len("values "):])))
    else:
        raise AssertionError(result)


@pytest.mark.parametrize("case", SPEC["by_name_dispatch"],
                         ids=lambda c: c["desc_name"] + ("+attrs" if "attrs" in c else ""))
def test_name_dispatch(case):
    init = _make(case["initializer"])
    shape = (2, 2) if "attrs" in case else (6,) if "stn_loc_bias" in case["desc_name"] \
        else (16, 16)
    if case["result"].startswith("raises: "):
        with pytest.raises(ValueError) as err:
            _fill(init, case["desc_name"], shape)
        assert str(err.value) == case["result"][len("raises: "):]
        return
    _expect(case["result"], _fill(init, case["desc_name"], shape, attrs=case.get("attrs")))


@pytest.mark.parametrize("expr,text", list(SPEC["dumps"].items()))
def test_dumps_strings(expr, text):
    init = _make(expr)
    assert init.dumps() == text
    again = mx.init.create(text)
    assert type(again) is type(init) and again.dumps() == text


def test_create_forms():
    assert isinstance(mx.init.create("Xavier", magnitude=2), mx.init.Xavier)
    assert isinstance(mx.init.create("zeros"), mx.init.Zero)
    assert isinstance(mx.init.create("ones"), mx.init.One)
    x = mx.init.create('["xavier", {"magnitude": 2}]')
    assert x.magnitude == 2.0 and x.factor_type == "avg"
    assert mx.init.create({"initializer": "normal", "sigma": 0.5}).sigma == 0.5
    inst = mx.init.Uniform(0.3)
    assert mx.init.create(inst) is inst
    assert mx.init.Uniform(0.3) == inst and mx.init.Uniform(0.2) != inst
    with pytest.raises(MXNetError, match="nosuch is not registered"):
        mx.init.create("nosuch")



def test_init_attr_overrides_and_global_init():
    desc = mx.init.InitDesc("fc_weight", attrs={"__init__": mx.init.Constant(3).dumps()})
    arr = mx.nd.zeros((2, 2))
    init = mx.init.Uniform()
    init(desc, arr)
    assert (arr.asnumpy() == 3).all() and desc.global_init is init


def test_legacy_string_call():
    init = mx.init.Uniform(0.1)
    arr = mx.nd.zeros((4,))
    with pytest.warns(DeprecationWarning):
        init("bn_moving_var", arr)
    assert (arr.asnumpy() == 1).all()
    up = mx.nd.zeros((1, 1, 4, 4))
    with pytest.warns(DeprecationWarning):
        init("upsampling0_weight", up)
    np.testing.assert_array_equal(up.asnumpy(), DET["det04"])
    loc = mx.nd.zeros((6,))
    with pytest.warns(DeprecationWarning):
        init("stn_loc_bias", loc)
    np.testing.assert_array_equal(loc.asnumpy(), [1, 0, 0, 0, 1, 0])


def test_xavier_gaussian_and_errors():
    mx.random.seed(3)
    got = _fill(mx.init.Xavier(rnd_type="gaussian", factor_type="out", magnitude=2),
                "w_weight", (200, 50))
    assert got.std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)
    with pytest.raises(ValueError, match="cannot be applied to vector"):
        _fill(mx.init.Xavier(), "w_weight", (5,))
    with pytest.raises(ValueError, match="Incorrect factor type"):
        _fill(mx.init.Xavier(factor_type="bad"), "w_weight", (5, 5))


def test_float16_and_float64_targets():
    for dtype in ("float16", "float64"):
        got = _fill(mx.init.Uniform(0.2), "w_weight", (64, 32), dtype=dtype)
        assert got.dtype == np.dtype(dtype) and np.abs(got).max() <= 0.2


def test_mixed_and_load():
    mixed = mx.init.Mixed(["bias", ".*"], [mx.init.Zero(), mx.init.Constant(0.3)])
    arr = mx.nd.zeros((2,))
    mixed(mx.init.InitDesc("fc_weight"), arr)
    assert np.allclose(arr.asnumpy(), 0.3)
    with pytest.raises(ValueError, match="did not match any pattern"):
        mx.init.Mixed(["bias"], [mx.init.Zero()])("fc_weight", arr)
    load = mx.init.Load({"arg:fc_weight": mx.nd.ones((2,)) * 5}, default_init=mx.init.One())
    load("fc_weight", arr)
    assert (arr.asnumpy() == 5).all()
    load(mx.init.InitDesc("other_weight"), arr)
    assert (arr.asnumpy() == 1).all()
    with pytest.raises(MXNetError, match="Shape mismatch"):
        load("fc_weight", mx.nd.zeros((3,)))
    with pytest.raises(MXNetError, match="no default Initializer"):
        mx.init.Load({})("x", arr)


def test_constant_array_dumps():
    assert mx.init.Constant(mx.nd.array([1, 2])).dumps() == \
        '["constant", {"value": [1.0, 2.0]}]'


def test_fused_rnn_rejects_a_vector_of_the_wrong_size():
    init = mx.init.FusedRNN(mx.init.One(), 3, 2, "lstm")
    with pytest.raises(mx.base.MXNetError, match="does not fit 2 lstm layer"):
        init(mx.init.InitDesc("rnn_weight"), mx.nd.zeros((7,)))
