"""Deconvolution (MXNet's ``nn/deconvolution.cc``): the transpose of Convolution.

Its forward is Convolution's data gradient, its data gradient is a Convolution, and
its weight gradient is Convolution's weight gradient with the roles of data and head
gradient swapped.
"""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Enum, Int, Optional, Shape
from ...registry import register
from . import _window as W
from .convolution import _LAYOUTS, _TUNE, _check_layout, conv_forward, conv_grad_data, \
    conv_grad_weight

PARAMS = (Shape("kernel"), Shape("stride", ()), Shape("dilate", ()), Shape("pad", ()),
          Shape("adj", ()), Shape("target_shape", ()), Int("num_filter"),
          Int("num_group", 1), Int("workspace", 512), Bool("no_bias", True),
          Optional(Enum("cudnn_tune", _TUNE)), Bool("cudnn_off", False),
          Optional(Enum("layout", _LAYOUTS)))


def geometry(attrs, in_sp):
    """(kernel, stride, dilate, pad, out_spatial) with MXNet's target_shape rule."""
    k = tuple(attrs["kernel"])
    n = len(k)
    s = W.expand(attrs["stride"], n, 1)
    d = W.expand(attrs["dilate"], n, 1)
    p = W.expand(attrs["pad"], n, 0)
    adj = W.expand(attrs["adj"], n, 0)
    target = W.expand(attrs["target_shape"], n, 0)
    full = [ss * (i - 1) + dd * (kk - 1) + 1 for i, kk, ss, dd in zip(in_sp, k, s, d)]
    if any(target):
        # MXNet 1.9.1 compat: a target shape overrides pad/adj; the odd pixel goes right
        total = [f - t for f, t in zip(full, target)]
        if min(total) < 0:
            raise MXNetError(f"Operator Deconvolution: target_shape {target} is too big "
                             f"for input spatial shape {tuple(in_sp)}")
        p = tuple((t + 1) // 2 for t in total)
        return k, s, d, p, tuple(target)
    return k, s, d, p, tuple(f - 2 * pp + a for f, pp, a in zip(full, p, adj))


def _inputs(attrs):
    return ("data", "weight") if attrs["no_bias"] else ("data", "weight", "bias")


def _deconv_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    nf, g = attrs["num_filter"], attrs["num_group"]
    k, _, _, _, out_sp = geometry(attrs, data[2:])
    if len(data) != len(k) + 2:
        raise MXNetError(f"Operator Deconvolution: data must have {len(k) + 2} "
                         f"dimensions for a kernel of {len(k)}, got shape {tuple(data)}")
    weight = (data[1], nf // g) + k
    check_shape("Deconvolution", "weight", weight, in_shapes[1])
    shapes = [tuple(data), weight]
    if not attrs["no_bias"]:
        check_shape("Deconvolution", "bias", (nf,), in_shapes[2])
        shapes.append((nf,))
    return shapes, [(data[0], nf) + out_sp]


@register("Deconvolution", inputs=("data", "weight", "bias"), input_filter=_inputs,
          params=PARAMS, shape=_deconv_shape)
def deconvolution(xp, data, weight, bias=None, **attrs):
    """Computes N-D transposed convolution (a.k.a. fractionally strided convolution).

    The output of a ``kernel``/``stride``/``pad`` Deconvolution has the shape of the
    input of the matching Convolution: ``(in - 1) * stride - 2 * pad + dilate * (kernel
    - 1) + 1 + adj``, or ``target_shape`` when given.
    """
    _check_layout("Deconvolution", attrs["layout"], len(attrs["kernel"]))
    k, s, d, p, out_sp = geometry(attrs, data.shape[2:])
    shape = (data.shape[0], attrs["num_filter"]) + out_sp
    out = conv_grad_data(xp, data, weight, shape, attrs["num_group"], k, s, d, p)
    if bias is not None:
        out += bias.reshape((-1,) + (1,) * len(k))
    return out


@deconvolution.gradient
def _(F, inputs, outputs, ograds, **params):
    # dX = conv(G, W), dW = conv weight-gradient with X as head, db = sum of G
    return F._internal._backward_Deconvolution(ograds[0], *inputs, **params)


@register("_backward_Deconvolution", inputs=("ograd", "data", "weight", "bias"),
          input_filter=lambda a: ("ograd",) + _inputs(a), params=PARAMS,
          num_outputs=lambda a: 2 if a["no_bias"] else 3, differentiable=False)
def _backward_deconvolution(xp, ograd, data, weight, bias=None, **attrs):
    """Gradients of Deconvolution with respect to data, weight (and bias)."""
    k, s, d, p, _ = geometry(attrs, data.shape[2:])
    g = attrs["num_group"]
    dx = conv_forward(xp, ograd, weight, g, k, s, d, p, tuple(data.shape[2:]))
    dw = conv_grad_weight(xp, data, ograd, weight.shape, g, k, s, d, p)
    if bias is None:
        return dx, dw
    return dx, dw, ograd.sum(axis=(0,) + tuple(range(2, ograd.ndim)))
