"""Write symbols and parameters with this project, then let the real MXNet 1.9.1 load
and run them; its outputs are committed beside the files as the proof.

    REAL_MXNET_PYTHON=/path/to/venv-with-mxnet-1.9.1/bin/python \
        python make_roundtrip.py [output folder]

Run with the project's python (mx-core, mx-symbol, mx-gluon installed). The real
MXNet runs in its own process: the project never imports it.
"""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

REFERENCE_SCRIPT = r'''
import json, sys
import numpy as np
import mxnet as mx
folder, names = sys.argv[1], json.loads(sys.argv[2])
for name in names:
    sym = mx.sym.load(f"{folder}/{name}-symbol.json")
    params = mx.nd.load(f"{folder}/{name}-0000.params") or {}  # an empty dict loads as []
    data = np.load(f"{folder}/{name}.inputs.npz")
    args = {k[4:]: v for k, v in params.items() if k.startswith("arg:")}
    aux = {k[4:]: v for k, v in params.items() if k.startswith("aux:")}
    for key in data.files:
        args[key] = mx.nd.array(data[key])
    exe = sym.bind(mx.cpu(), args=args, aux_states=aux, grad_req="null")
    outs = exe.forward(is_train=False)
    np.savez(f"{folder}/{name}.mxnet_outputs.npz",
             **{f"out{i}": o.asnumpy() for i, o in enumerate(outs)},
             list_arguments=np.array(sym.list_arguments()),
             list_outputs=np.array(sym.list_outputs()))
'''


def build(folder):
    """Write each model's symbol, parameters and inputs with this project."""
    import mxnet as mx
    from mxnet import gluon
    rng = np.random.default_rng(7)
    models = {}

    data = mx.sym.var("data")
    net = mx.sym.FullyConnected(data, num_hidden=16, name="fc1")
    net = mx.sym.Activation(net, act_type="relu", name="relu1")
    net = mx.sym.FullyConnected(net, num_hidden=4, name="fc2")
    models["mlp"] = (mx.sym.softmax(net, name="prob"), {"data": (3, 10)})

    data = mx.sym.var("data")
    net = mx.sym.Convolution(data, kernel=(3, 3), num_filter=6, pad=(1, 1), name="conv1")
    net = mx.sym.BatchNorm(net, fix_gamma=False, name="bn1")
    net = mx.sym.Activation(net, act_type="tanh", name="tanh1")
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    net = mx.sym.Flatten(net, name="flat")
    net = mx.sym.Dropout(net, p=0.3, name="drop")
    net = mx.sym.FullyConnected(net, num_hidden=5, name="fc")
    models["convnet"] = (net, {"data": (2, 3, 8, 8)})

    x = mx.sym.var("x")
    parts = mx.sym.split(x, num_outputs=2, axis=1, name="split")
    both = mx.sym.Group([mx.sym.broadcast_mul(parts[0], parts[1]) + 1.5,
                         mx.sym.sum(mx.sym.exp(parts[1]), axis=0, keepdims=True),
                         mx.sym.transpose(x)])
    models["group"] = (both, {"x": (4, 6)})

    for name, (sym, shapes) in models.items():
        arg_shapes, _, aux_shapes = sym.infer_shape(**shapes)
        params = {}
        for arg, shape in zip(sym.list_arguments(), arg_shapes):
            if arg not in shapes:
                params[f"arg:{arg}"] = mx.nd.array(rng.normal(0, 0.5, shape))
        for aux, shape in zip(sym.list_auxiliary_states(), aux_shapes):
            params[f"aux:{aux}"] = mx.nd.array(rng.uniform(0.5, 1.5, shape))
        sym.save(os.path.join(folder, f"{name}-symbol.json"))
        mx.nd.save(os.path.join(folder, f"{name}-0000.params"), params)
        np.savez(os.path.join(folder, f"{name}.inputs.npz"),
                 **{k: rng.normal(size=s).astype("float32") for k, s in shapes.items()})

    block = gluon.nn.HybridSequential(prefix="gnet_")
    with block.name_scope():
        block.add(gluon.nn.Conv2D(4, 3, in_channels=3, activation="relu"),
                  gluon.nn.GlobalAvgPool2D(), gluon.nn.Dense(3, in_units=4))
    block.initialize(mx.init.Xavier(rnd_type="gaussian"))
    block.hybridize()
    block(mx.nd.zeros((1, 3, 6, 6)))
    block.export(os.path.join(folder, "gluon"))
    np.savez(os.path.join(folder, "gluon.inputs.npz"),
             data=rng.normal(size=(2, 3, 6, 6)).astype("float32"))
    return list(models) + ["gluon"]


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else HERE
    reference = os.environ.get("REAL_MXNET_PYTHON")
    if not reference:
        raise SystemExit("set REAL_MXNET_PYTHON to a python with mxnet==1.9.1")
    names = build(folder)
    subprocess.run([reference, "-c", REFERENCE_SCRIPT, folder, json.dumps(names)],
                   check=True, cwd="/")
    with open(os.path.join(folder, "names.json"), "w") as f:
        json.dump(names, f)


if __name__ == "__main__":
    main()
