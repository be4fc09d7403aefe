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


def main():
    out = {}
    for name in NAMES:
        with mx.name.NameManager():
            net = vision.get_model(name, classes=10)
        net.initialize()
        size = 299 if name == "inceptionv3" else 224
        net(mx.nd.zeros((1, 3, size, size)))
        out[name] = dict(describe(net), input=size)
        print(name, out[name]["count"], out[name]["scalars"])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_zoo_params.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
