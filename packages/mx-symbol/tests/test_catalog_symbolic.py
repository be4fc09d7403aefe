"""The MXNet 1.9.1 operator catalog replayed through mx.sym: shape and dtype inference
must predict the recorded outputs without computing, and bind/forward/backward must
reproduce the recorded values (same definitions as mx.nd, other front-end)."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx

DATA = pathlib.Path(__file__).resolve().parent / "data" / "ops"
CATALOG = json.loads((DATA / "catalog.json").read_text())


def _symbol_function(case):
    module = mx.sym
    for part in case["namespace"].split(".")[2:]:
        module = getattr(module, part)
    fn = getattr(module, case["op"], None)
    return fn if getattr(fn, "opdef", None) is not None else None


# Cases whose mx.nd function is hand-written Python (mx.nd.add with a scalar...) have no
# single operator to build symbolically.
CASES = [c for c in CATALOG["cases"] if _symbol_function(c) is not None
         and not any("scalar" in i for i in c["inputs"])]
# Output shapes that depend on the data's values cannot be inferred without computing.
DATA_DEPENDENT_SHAPES = {"boolean_mask"}


def _close(actual, expected, rtol, atol, what):
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    if rtol == 0 and atol == 0:
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    else:
        np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64),
                                   rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def _build(case):
    fn = _symbol_function(case)
    names = [i["name"] for i in case["inputs"]]
    variables = [mx.sym.var(n) for n in names]
    sym = fn(*variables, **case["kwargs"])
    if not isinstance(sym, mx.sym.Symbol):
        sym = mx.sym.Group(list(sym))
    return sym, names


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_symbolic_case(case):
    arrays = np.load(DATA / case["file"])
    sym, names = _build(case)
    shapes = {n: tuple(i["shape"]) for n, i in zip(names, case["inputs"])}
    arg_shapes, out_shapes, _ = sym.infer_shape(**shapes)
    assert out_shapes is not None, f"{case['id']}: shape inference incomplete"
    for i, spec in enumerate(case["outputs"]):
        if case["op"] not in DATA_DEPENDENT_SHAPES:
            assert tuple(out_shapes[i]) == tuple(spec["shape"]), f"{case['id']} shape {i}"
    types = {n: i["dtype"] for n, i in zip(names, case["inputs"])}
    _, out_types, _ = sym.infer_type(**types)
    if out_types is not None:
        for i, spec in enumerate(case["outputs"]):
            assert np.dtype(out_types[i]).name == spec["dtype"], f"{case['id']} dtype {i}"
    args = {n: mx.nd.array(arrays[f"in.{n}"], dtype=arrays[f"in.{n}"].dtype) for n in names}
    aux_names = sym.list_auxiliary_states()
    aux = {n: args.pop(n) for n in aux_names}
    grads = {n: mx.nd.zeros(a.shape, dtype=a.dtype) for n, a in args.items()
             if n in case["grad_inputs"]}
    exe = sym.bind(mx.cpu(), args=args, args_grad=grads, aux_states=aux or None,
                   grad_req={n: "write" for n in grads})
    outs = exe.forward(is_train=case["train_mode"])
    for i, _ in enumerate(case["outputs"]):
        _close(outs[i].asnumpy(), arrays[f"out.{i}"], case["rtol"], case["atol"],
               f"{case['id']} output {i}")
    if case["has_grads"] and grads:
        heads = [mx.nd.array(arrays[f"head.{i}"], dtype=arrays[f"head.{i}"].dtype)
                 if i in case["head_grad_outputs"] else mx.nd.zeros(o.shape, dtype=o.dtype)
                 for i, o in enumerate(outs)]
        exe.backward(heads)
        key = "grad64" if case.get("grad_reference") == "grad64" else "grad"
        for name in case["grad_inputs"]:
            expected = arrays[f"{key}.{name}"].astype(arrays[f"grad.{name}"].dtype)
            _close(grads[name].asnumpy(), expected, case["grad_rtol"], case["grad_atol"],
                   f"{case['id']} gradient of {name}")
