"""export_model / import_model: exported graphs run in ONNX Runtime with MXNet's
outputs, and read back into MXNet with the same outputs."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

ort = pytest.importorskip("onnxruntime", reason="the checks run models in ONNX Runtime")


def _random_params(sym, shapes):
    arg_shapes, _, aux_shapes = sym.infer_shape(**shapes)
    rs = np.random.RandomState(0)
    args = {n: mx.nd.array(rs.uniform(0.5, 1.5, s) if n.endswith(("gamma", "var"))
                           else rs.randn(*s) * 0.3)
            for n, s in zip(sym.list_arguments(), arg_shapes) if n not in shapes}
    aux = {n: mx.nd.array(rs.uniform(0.5, 1.5, s) if n.endswith("var") else rs.randn(*s))
           for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    return args, aux


def _mxnet_out(sym, args, aux, inputs):
    exe = sym.bind(mx.cpu(), dict(args, **{k: mx.nd.array(v) for k, v in inputs.items()}),
                   aux_states=aux)
    return [o.asnumpy() for o in exe.forward()]


def _round_trip(tmp_path, sym, inputs, rtol=1e-5, atol=1e-5, **kwargs):
    """Export, run in ONNX Runtime, import back; every output must match MXNet's."""
    shapes = {k: v.shape for k, v in inputs.items()}
    args, aux = _random_params(sym, shapes)
    expected = _mxnet_out(sym, args, aux, inputs)
    path = mx.onnx.export_model(sym, [args, aux], list(shapes.values()),
                                [v.dtype for v in inputs.values()],
                                str(tmp_path / "m.onnx"), **kwargs)
    sess = ort.InferenceSession(path)
    got = sess.run(None, inputs)
    for e, o in zip(expected, got):
        assert e.shape == o.shape
        np.testing.assert_allclose(o, e, rtol=rtol, atol=atol)
    sym2, args2, aux2 = mx.onnx.import_model(path)
    for e, o in zip(expected, _mxnet_out(sym2, args2, aux2, inputs)):
        np.testing.assert_allclose(o, e, rtol=rtol, atol=atol)
    return path


def _x(*shape):
    return np.random.RandomState(1).randn(*shape).astype(np.float32)


def test_convolutional_network(tmp_path):
    data = mx.sym.var("data")
    c1 = mx.sym.Convolution(data, kernel=(3, 3), pad=(1, 1), num_filter=8, name="c1")
    b1 = mx.sym.BatchNorm(c1, fix_gamma=False, name="bn1")
    a1 = mx.sym.Activation(b1, act_type="relu")
    p1 = mx.sym.Pooling(a1, kernel=(2, 2), stride=(2, 2), pool_type="max")
    c2 = mx.sym.Convolution(p1, kernel=(3, 3), stride=(2, 2), num_filter=8, num_group=2,
                            no_bias=True, name="c2")
    b2 = mx.sym.BatchNorm(c2, name="bn2")          # fix_gamma: a constant gamma of 1
    avg = mx.sym.Pooling(b2, kernel=(3, 3), pad=(1, 1), pool_type="avg",
                         pooling_convention="full", count_include_pad=False)
    cat = mx.sym.Concat(avg, mx.sym.Activation(avg, act_type="tanh"), dim=1)
    glob = mx.sym.Pooling(cat, global_pool=True, kernel=(1, 1), pool_type="avg")
    fc = mx.sym.FullyConnected(mx.sym.Dropout(glob), num_hidden=5, name="fc")
    out = mx.sym.SoftmaxOutput(fc, name="softmax")
    _round_trip(tmp_path, out, {"data": _x(2, 3, 16, 16)})


def test_model_zoo_resnet_and_mobilenet(tmp_path):
    vision = pytest.importorskip("mxnet.gluon.model_zoo.vision")
    for name in ("resnet18_v1", "mobilenetv2_0.25"):
        net = vision.get_model(name, classes=10)
        net.initialize(mx.init.Xavier())
        net.hybridize()
        x = mx.nd.array(_x(1, 3, 64, 64))
        expected = net(x).asnumpy()
        net.export(str(tmp_path / name))
        sym, args, aux = mx.model.load_checkpoint(str(tmp_path / name), 0)
        path = mx.onnx.export_model(sym, [args, aux], [(1, 3, 64, 64)],
                                    onnx_file_path=str(tmp_path / f"{name}.onnx"))
        sess = ort.InferenceSession(path)
        got = sess.run(None, {"data": x.asnumpy()})[0]
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
        block = mx.onnx.import_to_gluon(path, ctx=mx.cpu())
        np.testing.assert_allclose(block(x).asnumpy(), expected, rtol=1e-4, atol=1e-5)


def test_arithmetic_shape_and_reduction_operators(tmp_path):
    a, b = mx.sym.var("a"), mx.sym.var("b")
    x = (a + b) * 2 - a / (mx.sym.abs(b) + 1)
    x = mx.sym.broadcast_maximum(mx.sym.exp(mx.sym.clip(x, -2, 2)), 3 - a) ** 2
    x = mx.sym.Reshape(x, shape=(0, -1))
    y = mx.sym.transpose(mx.sym.slice_axis(x, axis=1, begin=1, end=5))
    z = mx.sym.dot(y, a.reshape((-1, 12)).slice_axis(axis=1, begin=0, end=3))
    parts = mx.sym.split(z, num_outputs=2, axis=0)
    w = mx.sym.sum(parts[0], axis=1, keepdims=True) + mx.sym.mean(parts[1], axis=1,
                                                                   keepdims=True)
    full = mx.sym.sum(mx.sym.log_softmax(w, axis=0))           # shape (1,)
    out = mx.sym.Group([w, full, mx.sym.expand_dims(mx.sym.squeeze(w), axis=0)])
    _round_trip(tmp_path, out, {"a": _x(2, 3, 4), "b": _x(2, 3, 4)})


def test_activations_embedding_deconvolution_and_pad(tmp_path):
    data, idx = mx.sym.var("data"), mx.sym.var("idx")
    y = mx.sym.LeakyReLU(data, act_type="leaky", slope=0.2)
    y = mx.sym.LeakyReLU(y, act_type="elu", slope=0.7) + mx.sym.LeakyReLU(
        data, act_type="prelu", name="pr")
    y = mx.sym.LeakyReLU(y, act_type="gelu") + mx.sym.LeakyReLU(data, act_type="selu")
    y = mx.sym.Deconvolution(y, kernel=(3, 3), stride=(2, 2), pad=(1, 1), adj=(1, 1),
                             num_filter=2, name="dc")
    y = mx.sym.Pad(y, mode="constant", pad_width=(0, 0, 0, 0, 1, 2, 2, 1),
                   constant_value=0.5)
    emb = mx.sym.Embedding(idx, input_dim=7, output_dim=5, name="emb")
    out = mx.sym.Group([y, mx.sym.batch_dot(emb, emb, transpose_b=True),
                        mx.sym.softmax(mx.sym.Flatten(y), axis=-1)])
    _round_trip(tmp_path, out, {"data": _x(2, 3, 5, 5),
                                "idx": np.array([[1, 2, 6], [0, 3, 3]], np.float32)},
                rtol=1e-4, atol=1e-5)


def test_dynamic_batch_dimension(tmp_path):
    data = mx.sym.var("data")
    out = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    args, aux = _random_params(out, {"data": (2, 4)})
    path = mx.onnx.export_model(out, args, [(2, 4)], onnx_file_path=str(tmp_path / "d.onnx"),
                                dynamic=True, dynamic_input_shapes=[(None, 4)])
    x = _x(5, 4)
    got = ort.InferenceSession(path).run(None, {"data": x})[0]
    np.testing.assert_allclose(got, _mxnet_out(out, args, aux, {"data": x})[0], rtol=1e-5)
    meta = mx.onnx.get_model_metadata(path)
    assert meta["input_tensor_data"] == [("data", ("data_d0", 4))]
    assert meta["output_tensor_data"][0][0] == "fc"


def test_files_and_errors(tmp_path):
    data = mx.sym.var("data")
    out = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    args, _ = _random_params(out, {"data": (2, 4)})
    out.save(str(tmp_path / "m-symbol.json"))
    mx.nd.save(str(tmp_path / "m.params"), {f"arg:{k}": v for k, v in args.items()})
    path = mx.onnx.export_model(str(tmp_path / "m-symbol.json"), str(tmp_path / "m.params"),
                                input_shape=[(2, 4)], onnx_file_path=str(tmp_path / "m.onnx"))
    import mxnet.contrib.onnx as onnx_mxnet        # MXNet 1.x's older path
    assert onnx_mxnet.import_model(path)[0].list_arguments() == ["data", "fc_weight",
                                                                  "fc_bias"]
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not an onnx model at all")
    with pytest.raises(MXNetError, match="bad.onnx is not an ONNX model"):
        mx.onnx.import_model(str(bad))
    assert bad.read_bytes() == b"not an onnx model at all"       # left as it was
    with pytest.raises(MXNetError, match="1 data inputs"):
        mx.onnx.export_model(out, args, [(2, 4), (3,)], onnx_file_path=str(tmp_path / "x"))
    odd = mx.sym.topk(data, k=2)
    with pytest.raises(MXNetError, match="operator topk .* has no ONNX converter"):
        mx.onnx.export_model(odd, {}, [(2, 4)], onnx_file_path=str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
    assert "Convolution" in mx.onnx.get_operator_support()


def test_onnx_is_a_registered_exporter_and_importer(tmp_path):
    from mxnet.plugins import get_registry
    out = mx.sym.Activation(mx.sym.var("data"), act_type="relu")
    path = get_registry("exporters").get("onnx")(out, {}, [(2, 3)],
                                                 onnx_file_path=str(tmp_path / "r.onnx"))
    sym, args, aux = get_registry("importers").get("onnx")(path)
    assert sym.list_arguments() == ["data"] and not args and not aux
