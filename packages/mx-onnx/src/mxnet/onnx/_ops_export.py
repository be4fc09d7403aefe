"""One converter per MXNet operator: ``convert(g, node, attrs)`` appends ONNX nodes.

``g`` is ``_export.Graph``; ``attrs`` are the operator's typed parameters (MXNet's
defaults filled in). Every converter writes its outputs under ``g.out_name(node, i)``.
"""
import numpy as np

from mxnet.base import MXNetError

CONVERTERS = {}


def converter(*names):
    def deco(fn):
        for name in names:
            CONVERTERS[name] = fn
        return fn
    return deco


def _out(g, node, i=0):
    return g.out_name(node, i)


def _spatial(attrs, nsp):
    """ONNX kernel/stride/dilation/pads of a convolution or pooling."""
    def full(v, fill):
        return list(v) if v else [fill] * nsp
    pad = full(attrs.get("pad"), 0)
    return dict(strides=full(attrs.get("stride"), 1), pads=pad + pad)


def _unsupported(node, what):
    raise MXNetError(f"export_model: {node['op']} node {node['name']!r}: {what} has no "
                     "ONNX equivalent here")


# -- layers ----------------------------------------------------------------------------
@converter("Convolution")
def _conv(g, node, attrs):
    ins = g.input_names(node)
    kernel = list(attrs["kernel"])
    geo = _spatial(attrs, len(kernel))
    g.add("Conv", ins, [_out(g, node)], kernel_shape=kernel,
          dilations=list(attrs["dilate"]) or [1] * len(kernel), group=attrs["num_group"],
          **geo)


@converter("Deconvolution")
def _deconv(g, node, attrs):
    ins = g.input_names(node)
    kernel = list(attrs["kernel"])
    if attrs.get("target_shape"):
        _unsupported(node, "target_shape")
    adj = list(attrs.get("adj") or []) or None
    g.add("ConvTranspose", ins, [_out(g, node)], kernel_shape=kernel,
          dilations=list(attrs["dilate"]) or [1] * len(kernel), group=attrs["num_group"],
          output_padding=adj, **_spatial(attrs, len(kernel)))


@converter("FullyConnected")
def _fc(g, node, attrs):
    ins = g.input_names(node)
    data = ins[0]
    if attrs["flatten"]:
        if len(g.shape(data)) != 2:
            data = g.add("Flatten", [data], [g.fresh(node["name"] + "_flat")], axis=1)
        g.add("Gemm", [data] + ins[1:], [_out(g, node)], transB=1)
        return
    wt = g.add("Transpose", [ins[1]], [g.fresh(node["name"] + "_wT")], perm=[1, 0])
    if attrs["no_bias"]:
        g.add("MatMul", [data, wt], [_out(g, node)])
        return
    mm = g.add("MatMul", [data, wt], [g.fresh(node["name"] + "_mm")])
    g.add("Add", [mm, ins[2]], [_out(g, node)])


@converter("BatchNorm")
def _batch_norm(g, node, attrs):
    data, gamma, beta, mean, var = g.input_names(node)
    if attrs["axis"] % len(g.shape(data)) != 1:
        _unsupported(node, f"axis={attrs['axis']}")
    if attrs["fix_gamma"]:
        gamma = g.const(node["name"] + "_gamma_one",
                        np.ones(g.shape(gamma), dtype=g.dtypes[gamma]))
    g.add("BatchNormalization", [data, gamma, beta, mean, var], [_out(g, node)],
          epsilon=attrs["eps"], momentum=attrs["momentum"])


_ACTS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus",
         "softsign": "Softsign"}


@converter("Activation")
def _activation(g, node, attrs):
    g.add(_ACTS[attrs["act_type"]], g.input_names(node), [_out(g, node)])


@converter("LeakyReLU")
def _leaky_relu(g, node, attrs):
    ins, out, act = g.input_names(node), _out(g, node), attrs["act_type"]
    if act == "leaky":
        g.add("LeakyRelu", ins[:1], [out], alpha=attrs["slope"])
    elif act == "elu":
        g.add("Elu", ins[:1], [out], alpha=attrs["slope"])
    elif act == "selu":
        g.add("Selu", ins[:1], [out])
    elif act == "prelu":
        shape = [1, -1] + [1] * (len(g.shape(ins[0])) - 2)
        slope = g.add("Reshape", [ins[1], g.const("prelu_shape", shape, np.int64)],
                      [g.fresh(node["name"] + "_slope")])
        g.add("PRelu", [ins[0], slope], [out])
    elif act == "gelu":     # x * (1 + erf(x / sqrt 2)) / 2
        x = ins[0]
        scaled = g.add("Div", [x, g.const("sqrt2", np.sqrt(2.0), g.dtypes[x])],
                       [g.fresh("gelu_div")])
        erf = g.add("Erf", [scaled], [g.fresh("gelu_erf")])
        one = g.add("Add", [erf, g.const("one", 1.0, g.dtypes[x])], [g.fresh("gelu_add")])
        half = g.add("Mul", [x, one], [g.fresh("gelu_mul")])
        g.add("Div", [half, g.const("two", 2.0, g.dtypes[x])], [out])
    else:
        _unsupported(node, f"act_type={act}")


@converter("Pooling")
def _pooling(g, node, attrs):
    ins, out = g.input_names(node), _out(g, node)
    kind = attrs["pool_type"]
    if kind not in ("max", "avg"):
        _unsupported(node, f"pool_type={kind}")
    if attrs["global_pool"]:
        g.add("GlobalMaxPool" if kind == "max" else "GlobalAveragePool", ins, [out])
        return
    kernel = list(attrs["kernel"])
    extra = {"count_include_pad": int(attrs["count_include_pad"] is not False)} \
        if kind == "avg" else {}
    g.add("MaxPool" if kind == "max" else "AveragePool", ins, [out], kernel_shape=kernel,
          ceil_mode=int(attrs["pooling_convention"] == "full"),
          **_spatial(attrs, len(kernel)), **extra)


@converter("Flatten")
def _flatten(g, node, attrs):
    g.add("Flatten", g.input_names(node), [_out(g, node)], axis=1)


@converter("Dropout", "_copy", "BlockGrad", "stop_gradient")
def _identity(g, node, attrs):
    g.add("Identity", g.input_names(node)[:1], [_out(g, node)])


@converter("Concat")
def _concat(g, node, attrs):
    ins = g.input_names(node)
    g.add("Concat", ins, [_out(g, node)], axis=attrs["dim"] % len(g.shape(ins[0])))


@converter("softmax", "log_softmax")
def _softmax(g, node, attrs):
    ins = g.input_names(node)
    if attrs.get("use_length") or attrs.get("temperature") not in (None, 1.0):
        _unsupported(node, "length / temperature")
    g.add("Softmax" if node["op"] == "softmax" else "LogSoftmax", ins[:1], [_out(g, node)],
          axis=attrs["axis"])


@converter("SoftmaxOutput", "SoftmaxActivation")
def _softmax_output(g, node, attrs):
    ins = g.input_names(node)
    multi = attrs.get("multi_output") or attrs.get("mode") == "channel"
    g.add("Softmax", ins[:1], [_out(g, node)], axis=1 if multi else -1)


@converter("Embedding")
def _embedding(g, node, attrs):
    data, weight = g.input_names(node)
    idx = g.add("Cast", [data], [g.fresh(node["name"] + "_idx")], to=7)   # int64
    g.add("Gather", [weight, idx], [_out(g, node)], axis=0)


# -- shapes ----------------------------------------------------------------------------
def _static_reshape(g, node, attrs=None):
    ins, out = g.input_names(node), _out(g, node)
    shape = g.const(node["name"] + "_shape", list(g.shape(out)), np.int64)
    g.add("Reshape", [ins[0], shape], [out])


CONVERTERS["Reshape"] = _static_reshape
CONVERTERS["reshape_like"] = _static_reshape


@converter("transpose")
def _transpose(g, node, attrs):
    ins = g.input_names(node)
    perm = list(attrs["axes"]) or list(range(len(g.shape(ins[0])) - 1, -1, -1))
    g.add("Transpose", ins, [_out(g, node)], perm=perm)


@converter("expand_dims")
def _expand_dims(g, node, attrs):
    ins = g.input_names(node)
    g.add("Unsqueeze", [ins[0], g.const("axes", [attrs["axis"]], np.int64)], [_out(g, node)])


@converter("squeeze")
def _squeeze(g, node, attrs):
    ins = g.input_names(node)
    axes = attrs.get("axis")
    extra = [g.const("axes", list(axes), np.int64)] if axes else []
    g.add("Squeeze", [ins[0]] + extra, [_out(g, node)])


@converter("SliceChannel")
def _split(g, node, attrs):
    ins = g.input_names(node)
    n = attrs["num_outputs"]
    axis = attrs["axis"] % len(g.shape(ins[0]))
    outs = [_out(g, node, i) for i in range(n)]
    if not attrs["squeeze_axis"]:
        g.add("Split", ins, outs, axis=axis)
        return
    parts = [g.fresh(node["name"] + "_part") for _ in range(n)]
    g.add("Split", ins, parts, axis=axis)
    for part, out in zip(parts, outs):
        g.add("Squeeze", [part, g.const("axes", [axis], np.int64)], [out])


@converter("slice_axis")
def _slice_axis(g, node, attrs):
    ins = g.input_names(node)
    end = attrs["end"]
    end = np.iinfo(np.int64).max if end is None else end
    g.add("Slice", [ins[0], g.const("starts", [attrs["begin"]], np.int64),
                    g.const("ends", [end], np.int64),
                    g.const("axes", [attrs["axis"]], np.int64)], [_out(g, node)])


@converter("Pad")
def _pad(g, node, attrs):
    ins = g.input_names(node)
    width = list(attrs["pad_width"])
    pads = width[0::2] + width[1::2]
    mode = {"constant": "constant", "edge": "edge", "reflect": "reflect"}[attrs["mode"]]
    value = g.const("pad_value", attrs["constant_value"], g.dtypes[ins[0]])
    g.add("Pad", [ins[0], g.const("pads", pads, np.int64), value], [_out(g, node)],
          mode=mode)


@converter("clip")
def _clip(g, node, attrs):
    x = g.input_names(node)[0]
    dt = g.dtypes[x]
    g.add("Clip", [x, g.const("min", attrs["a_min"], dt), g.const("max", attrs["a_max"], dt)],
          [_out(g, node)])


# -- arithmetic ------------------------------------------------------------------------
_BINARY = {"Add": ("elemwise_add", "broadcast_add", "_Plus", "_plus", "_add"),
           "Sub": ("elemwise_sub", "broadcast_sub", "_Minus", "_minus", "_sub"),
           "Mul": ("elemwise_mul", "broadcast_mul", "_Mul", "_mul"),
           "Div": ("elemwise_div", "broadcast_div", "_Div", "_div"),
           "Pow": ("broadcast_power", "_Power", "_power"),
           "Max": ("broadcast_maximum", "_Maximum", "_maximum"),
           "Min": ("broadcast_minimum", "_Minimum", "_minimum")}


def _binary(onnx_op):
    def convert(g, node, attrs):
        g.add(onnx_op, g.input_names(node), [_out(g, node)])
    return convert


for _onnx_op, _names in _BINARY.items():
    converter(*_names)(_binary(_onnx_op))

_SCALAR = {"_plus_scalar": ("Add", False), "_minus_scalar": ("Sub", False),
           "_rminus_scalar": ("Sub", True), "_mul_scalar": ("Mul", False),
           "_div_scalar": ("Div", False), "_rdiv_scalar": ("Div", True),
           "_power_scalar": ("Pow", False), "_rpower_scalar": ("Pow", True),
           "_maximum_scalar": ("Max", False), "_minimum_scalar": ("Min", False)}


def _scalar(onnx_op, reverse):
    def convert(g, node, attrs):
        x = g.input_names(node)[0]
        c = g.const("scalar", attrs["scalar"], g.dtypes[x])
        g.add(onnx_op, [c, x] if reverse else [x, c], [_out(g, node)])
    return convert


for _name, (_onnx_op, _rev) in _SCALAR.items():
    converter(_name)(_scalar(_onnx_op, _rev))

_UNARY = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "exp": "Exp", "log": "Log",
          "sqrt": "Sqrt", "abs": "Abs", "negative": "Neg", "floor": "Floor", "ceil": "Ceil",
          "erf": "Erf", "sin": "Sin", "cos": "Cos", "reciprocal": "Reciprocal",
          "softsign": "Softsign"}


def _unary(onnx_op):
    def convert(g, node, attrs):
        g.add(onnx_op, g.input_names(node), [_out(g, node)])
    return convert


for _name, _onnx_op in _UNARY.items():
    converter(_name)(_unary(_onnx_op))


@converter("dot", "batch_dot")
def _dot(g, node, attrs):
    a, b = g.input_names(node)
    for flag, which in (("transpose_a", 0), ("transpose_b", 1)):
        if attrs.get(flag):
            x = (a, b)[which]
            nd = len(g.shape(x))
            perm = list(range(nd - 2)) + [nd - 1, nd - 2]
            t = g.add("Transpose", [x], [g.fresh(node["name"] + "_T")], perm=perm)
            a, b = (t, b) if which == 0 else (a, t)
    g.add("MatMul", [a, b], [_out(g, node)])


@converter("sum", "mean", "max", "min", "prod")
def _reduce(g, node, attrs):
    x = g.input_names(node)[0]
    if attrs.get("exclude"):
        _unsupported(node, "exclude=True")
    onnx_op = {"sum": "ReduceSum", "mean": "ReduceMean", "max": "ReduceMax",
               "min": "ReduceMin", "prod": "ReduceProd"}[node["op"]]
    axes = attrs.get("axis")
    keep = int(bool(attrs.get("keepdims")))
    out = _out(g, node)
    full = not axes
    target = g.fresh(node["name"] + "_full") if full and not keep else out
    if onnx_op == "ReduceSum":
        extra = [] if full else [g.const("axes", list(axes), np.int64)]
        g.add(onnx_op, [x] + extra, [target], keepdims=keep)
    else:
        g.add(onnx_op, [x], [target], keepdims=keep, axes=None if full else list(axes))
    if target != out:       # MXNet 1.9.1 compat: a full reduction has shape (1,)
        g.add("Reshape", [target, g.const("shape", [1], np.int64)], [out])
