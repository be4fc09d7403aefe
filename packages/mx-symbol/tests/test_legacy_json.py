"""-symbol.json files in the spellings of older MXNet versions load and run: 0.x wrote
operator parameters under "param" and user attributes under "attr", with two-element
input entries and no node_row_ptr."""
import json

import numpy as np

import mxnet as mx

LEGACY = {
    "nodes": [
        {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1},
        {"op": "null", "param": {}, "name": "fc1_weight", "inputs": [],
         "backward_source_id": -1, "attr": {"lr_mult": "2.0"}},
        {"op": "null", "param": {}, "name": "fc1_bias", "inputs": [],
         "backward_source_id": -1},
        {"op": "FullyConnected", "param": {"no_bias": "False", "num_hidden": "3"},
         "name": "fc1", "inputs": [[0, 0], [1, 0], [2, 0]], "backward_source_id": -1},
        {"op": "Activation", "param": {"act_type": "relu"}, "name": "relu1",
         "inputs": [[3, 0]], "backward_source_id": -1},
    ],
    "arg_nodes": [0, 1, 2],
    "heads": [[4, 0]],
}


def test_legacy_spelling_loads_and_runs(tmp_path):
    path = tmp_path / "old-symbol.json"
    path.write_text(json.dumps(LEGACY))
    sym = mx.sym.load(str(path))
    assert sym.list_arguments() == ["data", "fc1_weight", "fc1_bias"]
    assert sym.list_outputs() == ["relu1_output"]
    assert sym.attr_dict()["fc1"]["num_hidden"] == "3"
    assert sym.attr_dict()["fc1_weight"]["lr_mult"] == "2.0"
    x = np.array([[1.0, -2.0]], dtype=np.float32)
    w = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32)
    b = np.array([0.5, 0.5, 0.5], dtype=np.float32)
    out = sym.eval(data=mx.nd.array(x), fc1_weight=mx.nd.array(w), fc1_bias=mx.nd.array(b))
    np.testing.assert_allclose(out[0].asnumpy(), np.maximum(x @ w.T + b, 0))
    # written back in MXNet 1.9.1's layout
    again = json.loads(sym.tojson())
    assert again["nodes"][3]["attrs"] == {"no_bias": "False", "num_hidden": "3"}
    assert again["attrs"] == {"mxnet_version": ["int", 10901]}
