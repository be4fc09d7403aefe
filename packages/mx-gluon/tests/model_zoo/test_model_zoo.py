"""gluon.model_zoo: every architecture against MXNet 1.9.1's names, shapes and outputs.

``data/model_zoo_params.json`` is written by real MXNet 1.9.1 (``data/make_model_zoo_json.py``).
"""
import hashlib
import json
import os
import shutil
import zipfile

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.gluon.model_zoo import model_store, vision

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(HERE, "..", "data", "models")


def _load_json(path):
    with open(path) as f:
        return json.load(f)


def _load_io(model):
    with np.load(os.path.join(MODELS_DIR, f"{model}.io.npz")) as io:
        return io["data"], io["output"]


REF = _load_json(os.path.join(HERE, "data", "model_zoo_params.json"))
GOLDEN = _load_json(os.path.join(MODELS_DIR, "models.json"))
FORWARD = sorted(name for name, rec in REF.items() if "forward" in rec)


def _build(name, **kwargs):
    # A fresh NameManager, as in the reference, so prefixed names start at ``<model>0_``.
    with mx.name.NameManager():
        return vision.get_model(name, classes=10, **kwargs)


def _describe(net):
    params = net._collect_params_with_prefix()
    lines = sorted(f"{key} {p.name} {tuple(p.shape)}" for key, p in params.items())
    scalars = sum(int(np.prod(p.shape)) for p in params.values())
    return lines, scalars


def _fill(net):
    """The deterministic parameter values of make_model_zoo_json.fill."""
    rng = np.random.RandomState(0)
    for key, param in sorted(net._collect_params_with_prefix().items()):
        shape = param.shape
        if key.endswith(("gamma", "running_var")):
            value = rng.uniform(0.5, 1.5, shape)
        elif len(shape) >= 2:
            value = rng.uniform(-1, 1, shape) * np.sqrt(3.0 / np.prod(shape[1:]))
        else:
            value = rng.uniform(-0.1, 0.1, shape)
        param.set_data(mx.nd.array(value.astype("float32")))


def test_every_reference_model_is_listed():
    assert len(REF) == 34
    for name in REF:
        assert callable(vision._MODELS[name])


@pytest.mark.parametrize("name", sorted(REF))
def test_parameter_names_and_shapes_match_mxnet(name):
    ref = REF[name]
    net = _build(name)
    assert net.prefix == ref["prefix"]
    net.infer_shape(mx.nd.zeros((1, 3, ref["input"], ref["input"])))
    lines, scalars = _describe(net)
    assert (len(lines), scalars) == (ref["count"], ref["scalars"])
    assert lines[:3] == ref["first"] and lines[-3:] == ref["last"]
    assert hashlib.sha1("\n".join(lines).encode()).hexdigest() == ref["sha1"]


@pytest.mark.parametrize("name", FORWARD)
def test_forward_matches_mxnet(name):
    ref = REF[name]["forward"]
    size = ref["input"]
    data = mx.nd.array(np.random.RandomState(1).uniform(0, 1, (1, 3, size, size))
                       .astype("float32"))
    net = _build(name)
    net.initialize()
    net.infer_shape(data)
    _fill(net)
    out = net(data)
    assert out.shape == (1, 10)
    expected = np.array(ref["output"], dtype="float32")
    atol = 1e-4 * max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(out.asnumpy()[0], expected, rtol=1e-3, atol=atol)


def test_hybridized_forward_matches_imperative():
    data = mx.nd.array(np.random.RandomState(2).uniform(0, 1, (2, 3, 64, 64)))
    net = _build("resnet18_v2")
    net.initialize()
    net.infer_shape(data)
    _fill(net)
    expected = net(data).asnumpy()
    net.hybridize()
    np.testing.assert_allclose(net(data).asnumpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("model,factory", [("mobilenet0.25", vision.mobilenet0_25),
                                           ("squeezenet1.1", vision.squeezenet1_1)])
@pytest.mark.parametrize("hybridize", [False, True])
def test_golden_parameters_give_recorded_outputs(model, factory, hybridize):
    rec = GOLDEN[model]
    data, expected = _load_io(model)
    net = factory()
    net.load_parameters(os.path.join(MODELS_DIR, f"{model}.save_parameters.params"))
    if hybridize:
        net.hybridize()
    out = net(mx.nd.array(data)).asnumpy()
    assert out.shape == tuple(rec["output_shape"])
    np.testing.assert_allclose(out, expected, rtol=rec["recommended_rtol"],
                               atol=rec["recommended_atol"])


@pytest.mark.parametrize("model,factory", [("mobilenet0.25", vision.mobilenet0_25),
                                           ("squeezenet1.1", vision.squeezenet1_1)])
def test_export_matches_mxnet_symbol_and_params(tmp_path, model, factory):
    data, _ = _load_io(model)
    with mx.name.NameManager():
        net = factory()
    net.load_parameters(os.path.join(MODELS_DIR, f"{model}.save_parameters.params"))
    net.hybridize()
    net(mx.nd.array(data))
    sym_file, params_file = net.export(str(tmp_path / model))
    ours, ref = _load_json(sym_file), _load_json(os.path.join(MODELS_DIR, f"{model}-symbol.json"))
    assert [n["name"] for n in ours["nodes"]] == [n["name"] for n in ref["nodes"]]
    assert [n["op"] for n in ours["nodes"]] == [n["op"] for n in ref["nodes"]]
    saved = mx.nd.load(params_file)
    golden = mx.nd.load(os.path.join(MODELS_DIR, f"{model}-0000.params"))
    assert sorted(saved) == sorted(golden)
    for key, value in golden.items():
        np.testing.assert_array_equal(saved[key].asnumpy(), value.asnumpy())


def test_get_model_is_case_insensitive_and_rejects_unknown_names():
    assert isinstance(vision.get_model("SqueezeNet1.1"), vision.SqueezeNet)
    with pytest.raises(ValueError, match="resnet18_v1"):
        vision.get_model("resnet19_v1")


def test_constructor_arguments():
    net = vision.ResNetV1(vision.BasicBlockV1, [1, 1], [8, 8, 16], classes=3, thumbnail=True)
    net.initialize()
    assert net(mx.nd.ones((2, 3, 16, 16))).shape == (2, 3)
    net = vision.get_mobilenet_v2(0.25, classes=4)
    net.initialize()
    assert net(mx.nd.ones((1, 3, 32, 32))).shape == (1, 4)
    with pytest.raises(AssertionError):
        vision.get_resnet(3, 18)


# -- the model store -------------------------------------------------------------------

def _golden_store_entry(monkeypatch):
    """Pretend the golden mobilenet0.25 parameters are MXNet's published ones."""
    src = os.path.join(MODELS_DIR, "mobilenet0.25.save_parameters.params")
    with open(src, "rb") as f:
        sha1 = hashlib.sha1(f.read()).hexdigest()
    monkeypatch.setitem(model_store._model_sha1, "mobilenet0.25", sha1)
    return src, f"mobilenet0.25-{sha1[:8]}"


def _check_golden_output(net):
    data, expected = _load_io("mobilenet0.25")
    out = net(mx.nd.array(data)).asnumpy()
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=2e-5)


def test_short_hash_and_file_name():
    assert model_store.short_hash("resnet18_v1") == "a0666292"
    with pytest.raises(ValueError, match="not available"):
        model_store.short_hash("resnet19_v1")


def test_pretrained_loads_from_local_root(tmp_path, monkeypatch):
    src, file_name = _golden_store_entry(monkeypatch)
    shutil.copy(src, tmp_path / f"{file_name}.params")
    assert model_store.get_model_file("mobilenet0.25", root=str(tmp_path)) == \
        str(tmp_path / f"{file_name}.params")
    _check_golden_output(vision.get_model("mobilenet0.25", pretrained=True, root=str(tmp_path)))


def test_pretrained_downloads_zip_from_repo(tmp_path, monkeypatch):
    # MXNet's download path, against a file:// repository instead of the network.
    src, file_name = _golden_store_entry(monkeypatch)
    repo = tmp_path / "repo" / "gluon" / "models"
    repo.mkdir(parents=True)
    with zipfile.ZipFile(repo / f"{file_name}.zip", "w") as zf:
        zf.write(src, f"{file_name}.params")
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "repo").as_uri())
    root = tmp_path / "store"
    net = vision.mobilenet0_25(pretrained=True, root=str(root))
    _check_golden_output(net)
    assert sorted(os.listdir(root)) == [f"{file_name}.params"]
    model_store.purge(str(root))
    assert os.listdir(root) == []


def test_missing_file_offline_raises_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "no-repo").as_uri())
    with pytest.raises(MXNetError, match="resnet18_v1-a0666292.params"):
        vision.resnet18_v1(pretrained=True, root=str(tmp_path / "store"))
    assert os.listdir(tmp_path / "store") == []
