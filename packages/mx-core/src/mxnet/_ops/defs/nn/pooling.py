"""Pooling (MXNet's ``nn/pooling.cc``): max/avg/sum/lp over 1-D, 2-D and 3-D windows.

Each pooling is a reduction over the kernel offsets' strided slices of the padded
input; the gradient scatters back with slice-adds over the same offsets.
"""
import itertools

from ....base import MXNetError
from ...params import Bool, Enum, Int, Optional, Shape
from ...registry import register
from . import _window as W

_LAYOUTS = ("NCW", "NCHW", "NCDHW", "NWC", "NHWC", "NDHWC")

PARAMS = (Shape("kernel", ()), Enum("pool_type", ("max", "avg", "sum", "lp"), "max"),
          Bool("global_pool", False), Bool("cudnn_off", False),
          Enum("pooling_convention", ("valid", "full", "same"), "valid"),
          Shape("stride", ()), Shape("pad", ()), Optional(Int("p_value")),
          Optional(Bool("count_include_pad")), Optional(Enum("layout", _LAYOUTS)))


def _geometry(attrs, spatial):
    """(kernel, stride, pad, extra right padding, output spatial shape)."""
    n = len(spatial)
    if attrs["global_pool"]:
        return tuple(spatial), (1,) * n, (0,) * n, (0,) * n, (1,) * n
    k = tuple(attrs["kernel"])
    if len(k) != n:
        raise MXNetError(f"Operator Pooling: kernel {k} does not match the {n} spatial "
                         f"dimensions of the input")
    s = W.expand(attrs["stride"], n, 1)
    p = W.expand(attrs["pad"], n, 0)
    conv = attrs["pooling_convention"]
    if conv == "same":
        # MXNet 1.9.1 compat: 'same' keeps ceil(size / stride) outputs, padding evenly
        out = tuple(-(-size // ss) for size, ss in zip(spatial, s))
        total = [max((o - 1) * ss + kk - size, 0)
                 for o, ss, kk, size in zip(out, s, k, spatial)]
        p = tuple(t // 2 for t in total)
        extra = tuple(t - 2 * (t // 2) for t in total)
        return k, s, p, extra, out
    out = tuple(W.out_size(size, kk, ss, pp, 1, ceil=conv == "full")
                for size, kk, ss, pp in zip(spatial, k, s, p))
    extra = tuple(max((o - 1) * ss + kk - size - 2 * pp, 0)
                  for o, ss, kk, size, pp in zip(out, s, k, spatial, p))
    return k, s, p, extra, out


def _channels_first(x, layout):
    """``x`` as (N, C, *spatial) and whether it was channels-last."""
    last = layout is not None and layout[-1] == "C"
    return (x.transpose((0, x.ndim - 1) + tuple(range(1, x.ndim - 1))) if last else x), last


def _back(x, last):
    return x.transpose((0,) + tuple(range(2, x.ndim)) + (1,)) if last else x


def _count(xp, attrs, spatial, k, s, p, extra, out_sp, dtype):
    """Divisor of each average window: inside the (padded) input only."""
    include = attrs["count_include_pad"] in (None, True)
    total = None
    for i, (size, kk, ss, pp, o) in enumerate(zip(spatial, k, s, p, out_sp)):
        start = xp.arange(o) * ss
        lo, hi = (0, size + 2 * pp) if include else (pp, pp + size)
        c = xp.minimum(start + kk, hi) - xp.maximum(start, lo)
        c = c.reshape((-1,) + (1,) * (len(out_sp) - 1 - i))
        total = c if total is None else total * c
    return total.astype(dtype)


def _lp(xp, v, p):
    return v * v if p == 2 else (v if p == 1 else xp.power(v, p))


def _check(attrs, data):
    if data.ndim not in (3, 4, 5):
        raise MXNetError(f"Operator Pooling: data must be 3-D, 4-D or 5-D, got shape "
                         f"{data.shape}")
    if attrs["pool_type"] == "lp" and attrs["p_value"] is None:
        raise MXNetError("Operator Pooling: pool_type 'lp' needs p_value")


def _n_out(attrs):
    """MXNet 1.9.1 compat: its oneDNN build gives max pooling a hidden workspace output
    (kernels of 1-3 dims, channels-first layout), which -symbol.json files count."""
    layout = attrs["layout"]
    return 2 if (attrs["pool_type"] == "max" and 1 <= len(attrs["kernel"]) <= 3
                 and layout in (None, "NCW", "NCHW", "NCDHW")) else 1


def _pool_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * _n_out(attrs)
    last = attrs["layout"] is not None and attrs["layout"][-1] == "C"
    spatial = data[1:-1] if last else data[2:]
    out = _geometry(attrs, spatial)[-1]
    shape = (data[0],) + (out + (data[-1],) if last else (data[1],) + out)
    return in_shapes, [shape] * _n_out(attrs)


@register("Pooling", inputs=("data",), params=PARAMS, shape=_pool_shape,
          num_outputs=_n_out, visible_outputs=1)
def pooling(xp, data, **attrs):
    """Performs pooling on the input (max, average, sum or Lp norm of each window).

    ``pooling_convention`` 'valid' drops incomplete windows, 'full' keeps them (ceil);
    ``global_pool`` pools over the whole spatial extent.
    """
    _check(attrs, data)
    x, last = _channels_first(data, attrs["layout"])
    k, s, p, extra, out_sp = _geometry(attrs, x.shape[2:])
    kind = attrs["pool_type"]
    if kind == "max" and _tiled(k, s, p, x.shape[2:], out_sp):
        out = _tiled_max(xp, x, k, out_sp)
        out = xp.ascontiguousarray(_back(out, last))
        return (out, out) if _n_out(attrs) == 2 else out
    if kind == "lp":
        x = _lp(xp, x, attrs["p_value"])
    # padding reads as -inf (max) or 0: start there and fold in the in-bounds windows
    lowest = -xp.inf if x.dtype.kind == "f" else xp.iinfo(x.dtype).min
    out = xp.full(x.shape[:2] + tuple(out_sp), lowest if kind == "max" else 0,
                  dtype=x.dtype)
    ph, windows = W.phases(xp, x, k, s, p, out_sp)
    for _, src, dst in windows:
        view = out[dst]
        if kind == "max":
            xp.maximum(view, ph[src], out=view)
        else:
            view += ph[src]
    if kind == "avg":
        out /= _count(xp, attrs, x.shape[2:], k, s, p, extra, out_sp, out.dtype)
    elif kind == "lp" and attrs["p_value"] != 1:
        out = xp.sqrt(out) if attrs["p_value"] == 2 else xp.power(out, 1.0 / attrs["p_value"])
    out = xp.ascontiguousarray(_back(out, last)).astype(data.dtype, copy=False)
    return (out, out) if _n_out(attrs) == 2 else out      # the workspace: a stand-in


@pooling.gradient
def _(F, inputs, outputs, ograds, **params):
    # max: G to the first maximum of each window; avg: G / count; sum: G;
    # lp: G * (x / y) ** (p - 1)
    return (F._internal._backward_Pooling(ograds[0], inputs[0], outputs[0], **params),)


@register("_backward_Pooling", inputs=("ograd", "data", "output"), params=PARAMS,
          differentiable=False)
def _backward_pooling(xp, ograd, data, output, **attrs):
    """Gradient of Pooling with respect to its data."""
    x, last = _channels_first(data, attrs["layout"])
    g, _ = _channels_first(ograd, attrs["layout"])
    y, _ = _channels_first(output, attrs["layout"])
    k, s, p, extra, out_sp = _geometry(attrs, x.shape[2:])
    kind = attrs["pool_type"]
    if kind == "avg":
        g = g / _count(xp, attrs, x.shape[2:], k, s, p, extra, out_sp, g.dtype)
    if kind == "max" and _tiled(k, s, p, x.shape[2:], out_sp):
        return xp.ascontiguousarray(_back(_tiled_max_grad(xp, x, g, y, k, out_sp), last))
    if kind == "max" and bool((y == -xp.inf).any()):
        dx = _max_grad_padded(xp, x, g, y, k, s, p, extra, out_sp)
        return xp.ascontiguousarray(_back(dx, last))
    if kind == "max" and any(v > 1 for v in s):
        return xp.ascontiguousarray(_back(_phased_max_grad(xp, x, g, y, k, s, p, out_sp),
                                          last))
    # padding never holds a finite maximum and its gradient is dropped: skip it
    dx = xp.zeros(x.shape, dtype=g.dtype)
    taken = xp.zeros(g.shape, dtype=bool) if kind == "max" else None
    for _, src, dst in W.clipped(k, s, p, x.shape[2:], out_sp):
        if kind == "max":
            # hit: equal to the maximum and no earlier offset took it
            hit = xp.equal(x[src], y[dst])
            xp.greater(hit, taken[dst], out=hit)
            taken[dst] |= hit
            dx[src] += g[dst] * hit
        elif kind == "lp" and attrs["p_value"] != 1:
            dx[src] += g[dst] * _lp(xp, x[src] / y[dst], attrs["p_value"] - 1)
        else:
            dx[src] += g[dst]
    return xp.ascontiguousarray(_back(dx, last))


def _tiled(k, s, p, size, out_sp):
    """Windows that tile the input (kernel == stride > 1, no padding, none past the
    end; a 1x1 kernel would return a view of the input)."""
    return (k == s and not any(p) and any(kk > 1 for kk in k)
            and all(o * kk <= n for o, kk, n in zip(out_sp, k, size)))


def _tiles(x, k, out_sp):
    """(N, C, o0, k0, o1, k1, ...) view of the tiled part of ``x``."""
    crop = x[(Ellipsis,) + tuple(slice(0, o * kk) for o, kk in zip(out_sp, k))]
    return crop.reshape(x.shape[:2] + tuple(v for o, kk in zip(out_sp, k) for v in (o, kk)))


def _tiled_max(xp, x, k, out_sp):
    """Max over non-overlapping windows: a pairwise maximum along one axis at a time."""
    out = x[(Ellipsis,) + tuple(slice(0, o * kk) for o, kk in zip(out_sp, k))]
    for axis, kk in enumerate(k, start=2):
        parts = [out[(slice(None),) * axis + (slice(r, None, kk),)] for r in range(kk)]
        if kk == 1:
            continue
        acc = xp.maximum(parts[0], parts[1])
        for part in parts[2:]:
            xp.maximum(acc, part, out=acc)
        out = acc
    return out


def _tiled_max_grad(xp, x, g, y, k, out_sp):
    """Max pooling's gradient on non-overlapping windows: each input element gets at
    most one head gradient (of its window's first maximum), written, not added."""
    xt = _tiles(x, k, out_sp)
    dt = xp.empty(xt.shape, dtype=g.dtype)
    taken = xp.zeros(g.shape, dtype=bool)
    for offs in itertools.product(*[range(kk) for kk in k]):
        idx = (slice(None),) * 2 + tuple(v for o in offs for v in (slice(None), o))
        hit = xp.equal(xt[idx], y)
        xp.greater(hit, taken, out=hit)
        taken |= hit
        xp.multiply(g, hit, out=dt[idx])
    crop = tuple(o * kk for o, kk in zip(out_sp, k))
    if crop == tuple(x.shape[2:]):
        return dt.reshape(x.shape)
    dx = xp.zeros(x.shape, dtype=g.dtype)
    dx[(Ellipsis,) + tuple(slice(0, n) for n in crop)] = dt.reshape(x.shape[:2] + crop)
    return dx


def _phased_max_grad(xp, x, g, y, k, s, p, out_sp):
    """Strided max pooling's gradient on the stride-phase split input (as the forward):
    unit-stride slices run several times faster than strided ones, which pays for
    splitting x and merging dx back."""
    ph, items = W.phases(xp, x, k, s, p, out_sp)
    dph = xp.zeros(ph.shape, dtype=g.dtype)
    taken = xp.zeros(g.shape, dtype=bool)
    for _, src, dst in items:
        hit = xp.equal(ph[src], y[dst])
        xp.greater(hit, taken[dst], out=hit)
        taken[dst] |= hit
        dph[src] += g[dst] * hit
    # (*s, N, C, *m) -> (N, C, m0, s0, m1, s1, ...) -> the input's extent
    nd = len(s)
    order = (nd, nd + 1) + tuple(v for i in range(nd) for v in (nd + 2 + i, i))
    m = ph.shape[nd + 2:]
    dx = dph.transpose(order).reshape(x.shape[:2] + tuple(mm * ss for mm, ss in zip(m, s)))
    return dx[(Ellipsis,) + tuple(slice(0, n) for n in x.shape[2:])]


def _max_grad_padded(xp, x, g, y, k, s, p, extra, out_sp):
    """Max pooling's gradient on the -inf padded input: an all -inf window sends its
    gradient to its first element, which may be padding (then dropped)."""
    xpad = W.pad_spatial(xp, x, p, -xp.inf, extra)
    dx = xp.zeros(xpad.shape, dtype=g.dtype)
    taken = xp.zeros(g.shape, dtype=bool)
    for idx in W.offsets(k, s, (1,) * len(k), out_sp):
        hit = (xpad[idx] == y) & ~taken
        taken |= hit
        dx[idx] += g * hit
    return W.unpad(dx, p, x.shape[2:])
