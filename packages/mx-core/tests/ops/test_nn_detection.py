"""SSD detection operators (contrib MultiBoxTarget, MultiBoxDetection, box_encode,
box_decode) against values written by real MXNet 1.9.1 (tests/data/nn/detection.*,
generated from seeded random boxes)."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "nn"
CASES = json.loads((DATA / "detection.json").read_text())
ARRAYS = np.load(DATA / "detection.npz")


@pytest.mark.parametrize("i", range(len(CASES)),
                         ids=[f"{c['op']}-{i}" for i, c in enumerate(CASES)])
def test_detection_matches_mxnet(i):
    case = CASES[i]
    inputs = [mx.nd.array(ARRAYS[f"{i}.in.{k}"]) for k in range(case["n_in"])]
    outs = getattr(mx.nd.contrib, case["op"])(*inputs, **case["kwargs"])
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    assert len(outs) == case["n_out"]
    for k, out in enumerate(outs):
        np.testing.assert_allclose(out.asnumpy(), ARRAYS[f"{i}.out.{k}"], rtol=1e-5,
                                   atol=1e-5, err_msg=f"output {k}")


def test_box_decode_gradient():
    rng = np.random.default_rng(0)
    anchors = mx.nd.array([[[0.1, 0.1, 0.5, 0.6], [0.2, 0.3, 0.4, 0.9]]], dtype="float64")
    d = rng.standard_normal((1, 2, 4)) * 0.3
    x = mx.nd.array(d, dtype="float64")
    x.attach_grad()
    head = rng.standard_normal((1, 2, 4))
    kw = {"std0": 0.1, "std1": 0.2, "std2": 0.3, "std3": 0.4, "format": "corner"}
    with mx.autograd.record():
        out = mx.nd.contrib.box_decode(x, anchors, **kw)
    out.backward(mx.nd.array(head, dtype="float64"))
    numeric = np.zeros_like(d)
    for j in range(d.size):
        step = np.zeros(d.size)
        step[j] = 1e-6
        up = mx.nd.contrib.box_decode(mx.nd.array(d + step.reshape(d.shape), dtype="float64"),
                                      anchors, **kw)
        dn = mx.nd.contrib.box_decode(mx.nd.array(d - step.reshape(d.shape), dtype="float64"),
                                      anchors, **kw)
        numeric.reshape(-1)[j] = ((up - dn).asnumpy() * head).sum() / 2e-6
    np.testing.assert_allclose(x.grad.asnumpy(), numeric, rtol=1e-5, atol=1e-7)
