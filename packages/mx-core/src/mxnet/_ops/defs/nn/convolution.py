"""Convolution (MXNet's ``nn/convolution.cc``): 1-D/2-D/3-D, grouped, dilated.

Stride-1 convolutions with many channels run as shifted GEMMs (``_shifted.py``: no
column matrix); the others as im2col (one strided slice per kernel offset) and ONE
batched matmul over the groups, the gradients being the transposed matmuls and col2im
(slice-adds).
"""
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Enum, Int, Optional, Shape
from ...registry import register
from . import _shifted, _window as W

_TUNE = ("off", "limited_workspace", "fastest")
_LAYOUTS = ("NCW", "NCHW", "NCDHW", "NWC", "NHWC", "NDHWC")

PARAMS = (Shape("kernel"), Shape("stride", ()), Shape("dilate", ()), Shape("pad", ()),
          Int("num_filter"), Int("num_group", 1), Int("workspace", 1024),
          Bool("no_bias", False), Optional(Enum("cudnn_tune", _TUNE)),
          Bool("cudnn_off", False), Optional(Enum("layout", _LAYOUTS)))


def geometry(kernel, stride, dilate, pad):
    """(kernel, stride, dilate, pad) as full tuples of len(kernel)."""
    n = len(kernel)
    return (tuple(kernel), W.expand(stride, n, 1), W.expand(dilate, n, 1),
            W.expand(pad, n, 0))


def _check_layout(name, layout, nsp):
    if layout is not None and layout != ("NCW", "NCHW", "NCDHW")[nsp - 1]:
        raise MXNetError(f"Operator {name}: layout {layout} is not supported on this "
                         "backend; use the channels-first layout")


def _inputs(attrs):
    return ("data", "weight") if attrs["no_bias"] else ("data", "weight", "bias")


def _conv_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None]
    k, s, d, p = geometry(attrs["kernel"], attrs["stride"], attrs["dilate"], attrs["pad"])
    nf, g = attrs["num_filter"], attrs["num_group"]
    if len(data) != len(k) + 2:
        raise MXNetError(f"Operator Convolution: data must have {len(k) + 2} dimensions "
                         f"for a kernel of {len(k)}, got shape {tuple(data)}")
    if data[1] % g or nf % g:
        raise MXNetError(f"Operator Convolution: num_group {g} must divide the input "
                         f"channels {data[1]} and num_filter {nf}")
    weight = (nf, data[1] // g) + k
    check_shape("Convolution", "weight", weight, in_shapes[1])
    shapes = [tuple(data), weight]
    if not attrs["no_bias"]:
        check_shape("Convolution", "bias", (nf,), in_shapes[2])
        shapes.append((nf,))
    out = tuple(data[:1]) + (nf,) + tuple(
        W.out_size(n, kk, ss, pp, dd) for n, kk, ss, pp, dd in zip(data[2:], k, s, p, d))
    return shapes, [out]


def columns(xp, data, group, k, s, d, p, out_sp=None):
    """im2col of ``data`` (N, C, *S): (group, C/group * prod(k), N * prod(out)).

    ``out_sp`` may ask for fewer windows than fit (Deconvolution's odd target shapes).
    """
    if out_sp is None:
        out_sp = tuple(W.out_size(n, kk, ss, pp, dd)
                       for n, kk, ss, pp, dd in zip(data.shape[2:], k, s, p, d))
    xt = W.pad_spatial(xp, data.swapaxes(0, 1), p)
    cols = W.im2col(xp, xt, k, s, d, out_sp, axis=1)          # (C, KK, N, *O)
    return cols.reshape(group, -1, cols[0, 0].size), out_sp


def _mm(xp, a, b):
    """Per-group matmul of (g, m, k) and (g, k, n); one 2-D ``dot`` when g == 1 (it hands
    transposed operands to BLAS as they are, where matmul is up to 3x slower)."""
    if a.shape[0] == 1:
        return xp.dot(a[0], b[0])[None]
    return xp.matmul(a, b)


def conv_forward(xp, data, weight, group, k, s, d, p, out_sp=None):
    """Convolution without bias: (N, F, *out)."""
    if out_sp is None:
        out_sp = tuple(W.out_size(n, kk, ss, pp, dd)
                       for n, kk, ss, pp, dd in zip(data.shape[2:], k, s, p, d))
    if _shifted.usable(data.shape, group, k, s, d, p, out_sp):
        return _shifted.forward(xp, data, weight, group, k, d, p, out_sp)
    cols, out_sp = columns(xp, data, group, k, s, d, p, out_sp)
    nf = weight.shape[0]
    out = _mm(xp, weight.reshape(group, nf // group, -1), cols)     # (g, F/g, N*P)
    out = out.reshape((nf, data.shape[0]) + out_sp)
    return xp.ascontiguousarray(out.swapaxes(0, 1))


def conv_grad_data(xp, ograd, weight, data_shape, group, k, s, d, p):
    """d(conv)/d(data) for a head gradient ``ograd`` (N, F, *out): col2im of W^T G."""
    n, c = data_shape[:2]
    nf = weight.shape[0]
    out_sp = ograd.shape[2:]
    if _shifted.usable(data_shape, group, k, s, d, p, out_sp):
        return _shifted.grad_data(xp, ograd, weight, data_shape, group, k, d, p)
    go = ograd.swapaxes(0, 1).reshape(group, nf // group, -1)
    wt = weight.reshape(group, nf // group, -1).swapaxes(1, 2)
    dcols = _mm(xp, wt, go).reshape((c, -1, n) + tuple(out_sp))
    padded = (c, n) + tuple(size + 2 * pp for size, pp in zip(data_shape[2:], p))
    dx = W.col2im(xp, dcols, padded, k, s, d, out_sp, axis=1)
    dx = W.unpad(dx, p, data_shape[2:])
    return xp.ascontiguousarray(dx.swapaxes(0, 1))


def conv_grad_weight(xp, ograd, data, weight_shape, group, k, s, d, p):
    """d(conv)/d(weight): G (im2col X)^T per group."""
    if _shifted.usable(data.shape, group, k, s, d, p, ograd.shape[2:]):
        return _shifted.grad_weight(xp, ograd, data, weight_shape, group, k, d, p)
    cols, _ = columns(xp, data, group, k, s, d, p, tuple(ograd.shape[2:]))
    nf = weight_shape[0]
    go = ograd.swapaxes(0, 1).reshape(group, nf // group, -1)
    return _mm(xp, go, cols.swapaxes(1, 2)).reshape(weight_shape)


@register("Convolution", inputs=("data", "weight", "bias"), input_filter=_inputs,
          params=PARAMS, shape=_conv_shape)
def convolution(xp, data, weight, bias=None, *, kernel, stride, dilate, pad, num_filter,
                num_group, workspace, no_bias, cudnn_tune, cudnn_off, layout):
    """Compute N-D convolution on (N, C, *spatial) input.

    ``out[n, f] = bias[f] + sum_c sum_k weight[f, c, k] * data[n, c, s*i + d*k - pad]``;
    ``num_group`` splits channels and filters into independent groups.
    """
    _check_layout("Convolution", layout, len(kernel))
    k, s, d, p = geometry(kernel, stride, dilate, pad)
    out = conv_forward(xp, data, weight, num_group, k, s, d, p)
    if bias is not None:
        out += bias.reshape((-1,) + (1,) * len(k))
    return out


@convolution.gradient
def _(F, inputs, outputs, ograds, **params):
    # dX = col2im(W^T G), dW = G im2col(X)^T, db = sum of G over batch and space
    # (compiled training graphs set need_data_grad=False where the data needs no dX)
    return F._internal._backward_Convolution(ograds[0], *inputs, **params)


@register("_backward_Convolution", inputs=("ograd", "data", "weight", "bias"),
          input_filter=lambda a: ("ograd",) + _inputs(a),
          params=PARAMS + (Bool("need_data_grad", True),),
          num_outputs=lambda a: 2 if a["no_bias"] else 3, differentiable=False)
def _backward_convolution(xp, ograd, data, weight, bias=None, *, kernel, stride, dilate,
                          pad, num_filter, num_group, workspace, no_bias, cudnn_tune,
                          cudnn_off, layout, need_data_grad=True):
    """Gradients of Convolution with respect to data, weight (and bias); with
    ``need_data_grad=False`` the data gradient is a zero view, not computed."""
    k, s, d, p = geometry(kernel, stride, dilate, pad)
    if need_data_grad:
        dx = conv_grad_data(xp, ograd, weight, data.shape, num_group, k, s, d, p)
    else:
        dx = xp.broadcast_to(xp.zeros((), dtype=ograd.dtype), data.shape)
    dw = conv_grad_weight(xp, ograd, data, weight.shape, num_group, k, s, d, p)
    if no_bias:
        return dx, dw
    return dx, dw, ograd.sum(axis=(0,) + tuple(range(2, ograd.ndim)))
