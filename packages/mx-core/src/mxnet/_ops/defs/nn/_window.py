"""Sliding-window helpers shared by convolution, pooling, im2col and their gradients.

Every window operation is a loop over the *kernel offsets* (kh*kw slices), each slice a
strided view covering all output positions at once: no per-element Python.
"""
import itertools

from ....base import MXNetError


def expand(value, n, fill):
    """``value`` as an n-tuple (MXNet's empty tuple means ``fill`` everywhere)."""
    if not value:
        return (fill,) * n
    if len(value) != n:
        raise MXNetError(f"expected a tuple of {n} values, got {tuple(value)}")
    return tuple(value)


def out_size(size, k, s, p, d, ceil=False):
    """Output length of a window of ``k`` (dilation ``d``) sliding by ``s`` over size + 2p."""
    span = size + 2 * p - (d * (k - 1) + 1)
    if ceil:
        return 1 + -(-span // s)
    return 1 + span // s


def offsets(kernel, stride, dilate, out_sp):
    """Index tuples (leading axes kept by Ellipsis), one per kernel offset, in C order."""
    for offs in itertools.product(*[range(k) for k in kernel]):
        yield (Ellipsis,) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s)
                                  for o, d, s, n in zip(offs, dilate, stride, out_sp))


def pad_spatial(xp, x, pad, value=0, extra=None):
    """Pad the trailing len(pad) axes by ``pad`` on both sides (plus ``extra`` after)."""
    extra = extra or (0,) * len(pad)
    if not any(pad) and not any(extra):
        return x
    widths = [(0, 0)] * (x.ndim - len(pad)) + [(p, p + e) for p, e in zip(pad, extra)]
    return xp.pad(x, widths, mode="constant", constant_values=value)


def unpad(x, pad, size):
    """Inverse of :func:`pad_spatial`: the central ``size`` of the trailing axes."""
    return x[(Ellipsis,) + tuple(slice(p, p + n) for p, n in zip(pad, size))]


def im2col(xp, xp_pad, kernel, stride, dilate, out_sp, axis):
    """Stack each kernel offset's slice of padded ``xp_pad`` along a new ``axis``, into a
    C-contiguous array (``stack`` keeps a transposed input's order; reshapes would copy)."""
    lead = xp_pad.shape[:axis]
    rest = xp_pad.shape[axis:xp_pad.ndim - len(kernel)]
    kk = 1
    for v in kernel:
        kk *= v
    out = xp.empty(lead + (kk,) + rest + tuple(out_sp), dtype=xp_pad.dtype)
    pre = (slice(None),) * axis
    for j, idx in enumerate(offsets(kernel, stride, dilate, out_sp)):
        out[pre + (j,)] = xp_pad[idx]
    return out


def col2im(xp, cols, padded_shape, kernel, stride, dilate, out_sp, axis):
    """Sum ``cols`` (kernel offsets along ``axis``) back into a zero padded array."""
    out = xp.zeros(padded_shape, dtype=cols.dtype)
    pre = (slice(None),) * axis
    for j, idx in enumerate(offsets(kernel, stride, dilate, out_sp)):
        out[idx] += cols[pre + (j,)]
    return out


def clipped(kernel, stride, pad, size, out_sp):
    """Per kernel offset j (C order, dilation 1): ``(j, src, dst)``, ``src`` indexing the
    *unpadded* input at the window positions inside it and ``dst`` the matching output
    positions (offsets reading only padding are skipped). Lets window ops skip the
    padded copy of the input, and their gradients the padded dx."""
    per_dim = []
    for k, s, p, n, o in zip(kernel, stride, pad, size, out_sp):
        opts = []
        for off in range(k):
            # output i reads padded position off + s*i, i.e. input off + s*i - p
            lo = max(0, -(-(p - off) // s))
            hi = min(o, (n - 1 + p - off) // s + 1) if n - 1 + p - off >= 0 else 0
            if hi > lo:
                start = off + s * lo - p
                opts.append((off, slice(start, start + (hi - lo - 1) * s + 1, s),
                             slice(lo, hi)))
            else:
                opts.append((off, None, None))
        per_dim.append(opts)
    for j, combo in enumerate(itertools.product(*per_dim)):
        if any(src is None for _, src, _ in combo):
            continue
        yield (j, (Ellipsis,) + tuple(src for _, src, _ in combo),
               (Ellipsis,) + tuple(dst for _, _, dst in combo))


def phases(xp, x, kernel, stride, pad, out_sp):
    """Strided windows on unit-stride data: ``x`` (N, C, *S) split by stride phase into a
    contiguous (*stride, N, C, *ceil(S / stride)) array, and per kernel offset j
    ``(j, src, dst)`` with ``src`` indexing that array and ``dst`` the output (as
    :func:`clipped`, whose strided views run several times slower). Phase entries
    past the input's end are never indexed."""
    nd = len(stride)
    if all(s == 1 for s in stride):
        return x[(None,) * nd], [(j, (0,) * nd + src, dst) for j, src, dst in
                                 clipped(kernel, stride, pad, x.shape[2:], out_sp)]
    size = x.shape[2:]
    m = [-(-n // s) for n, s in zip(size, stride)]
    xpad = pad_spatial(xp, x, (0,) * nd, 0, tuple(mm * s - n for mm, s, n in
                                                  zip(m, stride, size)))
    split = xpad.reshape(x.shape[:2] + tuple(v for mm, s in zip(m, stride) for v in (mm, s)))
    order = tuple(3 + 2 * i for i in range(nd)) + (0, 1) + tuple(2 + 2 * i for i in range(nd))
    ph = xp.ascontiguousarray(split.transpose(order))
    per_dim = []
    for k, s, p, n, o in zip(kernel, stride, pad, size, out_sp):
        opts = []
        for off in range(k):
            q, r = divmod(off - p, s)
            lo, hi = max(0, -q), min(o, (n - r + s - 1) // s - q)
            opts.append((r, slice(lo + q, hi + q), slice(lo, hi)) if hi > lo else None)
        per_dim.append(opts)
    items = [(j, tuple(c[0] for c in combo) + (Ellipsis,) + tuple(c[1] for c in combo),
              (Ellipsis,) + tuple(c[2] for c in combo))
             for j, combo in enumerate(itertools.product(*per_dim))
             if all(c is not None for c in combo)]
    return ph, items

