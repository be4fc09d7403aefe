"""Regenerate model_zoo_params.json with the REAL MXNet 1.9.1 (not run by the tests).

Usage: /work/ref/bin/python make_model_zoo_json.py
For every model_zoo name: the parameter count, total scalars, and a sha1 over the sorted
lines "<structural name> <prefixed name> <shape>" after a forward (shapes fully known).
Each model is built inside a fresh NameManager so prefixed names start at ...0_.
"""
import hashlib
import json
import os

import mxnet as mx
import numpy as np
from mxnet.gluon.model_zoo import vision

NAMES = ["resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
         "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
         "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
         "alexnet", "densenet121", "densenet161", "densenet169", "densenet201",
         "squeezenet1.0", "squeezenet1.1", "inceptionv3", "mobilenet1.0", "mobilenet0.75",
         "mobilenet0.5", "mobilenet0.25", "mobilenetv2_1.0", "mobilenetv2_0.75",
         "mobilenetv2_0.5", "mobilenetv2_0.25"]


def describe(net):
    structural = net._collect_params_with_prefix()
    lines = sorted(f"{key} {p.name} {tuple(p.shape)}" for key, p in structural.items())
    scalars = sum(int(p.data().size) for p in structural.values())
    return {"count": len(lines), "scalars": scalars, "prefix": net.prefix,
            "sha1": hashlib.sha1("\n".join(lines).encode()).hexdigest(),
            "first": lines[:3], "last": lines[-3:]}


# Models run forward by the tests, with the input side they use.
FORWARD = {"resnet18_v1": 64, "resnet18_v2": 64, "resnet50_v1": 64, "resnet50_v2": 64,
           "mobilenetv2_0.25": 64, "alexnet": 64, "vgg11_bn": 64, "squeezenet1.0": 224,
           "densenet121": 224, "inceptionv3": 299}


def fill(net):
    """Deterministic He-like values for every parameter (same code in the tests)."""
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


def forward_case(name, size):
    with mx.name.NameManager():
        net = vision.get_model(name, classes=10)
    net.initialize()
    data = np.random.RandomState(1).uniform(0, 1, (1, 3, size, size)).astype("float32")
    net(mx.nd.array(data))
    fill(net)
    return {"input": size, "output": net(mx.nd.array(data)).asnumpy()[0].tolist()}


def main():
    out = {}
    for name in NAMES:
        with mx.name.NameManager():
            net = vision.get_model(name, classes=10)
        net.initialize()
        size = 299 if name == "inceptionv3" else 224
        net(mx.nd.zeros((1, 3, size, size)))
        out[name] = dict(describe(net), input=size)
        if name in FORWARD:
            out[name]["forward"] = forward_case(name, FORWARD[name])
        print(name, out[name]["count"], out[name]["scalars"])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_zoo_params.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
