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


def test_mxnet_080_attributes_and_missing_batchnorm_statistics_are_upgraded():
    # an MXNet 0.8 layout: "param"/"attr", no version, BatchNorm without aux inputs
    nodes = [
        {"op": "null", "name": "x", "param": {}, "inputs": [],
         "attr": {"ctx_group": "g1", "lr_mult": "0.5"}},
        {"op": "null", "name": "fc_weight", "param": {}, "inputs": [],
         "attr": {"weight_lr_mult": "2", "wd_mult": "0.1"}},
        {"op": "null", "name": "fc_bias", "param": {}, "inputs": [],
         "attr": {"weight_lr_mult": "2"}},
        {"op": "FullyConnected", "name": "fc", "param": {"num_hidden": "3"},
         "inputs": [[0, 0], [1, 0], [2, 0]], "attr": {"weight_lr_mult": "2"}},
        {"op": "null", "name": "bn_gamma", "param": {}, "inputs": [], "attr": {}},
        {"op": "null", "name": "bn_beta", "param": {}, "inputs": [], "attr": {}},
        {"op": "BatchNorm", "name": "bn", "param": {"fix_gamma": "True"},
         "inputs": [[3, 0], [4, 0], [5, 0]], "attr": {"ctx_group": "g2"}},
    ]
    sym = mx.sym.load_json(json.dumps({"nodes": nodes, "arg_nodes": [0, 1, 2, 4, 5],
                                       "heads": [[6, 0]]}))
    attrs = sym.attr_dict()
    assert attrs["x"]["__ctx_group__"] == "g1" and attrs["x"]["__lr_mult__"] == "0.5"
    assert attrs["fc_weight"]["__lr_mult__"] == "2"        # <name suffix>_lr_mult
    assert "__lr_mult__" not in attrs["fc_bias"]
    assert attrs["fc_weight"]["__wd_mult__"] == "0.1"
    assert sym.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert attrs["bn_moving_var"]["__init__"] == '["one", {}]'
    assert attrs["bn_moving_mean"]["__ctx_group__"] == "g2"
    assert sym.infer_shape(x=(2, 4))[1] == [(2, 3)]
