"""Symbols and parameters written by this project run in the real MXNet 1.9.1.

``data/roundtrip`` holds files this project wrote and the outputs the real MXNet 1.9.1
computed from them (``make_roundtrip.py``). The committed check always runs: our
reading of our files must give MXNet's outputs. With ``REAL_MXNET_PYTHON`` set to a
python that has mxnet==1.9.1, the files are written afresh and sent to MXNet again.
"""
import json
import os
import pathlib
import runpy

import numpy as np
import pytest

import mxnet as mx

HERE = pathlib.Path(__file__).resolve().parent / "data" / "roundtrip"
NAMES = json.loads((HERE / "names.json").read_text())


def _run_ours(folder, name):
    sym = mx.sym.load(str(folder / f"{name}-symbol.json"))
    params = mx.nd.load(str(folder / f"{name}-0000.params")) or {}
    data = np.load(folder / f"{name}.inputs.npz")
    args = {k[4:]: v for k, v in params.items() if k.startswith("arg:")}
    aux = {k[4:]: v for k, v in params.items() if k.startswith("aux:")}
    args.update({k: mx.nd.array(data[k]) for k in data.files})
    exe = sym.bind(mx.cpu(), args=args, aux_states=aux, grad_req="null")
    return sym, exe.forward(is_train=False)


def _compare(folder, name):
    sym, outs = _run_ours(folder, name)
    ref = np.load(folder / f"{name}.mxnet_outputs.npz")
    assert sym.list_arguments() == ref["list_arguments"].tolist()
    assert sym.list_outputs() == ref["list_outputs"].tolist()
    for i, out in enumerate(outs):
        np.testing.assert_allclose(out.asnumpy(), ref[f"out{i}"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_committed_files_give_real_mxnet_outputs(name):
    _compare(HERE, name)


@pytest.mark.skipif(not os.environ.get("REAL_MXNET_PYTHON"),
                    reason="REAL_MXNET_PYTHON (a python with mxnet==1.9.1) is not set")
def test_fresh_files_run_in_real_mxnet(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["make_roundtrip.py", str(tmp_path)])
    with mx.name.NameManager():
        runpy.run_path(str(HERE / "make_roundtrip.py"), run_name="__main__")
    for name in json.loads((tmp_path / "names.json").read_text()):
        _compare(tmp_path, name)
