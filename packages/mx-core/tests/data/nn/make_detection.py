"""Golden values for the detection ops, written by real MXNet 1.9.1.

Run with the reference interpreter: ``/work/ref/bin/python make_detection.py``.
"""

import json
import pathlib

import mxnet as mx
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
r = np.random.default_rng(11)
arrs, cases = {}, []


def add(op, inputs, kwargs):
    i = len(cases)
    outs = getattr(mx.nd.contrib, op)(*[mx.nd.array(v) for v in inputs], **kwargs)
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    for k, v in enumerate(inputs):
        arrs[f"{i}.in.{k}"] = v.astype(np.float32)
    for k, o in enumerate(outs):
        arrs[f"{i}.out.{k}"] = o.asnumpy()
    cases.append({"op": op, "kwargs": kwargs, "n_in": len(inputs), "n_out": len(outs)})


N = 12
a = np.zeros((1, N, 4))
a[..., :2] = r.uniform(0, 0.6, (1, N, 2))
a[..., 2:] = a[..., :2] + r.uniform(0.1, 0.4, (1, N, 2))
lab = -np.ones((2, 4, 5))
lab[0, :3, 0] = [0, 2, 1]
lab[0, :3, 1:3] = r.uniform(0, 0.5, (3, 2))
lab[0, :3, 3:] = lab[0, :3, 1:3] + r.uniform(0.2, 0.5, (3, 2))
lab[1, :1, 0] = [1]
lab[1, :1, 1:3] = r.uniform(0, 0.5, (1, 2))
lab[1, :1, 3:] = lab[1, :1, 1:3] + r.uniform(0.2, 0.5, (1, 2))
cp = r.standard_normal((2, 3, N))
for kw in (
    {},
    {"overlap_threshold": 0.2},
    {"negative_mining_ratio": 2.0, "negative_mining_thresh": 0.4},
):
    add("MultiBoxTarget", [a, lab, cp], kw)
p = np.exp(cp * 2)
p /= p.sum(1, keepdims=True)
loc = r.standard_normal((2, N * 4)) * 0.5
for kw in (
    {},
    {"threshold": 0.3, "nms_threshold": 0.3},
    {"force_suppress": True, "nms_topk": 3, "clip": False},
):
    add("MultiBoxDetection", [p, loc, a], kw)
s = np.array([[1, -1, 1, 0, 1.0] * 2 + [1, 1]])
m = np.array([[0, 1, 2, 1, 0.0] * 2 + [2, 1]])
add(
    "box_encode",
    [s, m, a, lab[:1, :3, 1:], np.array([0, 0.1, 0, 0.2]), np.array([0.1, 0.1, 0.2, 0.2])],
    {},
)
d = r.standard_normal((2, N, 4))
for fmt in ("corner", "center"):
    add(
        "box_decode",
        [d, a],
        {"std0": 0.1, "std1": 0.2, "std2": 0.3, "std3": 0.4, "clip": 0.5, "format": fmt},
    )
np.savez_compressed(str(HERE / "detection.npz"), **arrs)
json.dump(cases, open(str(HERE / "detection.json"), "w"), indent=1)
