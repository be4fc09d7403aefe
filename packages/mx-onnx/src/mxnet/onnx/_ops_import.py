"""One importer per ONNX operator: ``convert(ctx, inputs, attrs, name)`` returns the
MXNet symbol(s) of the node's outputs (``ctx`` is ``_import.Context``)."""
from mxnet import symbol as S
from mxnet.base import MXNetError

IMPORTERS = {}


def importer(*names):
    def deco(fn):
        for name in names:
            IMPORTERS[name] = fn
        return fn
    return deco


def _pads(attrs, nsp, op):
    pads = list(attrs.get("pads", [0] * 2 * nsp))
    if pads[:nsp] != pads[nsp:]:
        raise MXNetError(f"import_model: {op} with asymmetric pads {pads} is not supported")
    if attrs.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
        raise MXNetError(f"import_model: {op} auto_pad={attrs['auto_pad']} is not supported")
    return tuple(pads[:nsp])


def _geometry(attrs, op):
    kernel = tuple(attrs["kernel_shape"])
    nsp = len(kernel)
    return dict(kernel=kernel, stride=tuple(attrs.get("strides", [1] * nsp)),
                pad=_pads(attrs, nsp, op))


@importer("Conv")
def _conv(ctx, ins, attrs, name):
    w = ctx.value(ins[1], "Conv weight")
    geo = _geometry(dict(attrs, kernel_shape=attrs.get("kernel_shape", w.shape[2:])), "Conv")
    return S.Convolution(*[ctx.sym(i) for i in ins], num_filter=w.shape[0], name=name,
                         num_group=attrs.get("group", 1), no_bias=len(ins) < 3,
                         dilate=tuple(attrs.get("dilations", [1] * len(geo["kernel"]))),
                         **geo)


@importer("ConvTranspose")
def _deconv(ctx, ins, attrs, name):
    w = ctx.value(ins[1], "ConvTranspose weight")
    group = attrs.get("group", 1)
    geo = _geometry(dict(attrs, kernel_shape=attrs.get("kernel_shape", w.shape[2:])),
                    "ConvTranspose")
    nsp = len(geo["kernel"])
    return S.Deconvolution(*[ctx.sym(i) for i in ins], num_filter=w.shape[1] * group,
                           num_group=group, no_bias=len(ins) < 3, name=name,
                           adj=tuple(attrs.get("output_padding", [0] * nsp)),
                           dilate=tuple(attrs.get("dilations", [1] * nsp)), **geo)


@importer("Gemm")
def _gemm(ctx, ins, attrs, name):
    a, b = ctx.sym(ins[0]), ctx.sym(ins[1])
    alpha, beta = attrs.get("alpha", 1.0), attrs.get("beta", 1.0)
    if attrs.get("transA"):
        a = S.transpose(a)
    if attrs.get("transB") and alpha == 1.0 and beta == 1.0 and ins[1] in ctx.consts:
        w = ctx.consts[ins[1]]
        bias = [ctx.sym(ins[2])] if len(ins) > 2 else []
        return S.FullyConnected(a, ctx.sym(ins[1]), *bias, num_hidden=w.shape[0],
                                no_bias=not bias, flatten=False, name=name)
    out = S.dot(a, b, transpose_b=bool(attrs.get("transB"))) * alpha
    if len(ins) > 2:
        out = S.broadcast_add(out, ctx.sym(ins[2]) * beta)
    return out


@importer("MatMul")
def _matmul(ctx, ins, attrs, name):
    # a constant 2-D right operand (a projection): MXNet's dot contracts the last axis
    # of any left operand with it; otherwise a batch of matrices on both sides
    right = ctx.consts.get(ins[1])
    fn = S.dot if right is not None and right.ndim == 2 else S.batch_dot
    return fn(ctx.sym(ins[0]), ctx.sym(ins[1]), name=name)


@importer("BatchNormalization")
def _batch_norm(ctx, ins, attrs, name):
    ctx.aux.update(ins[3:5])
    return S.BatchNorm(*[ctx.sym(i) for i in ins], eps=attrs.get("epsilon", 1e-5),
                       momentum=attrs.get("momentum", 0.9), fix_gamma=False, name=name)


_ACT = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softrelu",
        "Softsign": "softsign"}


def _activation(kind):
    def convert(ctx, ins, attrs, name):
        return S.Activation(ctx.sym(ins[0]), act_type=kind, name=name)
    return convert


for _op, _kind in _ACT.items():
    importer(_op)(_activation(_kind))


@importer("Elu")
def _elu(ctx, ins, attrs, name):
    return S.LeakyReLU(ctx.sym(ins[0]), act_type="elu", slope=attrs.get("alpha", 1.0),
                       name=name)


@importer("LeakyRelu")
def _leaky_relu(ctx, ins, attrs, name):
    return S.LeakyReLU(ctx.sym(ins[0]), act_type="leaky", slope=attrs.get("alpha", 0.01),
                       name=name)


@importer("PRelu")
def _prelu(ctx, ins, attrs, name):
    if ins[1] in ctx.consts:
        ctx.consts[ins[1]] = ctx.consts[ins[1]].reshape(-1)
    return S.LeakyReLU(ctx.sym(ins[0]), ctx.sym(ins[1]), act_type="prelu", name=name)


@importer("Selu")
def _selu(ctx, ins, attrs, name):
    return S.LeakyReLU(ctx.sym(ins[0]), act_type="selu", name=name)


def _pooling(kind):
    def convert(ctx, ins, attrs, name):
        extra = {"count_include_pad": bool(attrs.get("count_include_pad", 0))} \
            if kind == "avg" else {}
        return S.Pooling(ctx.sym(ins[0]), pool_type=kind, name=name,
                         pooling_convention="full" if attrs.get("ceil_mode") else "valid",
                         **_geometry(attrs, "Pool"), **extra)
    return convert


importer("MaxPool")(_pooling("max"))
importer("AveragePool")(_pooling("avg"))


def _global(kind):
    def convert(ctx, ins, attrs, name):
        return S.Pooling(ctx.sym(ins[0]), pool_type=kind, global_pool=True, kernel=(1, 1),
                         name=name)
    return convert


importer("GlobalMaxPool")(_global("max"))
importer("GlobalAveragePool")(_global("avg"))


@importer("Flatten")
def _flatten(ctx, ins, attrs, name):
    if attrs.get("axis", 1) != 1:
        raise MXNetError("import_model: Flatten is supported for axis=1 only")
    return S.Flatten(ctx.sym(ins[0]), name=name)


@importer("Identity", "Dropout")
def _identity(ctx, ins, attrs, name):
    return S.identity(ctx.sym(ins[0]), name=name)


@importer("Concat")
def _concat(ctx, ins, attrs, name):
    return S.Concat(*[ctx.sym(i) for i in ins], dim=attrs["axis"], name=name)


@importer("Softmax")
def _softmax(ctx, ins, attrs, name):
    return S.softmax(ctx.sym(ins[0]), axis=attrs.get("axis", -1), name=name)


@importer("LogSoftmax")
def _log_softmax(ctx, ins, attrs, name):
    return S.log_softmax(ctx.sym(ins[0]), axis=attrs.get("axis", -1), name=name)


@importer("Reshape")
def _reshape(ctx, ins, attrs, name):
    shape = tuple(int(d) for d in ctx.value(ins[1], "Reshape shape"))
    return S.Reshape(ctx.sym(ins[0]), shape=shape, name=name)


@importer("Transpose")
def _transpose(ctx, ins, attrs, name):
    return S.transpose(ctx.sym(ins[0]), axes=tuple(attrs.get("perm", ())), name=name)


@importer("Unsqueeze")
def _unsqueeze(ctx, ins, attrs, name):
    out = ctx.sym(ins[0])
    for axis in sorted(int(a) for a in ctx.value(ins[1], "Unsqueeze axes")):
        out = S.expand_dims(out, axis=axis)
    return out


@importer("Squeeze")
def _squeeze(ctx, ins, attrs, name):
    axes = tuple(int(a) for a in ctx.value(ins[1], "Squeeze axes")) if len(ins) > 1 \
        else None
    return S.squeeze(ctx.sym(ins[0]), axis=axes, name=name)


@importer("Split")
def _split(ctx, ins, attrs, name):
    if len(ins) > 1:
        sizes = set(int(s) for s in ctx.value(ins[1], "Split sizes"))
        if len(sizes) > 1:
            raise MXNetError("import_model: Split into unequal parts is not supported")
    out = S.split(ctx.sym(ins[0]), num_outputs=attrs["__num_outputs__"],
                  axis=attrs.get("axis", 0), name=name)
    return list(out)


@importer("Clip")
def _clip(ctx, ins, attrs, name):
    lo = float(ctx.value(ins[1], "Clip min")) if len(ins) > 1 and ins[1] else -3.4e38
    hi = float(ctx.value(ins[2], "Clip max")) if len(ins) > 2 and ins[2] else 3.4e38
    return S.clip(ctx.sym(ins[0]), a_min=lo, a_max=hi, name=name)


@importer("Gather")
def _gather(ctx, ins, attrs, name):
    if attrs.get("axis", 0) != 0:
        raise MXNetError("import_model: Gather is supported for axis=0 only")
    return S.take(ctx.sym(ins[0]), ctx.sym(ins[1]), axis=0, name=name)


@importer("Cast")
def _cast(ctx, ins, attrs, name):
    from onnx import helper
    dtype = helper.tensor_dtype_to_np_dtype(attrs["to"])
    return S.Cast(ctx.sym(ins[0]), dtype=str(dtype), name=name)


_BINARY = {"Add": S.broadcast_add, "Sub": S.broadcast_sub, "Mul": S.broadcast_mul,
           "Div": S.broadcast_div, "Pow": S.broadcast_power, "Max": S.broadcast_maximum,
           "Min": S.broadcast_minimum}


def _binary(fn):
    def convert(ctx, ins, attrs, name):
        return fn(ctx.sym(ins[0]), ctx.sym(ins[1]), name=name)
    return convert


for _op, _fn in _BINARY.items():
    importer(_op)(_binary(_fn))

_UNARY = {"Exp": S.exp, "Log": S.log, "Sqrt": S.sqrt, "Abs": S.abs, "Neg": S.negative,
          "Floor": S.floor, "Ceil": S.ceil, "Erf": S.erf, "Sin": S.sin, "Cos": S.cos,
          "Reciprocal": S.reciprocal}


def _unary(fn):
    def convert(ctx, ins, attrs, name):
        return fn(ctx.sym(ins[0]), name=name)
    return convert


for _op, _fn in _UNARY.items():
    importer(_op)(_unary(_fn))


@importer("Slice")
def _slice(ctx, ins, attrs, name):
    starts = [int(v) for v in ctx.value(ins[1], "Slice starts")]
    ends = [int(v) for v in ctx.value(ins[2], "Slice ends")]
    axes = [int(v) for v in ctx.value(ins[3], "Slice axes")] if len(ins) > 3 and ins[3] \
        else list(range(len(starts)))
    if len(ins) > 4 and ins[4] and any(int(s) != 1 for s in ctx.value(ins[4], "steps")):
        raise MXNetError("import_model: Slice with steps other than 1 is not supported")
    out = ctx.sym(ins[0])
    big = 2 ** 62
    for axis, begin, end in zip(axes, starts, ends):
        out = S.slice_axis(out, axis=axis, begin=begin, end=None if end >= big else end)
    return out


_REDUCE = {"ReduceSum": S.sum, "ReduceMean": S.mean, "ReduceMax": S.max,
           "ReduceMin": S.min, "ReduceProd": S.prod}


def _reduce(fn, axes_input):
    def convert(ctx, ins, attrs, name):
        if axes_input:
            axes = ctx.value(ins[1], "axes") if len(ins) > 1 and ins[1] else None
        else:
            axes = attrs.get("axes")
        axis = None if axes is None or len(axes) == 0 else tuple(int(a) for a in axes)
        return fn(ctx.sym(ins[0]), axis=axis, keepdims=bool(attrs.get("keepdims", 1)),
                  name=name)
    return convert


for _op, _fn in _REDUCE.items():
    importer(_op)(_reduce(_fn, _op == "ReduceSum"))


@importer("Pad")
def _pad(ctx, ins, attrs, name):
    pads = [int(p) for p in ctx.value(ins[1], "Pad pads")]
    n = len(pads) // 2
    width = tuple(v for pair in zip(pads[:n], pads[n:]) for v in pair)
    value = float(ctx.value(ins[2], "Pad value")) if len(ins) > 2 and ins[2] else 0.0
    return S.Pad(ctx.sym(ins[0]), mode=attrs.get("mode", "constant"), pad_width=width,
                 constant_value=value, name=name)
