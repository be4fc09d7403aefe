"""UpSampling (MXNet's ``nn/upsampling.cc``): nearest neighbour, or bilinear as a
grouped Deconvolution with the given weight."""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Enum, Int
from ...registry import register
from .deconvolution import _backward_deconvolution, deconvolution

PARAMS = (Int("scale"), Int("num_filter", 0), Enum("sample_type", ("bilinear", "nearest")),
          Enum("multi_input_mode", ("concat", "sum"), "concat"), Int("num_args", 1),
          Int("workspace", 512))


def _deconv_attrs(scale, num_filter):
    k = 2 * scale - scale % 2
    pad = -(-(scale - 1) // 2)
    return dict(kernel=(k, k), stride=(scale, scale), dilate=(), pad=(pad, pad), adj=(),
                target_shape=(), num_filter=num_filter, num_group=num_filter,
                workspace=512, no_bias=True, cudnn_tune=None, cudnn_off=False,
                layout=None)


def _nearest(xp, x, fh, fw):
    return x.repeat(fh, axis=2).repeat(fw, axis=3)


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    scale = attrs["scale"]
    if attrs["sample_type"] == "bilinear":
        k = 2 * scale - scale % 2
        weight = (attrs["num_filter"], 1, k, k)
        if len(in_shapes) > 1:
            check_shape("UpSampling", "weight", weight, in_shapes[1])
        shapes = [tuple(data), weight][:len(in_shapes)]
        return shapes, [(data[0], data[1], data[2] * scale, data[3] * scale)]
    if attrs["multi_input_mode"] == "sum" or None in in_shapes:
        channels = data[1]
    else:
        channels = sum(s[1] for s in in_shapes)
    return in_shapes, [(data[0], channels, data[2] * scale, data[3] * scale)]


@register("UpSampling", inputs=("data",), varargs="num_args", params=PARAMS, shape=_shape)
def upsampling(xp, *arrays, scale, num_filter, sample_type, multi_input_mode, num_args,
               workspace):
    """Upsamples the inputs by ``scale``: nearest copies each pixel (extra inputs are
    brought to the first output's size, then concatenated on channels or summed);
    bilinear applies a grouped Deconvolution with the second input as weight."""
    if sample_type == "bilinear":
        if len(arrays) != 2:
            raise MXNetError("Operator UpSampling: bilinear takes data and weight "
                             f"(num_args=2), got {len(arrays)} inputs")
        return deconvolution.forward(xp, arrays[0], arrays[1],
                                     **_deconv_attrs(scale, num_filter))
    h, w = arrays[0].shape[2] * scale, arrays[0].shape[3] * scale
    ups = [_nearest(xp, x, h // x.shape[2], w // x.shape[3]) for x in arrays]
    if multi_input_mode == "sum":
        out = ups[0].copy()
        for u in ups[1:]:
            out += u
        return out
    return xp.concatenate(ups, axis=1)


@upsampling.gradient
def _(F, inputs, outputs, ograds, **params):
    # nearest: d/dx sums the head gradient over each pixel's copies; bilinear: deconv's
    grads = F._internal._backward_UpSampling(ograds[0], *inputs, **params)
    return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)


@register("_backward_UpSampling", inputs=("ograd",), varargs="num_args", params=PARAMS,
          num_outputs=lambda a: a["num_args"], differentiable=False)
def _backward_upsampling(xp, ograd, *arrays, scale, num_filter, sample_type,
                         multi_input_mode, num_args, workspace):
    """Gradients of UpSampling with respect to each input."""
    if sample_type == "bilinear":
        return tuple(_backward_deconvolution.forward(xp, ograd, arrays[0], arrays[1],
                                                     **_deconv_attrs(scale, num_filter)))
    grads, c0 = [], 0
    for x in arrays:
        fh, fw = ograd.shape[2] // x.shape[2], ograd.shape[3] // x.shape[3]
        g = ograd if multi_input_mode == "sum" else ograd[:, c0:c0 + x.shape[1]]
        c0 += x.shape[1]
        n, c, h, w = x.shape
        grads.append(g.reshape(n, c, h, fh, w, fw).sum(axis=(3, 5)))
    return tuple(grads)
