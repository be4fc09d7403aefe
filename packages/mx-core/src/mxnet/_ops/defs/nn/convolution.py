"""Convolution (MXNet's ``nn/convolution.cc``): 1-D/2-D/3-D, grouped, dilated.

Forward and weight gradient run as im2col in cache-sized blocks (``_blocked.py``): one
deep GEMM per block, written straight into the (N, F, *out) output. The data gradient
of a stride-1 convolution is a convolution of the head gradient (same code); other
shapes use col2im (slice-adds of W^T G) with the batch axis last.
"""
from .... import autograd as _autograd
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Enum, Int, Optional, Shape
from ...registry import register
from . import _blocked, _window as W

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


def _mm(xp, a, b):
    """Per-group matmul of (g, m, k) and (g, k, n); one 2-D ``dot`` when g == 1 (it hands
    transposed operands to BLAS as they are, where matmul is up to 3x slower)."""
    if a.shape[0] == 1:
        return xp.dot(a[0], b[0])[None]
    return xp.matmul(a, b)


def conv_forward(xp, data, weight, group, k, s, d, p, out_sp=None, bias=None):
    """Convolution (with ``bias`` (F,) when given): (N, F, *out)."""
    if out_sp is None:
        out_sp = tuple(W.out_size(n, kk, ss, pp, dd)
                       for n, kk, ss, pp, dd in zip(data.shape[2:], k, s, p, d))
    return _blocked.forward(xp, data, weight, group, k, s, d, p, tuple(out_sp), bias)


def _prod(vals):
    out = 1
    for v in vals:
        out *= v
    return out


def conv_grad_data(xp, ograd, weight, data_shape, group, k, s, d, p):
    """d(conv)/d(data) for a head gradient ``ograd`` (N, F, *out)."""
    n, c = data_shape[:2]
    nf = weight.shape[0]
    out_sp = tuple(ograd.shape[2:])
    if _blocked.data_grad_usable(s, d, p, k) and (
            nf * _prod(data_shape[2:]) <= 2 * c * _prod(out_sp)):
        # stride 1 and as many output as input channels: a plain convolution of G
        return _blocked.grad_data(xp, ograd, weight, data_shape, group, k, d, p)
    # col2im of W^T G: (C, KK, N, *out), or with the batch axis last, (C, KK, *out, N),
    # when image rows are short: each slice-add then runs over ``width * N`` values
    nd = len(k)
    last = out_sp[-1] < _blocked._SHORT_ROW
    order = (1,) + (tuple(range(2, nd + 2)) + (0,) if last else (0,) + tuple(range(2, nd + 2)))
    go = ograd.transpose(order).reshape(group, nf // group, -1)
    wt = weight.reshape(group, nf // group, -1).swapaxes(1, 2)
    grid = tuple(size + 2 * pp for size, pp in zip(data_shape[2:], p))
    if last:
        dcols = _mm(xp, wt, go).reshape((c, -1) + out_sp + (n,))
        dx = xp.zeros((c,) + grid + (n,), dtype=dcols.dtype)
    else:
        dcols = _mm(xp, wt, go).reshape((c, -1, n) + out_sp)
        dx = xp.zeros((c, n) + grid, dtype=dcols.dtype)
    pre, post = ((slice(None),), (slice(None),)) if last else ((slice(None),) * 2, ())
    for j, idx in enumerate(W.offsets(k, s, d, out_sp)):
        dx[pre + idx[1:] + post] += dcols[:, j]
    inner = tuple(slice(pp, pp + sz) for pp, sz in zip(p, data_shape[2:]))
    if last:
        dx = dx[(slice(None),) + inner].transpose((nd + 1, 0) + tuple(range(1, nd + 1)))
    else:
        dx = dx[(slice(None),) * 2 + inner].swapaxes(0, 1)
    return xp.ascontiguousarray(dx)


def conv_grad_weight(xp, ograd, data, weight_shape, group, k, s, d, p):
    """d(conv)/d(weight): G (im2col X)^T per group."""
    return _blocked.grad_weight(xp, ograd, data, weight_shape, group, k, s, d, p)


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
    return conv_forward(xp, data, weight, num_group, k, s, d, p, bias=bias)


@convolution.gradient
def _(F, inputs, outputs, ograds, **params):
    # dX = col2im(W^T G), dW = G im2col(X)^T, db = sum of G over batch and space
    # (compiled training graphs set need_data_grad=False where the data needs no dX;
    # imperatively, data outside the recorded graph gets none either)
    need = not (F.__name__.endswith("ndarray") and _autograd._gradient_dropped(inputs[0]))
    if need:
        return F._internal._backward_Convolution(ograds[0], *inputs, **params)
    grads = F._internal._backward_Convolution(ograds[0], *inputs, need_data_grad=False,
                                             **params)
    return (None,) + tuple(grads[1:])


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
