"""Replay every case of the MXNet 1.9.1 operator catalog (tests/data/ops).

Each case names an operator, its inputs, keyword arguments and the outputs, input
gradients and auxiliary-state updates the real MXNet 1.9.1 produced. See the
catalog's ``conventions`` for the procedure this test follows.
"""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "ops"
CATALOG = json.loads((DATA / "catalog.json").read_text())
CASES = CATALOG["cases"]

# Cases not replayed, each with the reason (kept empty unless a reason is real).
SKIPPED = {}


def _resolve(namespace, op):
    module = mx.nd
    for part in namespace.split(".")[2:]:
        module = getattr(module, part)
    fn = getattr(module, op, None)
    if fn is None:
        pytest.fail(f"{namespace}.{op} is not implemented")
    return fn


def _close(actual, expected, rtol, atol, what):
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if rtol == 0 and atol == 0:
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    else:
        np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64),
                                   rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def run_case(case):
    arrays = np.load(DATA / case["file"])
    fn = _resolve(case["namespace"], case["op"])
    args, named = [], {}
    for spec in case["inputs"]:
        if "scalar" in spec:
            args.append(spec["scalar"])
            continue
        value = arrays[f"in.{spec['name']}"]
        arr = mx.nd.array(value, dtype=value.dtype)
        named[spec["name"]] = arr
        args.append(arr)
    for name in case["grad_inputs"]:
        named[name].attach_grad()
    if case["has_grads"]:
        with mx.autograd.record(train_mode=case["train_mode"]):
            out = fn(*args, **case["kwargs"])
        outs = out if isinstance(out, (list, tuple)) else [out]
        heads = [outs[i] for i in case["head_grad_outputs"]]
        head_grads = [mx.nd.array(arrays[f"head.{i}"], dtype=arrays[f"head.{i}"].dtype)
                      for i in case["head_grad_outputs"]]
        mx.autograd.backward(heads, head_grads)
    else:
        scope = mx.autograd.train_mode if case["train_mode"] else mx.autograd.predict_mode
        with scope():
            out = fn(*args, **case["kwargs"])
        outs = out if isinstance(out, (list, tuple)) else [out]
    for i, _ in enumerate(case["outputs"]):
        _close(outs[i].asnumpy(), arrays[f"out.{i}"], case["rtol"], case["atol"],
               f"{case['id']} output {i}")
    grad_key = "grad64" if case.get("grad_reference") == "grad64" else "grad"
    for name in case["grad_inputs"]:
        expected = arrays[f"{grad_key}.{name}"].astype(arrays[f"grad.{name}"].dtype)
        _close(named[name].grad.asnumpy(), expected, case["grad_rtol"], case["grad_atol"],
               f"{case['id']} gradient of {name}")
    for name in case["aux_inputs_updated"]:
        _close(named[name].asnumpy(), arrays[f"aux_after.{name}"], case["rtol"],
               case["atol"], f"{case['id']} aux state {name} after the call")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_catalog_case(case):
    if case["id"] in SKIPPED:
        pytest.skip(SKIPPED[case["id"]])
    run_case(case)
