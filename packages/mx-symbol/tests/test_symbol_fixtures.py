"""The -symbol.json files written by MXNet 1.9.1 load, describe and run identically."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent / "data"
NAMES = ["mlp", "lenet", "attrs", "group"]


def _info(name):
    return json.loads((DATA / "symbols" / f"{name}.info.json").read_text())


def _load(name):
    return mx.sym.load(str(DATA / "symbols" / f"{name}-symbol.json"))


@pytest.mark.parametrize("name", NAMES)
def test_lists_and_internals(name):
    sym, info = _load(name), _info(name)
    assert sym.list_arguments() == info["list_arguments"]
    assert sym.list_outputs() == info["list_outputs"]
    assert sym.list_auxiliary_states() == info["list_auxiliary_states"]
    assert sym.list_inputs() == info["list_inputs"]
    assert sym.get_internals().list_outputs() == info["internals_outputs"]


@pytest.mark.parametrize("name", NAMES)
def test_tojson_reproduces_the_file(name):
    text = (DATA / "symbols" / f"{name}-symbol.json").read_text()
    sym = mx.sym.load_json(text)
    assert (sym.tojson() == text) == _info(name)["tojson_equals_file"]
    assert mx.sym.load_json(sym.tojson()).tojson() == sym.tojson()


@pytest.mark.parametrize("name", NAMES)
def test_attr_dict(name):
    assert _load(name).attr_dict() == _info(name)["attr_dict"]


@pytest.mark.parametrize("name", NAMES)
def test_infer_shape_and_type(name):
    sym, info = _load(name), _info(name)
    shapes = {k: tuple(v) for k, v in info["infer_shape_input"].items()}
    args, outs, aux = sym.infer_shape(**shapes)
    expect = info["infer_shape"]
    assert args == [tuple(v) for v in expect["arg_shapes"].values()]
    assert outs == [tuple(v) for v in expect["out_shapes"].values()]
    assert aux == [tuple(v) for v in expect["aux_shapes"].values()]
    targs, touts, taux = sym.infer_type(**info["infer_type_input"])
    expect = info["infer_type"]
    assert [np.dtype(t).name for t in targs] == list(expect["arg_types"].values())
    assert [np.dtype(t).name for t in touts] == list(expect["out_types"].values())


@pytest.mark.parametrize("name", NAMES)
def test_bind_forward_backward_match_mxnet(name):
    sym = _load(name)
    run = np.load(DATA / "symbols" / f"{name}.run.npz")
    args = {k[4:]: mx.nd.array(run[k], dtype=run[k].dtype) for k in run if k.startswith("arg:")}
    aux = {k[4:]: mx.nd.array(run[k], dtype=run[k].dtype) for k in run if k.startswith("aux:")}
    exe = sym.bind(mx.cpu(), args=args, aux_states=aux or None, grad_req="null")
    outs = exe.forward(is_train=False)
    for i, out in enumerate(outs):
        np.testing.assert_allclose(out.asnumpy(), run[f"infer.out:{i}"], rtol=1e-5, atol=1e-6)
    if "train.out:0" not in run:
        return
    args = {k: mx.nd.array(v.asnumpy(), dtype=v.dtype) for k, v in args.items()}
    grads = {k: mx.nd.zeros(v.shape, dtype=v.dtype) for k, v in args.items()}
    exe = sym.bind(mx.cpu(), args=args, args_grad=grads, aux_states=aux or None)
    outs = exe.forward(is_train=True)
    heads = [mx.nd.array(run[f"train.head:{i}"]) for i in range(len(outs))
             if f"train.head:{i}" in run]
    exe.backward(heads)
    for i, out in enumerate(outs):
        np.testing.assert_allclose(out.asnumpy(), run[f"train.out:{i}"], rtol=1e-5, atol=1e-6)
    for key in run:
        if key.startswith("train.grad:"):
            np.testing.assert_allclose(grads[key[11:]].asnumpy(), run[key], rtol=1e-4,
                                       atol=1e-5, err_msg=key)


@pytest.mark.parametrize("model", ["mobilenet0.25", "squeezenet1.1"])
def test_exported_models_run_to_recorded_outputs(model):
    meta = json.loads((DATA / "models" / "models.json").read_text())[model]
    sym = mx.sym.load(str(DATA / "models" / f"{model}-symbol.json"))
    params = mx.nd.load(str(DATA / "models" / f"{model}-0000.params"))
    io = np.load(DATA / "models" / f"{model}.io.npz")
    args = {k[4:]: v for k, v in params.items() if k.startswith("arg:")}
    aux = {k[4:]: v for k, v in params.items() if k.startswith("aux:")}
    args["data"] = mx.nd.array(io["data"])
    exe = sym.bind(mx.cpu(), args=args, aux_states=aux, grad_req="null")
    out = exe.forward(is_train=False)[0]
    np.testing.assert_allclose(out.asnumpy(), io["output"], rtol=meta["recommended_rtol"],
                               atol=meta["recommended_atol"])
