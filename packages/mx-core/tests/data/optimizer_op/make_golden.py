# ruff: noqa: E501  (CASES is a table: one case a line reads best)
"""Write golden.npz/cases.json with the real MXNet 1.9.1 (run: /work/ref/bin/python).

Each case: an update operator, its inputs (weights, grads, states), kwargs; stored are
the inputs, the returned arrays and every input after the call (states change in place).
"""
import json
import pathlib

import numpy as np
import mxnet as mx

HERE = pathlib.Path(__file__).resolve().parent
F16 = ":f16"
CASES = [
    ("sgd_update", "weight grad", dict(lr=0.1, wd=0.01, clip_gradient=0.3, rescale_grad=2.0)),
    ("sgd_mom_update", "weight grad mom", dict(lr=0.1, momentum=0.9, wd=0.01, clip_gradient=0.3)),
    ("mp_sgd_update", "weight:f16 grad:f16 weight32", dict(lr=0.1, wd=0.01, rescale_grad=0.5, clip_gradient=0.4)),
    ("mp_sgd_mom_update", "weight:f16 grad:f16 mom weight32", dict(lr=0.1, momentum=0.9, wd=0.01)),
    ("nag_mom_update", "weight grad mom", dict(lr=0.1, momentum=0.9, wd=0.01, clip_gradient=0.2)),
    ("mp_nag_mom_update", "weight:f16 grad:f16 mom weight32", dict(lr=0.1, momentum=0.9, wd=0.3)),
    ("adam_update", "weight grad mean var+", dict(lr=0.01, wd=0.1, clip_gradient=0.3, rescale_grad=2.0)),
    ("rmsprop_update", "weight grad n+", dict(lr=0.01, wd=0.1, clip_gradient=0.3, clip_weights=0.5)),
    ("rmspropalex_update", "weight grad n++ g~ delta", dict(lr=0.01, wd=0.1, clip_gradient=0.3, clip_weights=0.5)),
    ("ftrl_update", "weight grad z n+", dict(lr=0.1, lamda1=0.01, beta=1.0, wd=0.1, clip_gradient=0.5)),
    ("ftml_update", "weight grad d+ v+ z", dict(lr=0.01, t=3, wd=0.1, clip_grad=0.3)),
    ("signsgd_update", "weight grad", dict(lr=0.1, wd=0.01, clip_gradient=0.1)),
    ("signum_update", "weight grad mom", dict(lr=0.1, momentum=0.9, wd=0.1, clip_gradient=0.1, wd_lh=0.01)),
    ("lamb_update_phase1", "weight grad mean var+", dict(t=3, wd=0.01, bias_correction=False, clip_gradient=0.3)),
    ("lamb_update_phase2", "weight g r1:s r2:s", dict(lr=0.01, lower_bound=0.5, upper_bound=0.8)),
    ("mp_lamb_update_phase1", "weight:f16 grad:f16 mean var+ weight32", dict(t=3, wd=0.01)),
    ("mp_lamb_update_phase2", "weight:f16 g r1:s r2:s weight32", dict(lr=0.01)),
    ("contrib.adamw_update", "weight grad mean var+ rescale_grad:s", dict(lr=0.01, eta=0.5, wd=0.1, clip_gradient=0.3)),
    ("contrib.mp_adamw_update", "weight:f16 grad:f16 mean var+ weight32 rescale_grad:s", dict(lr=0.01, eta=0.5, wd=0.1)),
    ("multi_sgd_update", "weight grad weight grad", dict(lrs=[0.1, 0.2], wds=[0.0, 0.1], num_weights=2, clip_gradient=0.3)),
    ("multi_sgd_mom_update", "weight grad mom weight grad mom", dict(lrs=[0.1, 0.2], wds=[0.0, 0.1], momentum=0.9, num_weights=2)),
    ("multi_mp_sgd_update", "weight:f16 grad:f16 weight32 weight:f16 grad:f16 weight32", dict(lrs=[0.1, 0.2], wds=[0.0, 0.1], num_weights=2)),
    ("multi_mp_sgd_mom_update", "weight:f16 grad:f16 mom weight32 weight:f16 grad:f16 mom weight32", dict(lrs=[0.1, 0.2], wds=[0.0, 0.1], momentum=0.9, num_weights=2)),
    ("preloaded_multi_sgd_update", "weight grad weight grad lrs:2 wds:2", dict(num_weights=2)),
    ("preloaded_multi_sgd_mom_update", "weight grad mom weight grad mom lrs:2 wds:2", dict(num_weights=2, momentum=0.8)),
    ("preloaded_multi_mp_sgd_update", "weight:f16 grad:f16 weight32 weight:f16 grad:f16 weight32 lrs:2 wds:2", dict(num_weights=2)),
    ("preloaded_multi_mp_sgd_mom_update", "weight:f16 grad:f16 mom weight32 weight:f16 grad:f16 mom weight32 lrs:2 wds:2", dict(num_weights=2, momentum=0.8)),
    ("contrib.adamw_update", "weight grad mean var+", dict(rescale_grad=0.5, lr=0.01, eta=0.5, wd=0.1)),
    ("contrib.multi_adamw_update", "weight grad mean var+ weight grad mean var+", dict(rescale_grad=2.0, lrs=[0.1, 0.01], wds=[0.1, 0.0], etas=[1.0, 0.5], clip_gradient=0.5)),
    ("contrib.multi_mp_adamw_update", "weight:f16 grad:f16 mean var+ weight32 weight:f16 grad:f16 mean var+ weight32", dict(rescale_grad=1.0, lrs=[0.1, 0.01], wds=[0.1, 0.0], etas=[1.0, 0.5])),
    ("contrib.multi_lamb_update", "weight grad mean var+ weight grad mean var+", dict(step_count=[2, 5], lrs=[0.1, 0.01], wds=[0.1, 0.0], clip_gradient=0.5, rescale_grad=2.0)),
    ("contrib.multi_lamb_update", "weight grad mean var+ weight grad mean var+", dict(step_count=[1, 3], lrs=[0.1, 0.01], wds=[0.1, 0.0], bias_correction=False, lower_bound=0.5, upper_bound=2.0)),
    ("contrib.multi_mp_lamb_update", "weight:f16 grad:f16 mean var+ weight32 weight:f16 grad:f16 mean var+ weight32", dict(step_count=[2, 5], lrs=[0.1, 0.01], wds=[0.1, 0.0])),
]
ROLES = {"weight": "weights", "grad": "grads", "mean": "mean", "var": "var",
         "weight32": "weights32"}


def make_inputs(spec, rng):
    out, weight = [], None
    for tok in spec.split():
        name, _, kind = tok.partition(":")
        plus = name.count("+")
        name = name.strip("+~")
        if kind == "s":
            a = np.array([abs(rng.randn()) + 0.1], np.float32)
        elif kind == "2":
            a = (np.abs(rng.randn(2)) * 0.1).astype(np.float32)
        else:
            a = rng.randn(3, 4).astype(np.float32)
            if tok.startswith("g~"):
                a *= 0.1
            if plus:
                a = np.abs(a) + (plus - 1)
            if kind == "f16":
                a = a.astype(np.float16)
            if name == "weight32":
                a = weight.astype(np.float32)
        if name == "weight":
            weight = a
        out.append(a)
    return out


def call(fn, path, nds, names, kw):
    """Call ``fn`` as the golden run did: contrib.multi_* take lists per role."""
    if path.startswith("contrib.multi_"):
        lists = {}
        for a, n in zip(nds, names):
            lists.setdefault(ROLES[n], []).append(a)
        res = fn(*lists.values(), out=lists["weights"], **kw)
    else:
        if "multi" in path:   # MXNet needs out= to size the outputs of these
            kw = dict(kw, out=[a for a, n in zip(nds, names) if n == "weight"])
        res = fn(*nds, **kw)
    return res if isinstance(res, (list, tuple)) else [res]


def main():
    arrays, meta = {}, []
    for i, (path, spec, kwargs) in enumerate(CASES):
        inputs = make_inputs(spec, np.random.RandomState(i))
        nds = [mx.nd.array(a, dtype=a.dtype) for a in inputs]
        fn = mx.nd
        for part in path.split("."):
            fn = getattr(fn, part)
        kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
        names = [n.partition(":")[0].strip("+~") for n in spec.split()]
        res = call(fn, path, nds, names, kw)
        for j, a in enumerate(inputs):
            arrays[f"{i}.in.{j}"] = a
        for j, r in enumerate(res):
            arrays[f"{i}.out.{j}"] = r.asnumpy()
        for j, a in enumerate(nds):
            arrays[f"{i}.after.{j}"] = a.asnumpy()
        meta.append({"op": path, "inputs": names,
                     "kwargs": kwargs, "n_out": len(res)})
    np.savez_compressed(HERE / "golden.npz", **arrays)
    (HERE / "cases.json").write_text(json.dumps(meta, indent=1) + "\n")


if __name__ == "__main__":
    main()
