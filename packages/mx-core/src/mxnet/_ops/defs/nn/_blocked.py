"""Convolution as im2col in cache-sized blocks, written straight into the output.

The column matrix of a block of output positions (one image's rows, or several small
images) is filled by one strided copy per kernel offset into a reused buffer that stays
in cache, then ONE deep GEMM ``(F, C * KK) @ (C * KK, m)`` writes the block of the
(N, F, *out) output in place (BLAS takes the row-strided view as it is): no full column
matrix, no per-offset partial sums to add, no final transpose. The weight gradient
accumulates ``G_block @ cols_block^T``; the data gradient of a stride-1 convolution is
the convolution of the head gradient with the flipped, transposed weights, so it runs
through the same forward (:func:`grad_data`).
"""
import itertools

# bytes of column buffer per block. Larger blocks mean fewer, deeper GEMMs, which
# matters at 2+ BLAS threads (every call waits for the other thread). Measured for the
# ResNet-18 3x3 layer (fwd+bwd) on the 2-core dev box (2 MiB L2 per core) at 2 threads:
# 1 MiB 236 ms, 4 MiB 195-203 ms, 8 MiB 187 ms, 16 MiB 266 ms; 1 thread 292/289/270 ms.
_BLOCK_BYTES = 8 << 20
_MIN_COPY = 1 << 14
_SHORT_ROW = 16


def _prod(vals):
    out = 1
    for v in vals:
        out *= v
    return out


def _blocks(n, out_sp, cols):
    """(n0, n1, r0, r1) blocks of about ``cols`` output positions: several whole images
    when an image has fewer (``r0, r1`` then span all rows), else rows of one image."""
    per_img = _prod(out_sp)
    if per_img * 2 <= cols or out_sp[0] <= 1:
        # small images: 4x the budget, fewer (Python-level) slice copies
        step = max(1, 4 * cols // max(per_img, 1))
        for n0 in range(0, n, step):
            yield n0, min(n0 + step, n), 0, out_sp[0]
        return
    step = max(1, cols // max(per_img // out_sp[0], 1))
    for i in range(n):
        for r0 in range(0, out_sp[0], step):
            yield i, i + 1, r0, min(r0 + step, out_sp[0])


class _Source:
    """Zero padded blocks of ``data`` (N, C, *S) in a reused buffer (a full padded copy
    would stream through memory once more), channels first: one image as (C, *grid),
    several as (C, nb, *grid) or, for short rows (``last``), with the batch axis last,
    (C, *grid, nb), so that window slices copy runs of ``width * nb`` values."""

    def __init__(self, xp, data, p, last):
        self.xp, self.data, self.p, self.last = xp, data, p, last
        self.buf, self.key = None, None

    def get(self, n0, n1):
        xp, data, p = self.xp, self.data, self.p
        nb, nd = n1 - n0, data.ndim - 2
        spatial = tuple(range(2, nd + 2))
        block = data[n0] if nb == 1 else data[n0:n1].transpose(
            (1,) + (spatial + (0,) if self.last else (0,) + spatial))
        if not any(p) and not (self.last and nb > 1):
            return block
        if self.key == (n0, n1):
            return self.buf
        pads = _pads(p, nb, self.last)
        shape = block.shape[:1] + tuple(v + 2 * pp for v, pp in zip(block.shape[1:], pads))
        inner = tuple(slice(pp, pp + v) for v, pp in zip(block.shape[1:], pads))
        if self.buf is None or self.buf.shape != shape:
            self.buf = xp.zeros(shape, dtype=data.dtype)
        self.buf[(slice(None),) + inner] = block
        self.key = (n0, n1)
        return self.buf


def _pads(p, nb, last):
    if nb == 1:
        return tuple(p)
    return tuple(p) + (0,) if last else (0,) + tuple(p)


def _fill(cols, src, k, s, d, out_sp, r0, r1, mode):
    """cols (C, KK, [nb,] r1 - r0, *out_sp[1:][, nb]) <- each kernel offset's window
    slice of the padded block ``src`` (C, [nb,] *grid[, nb])."""
    sizes = (r1 - r0,) + tuple(out_sp[1:])
    starts = (r0,) + (0,) * (len(k) - 1)
    lead = (slice(None),) * (2 if mode == "first" else 1)
    tail = (slice(None),) if mode == "last" else ()
    for j, offs in enumerate(itertools.product(*[range(kk) for kk in k])):
        idx = lead + tuple(
            slice(o * dd + a * ss, o * dd + (a + m - 1) * ss + 1, ss)
            for o, dd, ss, a, m in zip(offs, d, s, starts, sizes)) + tail
        cols[:, j] = src[idx]


def _plan(data_shape, group, k):
    """(GEMM depth per group, output positions per block): the column buffer within
    ``_BLOCK_BYTES``, but each slice copy at least ``_MIN_COPY`` values (few input
    channels, e.g. an RGB stem: the Python-level copies would dominate)."""
    c = data_shape[1]
    cols = max(64, _BLOCK_BYTES // (4 * c * _prod(k)), _MIN_COPY // c)
    return (c // group) * _prod(k), cols


def _mode(blk, out_sp):
    """Column layout of a block: one image, several batch-first, or batch-last (rows
    shorter than ``_SHORT_ROW``, where batch-first slices would copy tiny runs)."""
    if blk[1] - blk[0] == 1:
        return "one"
    return "last" if out_sp[-1] < _SHORT_ROW else "first"


def _cols(xp, source, k, s, d, out_sp, blk, bufs):
    """The column block of ``blk`` (layout: :func:`_mode`)."""
    n0, n1, r0, r1 = blk
    src = source.get(n0, n1)
    mode = _mode(blk, out_sp)
    if all(v == 1 for v in k) and all(v == 1 for v in s) and mode == "one":
        # 1x1, stride 1: the image itself is the column block
        return src[(slice(None), None, slice(r0, r1))]
    nb = (n1 - n0,)
    shape = (src.shape[0], _prod(k)) + (nb if mode == "first" else ()) + (
        r1 - r0,) + tuple(out_sp[1:]) + (nb if mode == "last" else ())
    size = _prod(shape)
    if bufs.get("cols") is None or bufs["cols"].size < size:
        bufs["cols"] = xp.empty(size, dtype=src.dtype)
    cols = bufs["cols"][:size].reshape(shape)
    _fill(cols, src, k, s, d, out_sp, r0, r1, mode)
    return cols


def forward(xp, data, weight, group, k, s, d, p, out_sp, bias=None):
    """Convolution: (N, F, *out_sp), plus ``bias`` (F,) when given (added to each block
    while it is in cache, not in one more pass over the output)."""
    n = data.shape[0]
    nf = weight.shape[0]
    depth, cols_per = _plan(data.shape, group, k)
    w = weight.reshape(group, nf // group, depth)
    out = xp.empty((n, nf) + tuple(out_sp), dtype=data.dtype)
    flat = out.reshape(n, group, nf // group, -1)
    per_row = _prod(out_sp[1:])
    b = None if bias is None else bias.reshape(nf, 1)
    source, bufs = _Source(xp, data, p, out_sp[-1] < _SHORT_ROW), {}
    for blk in _blocks(n, tuple(out_sp), cols_per):
        n0, n1, r0, r1 = blk
        cols = _cols(xp, source, k, s, d, out_sp, blk, bufs).reshape(group, depth, -1)
        if n1 - n0 == 1:
            dst = flat[n0][:, :, r0 * per_row:r1 * per_row]
            _matmul(xp, w, cols, dst)
            dst = out[n0].reshape(nf, -1)[:, r0 * per_row:r1 * per_row]
        else:
            dst = out.reshape(n, nf, -1)[n0:n1]
            if _mode(blk, out_sp) == "first":
                dst[...] = _matmul(xp, w, cols, None).reshape(nf, n1 - n0, -1).swapaxes(0, 1)
            else:
                dst[...] = _matmul(xp, w, cols, None).reshape(nf, -1, n1 - n0).transpose(2, 0, 1)
        if b is not None:
            dst += b
    return out


def _matmul(xp, a, b, out):
    """Per-group ``a @ b`` (into ``out`` when given); 2-D when there is one group."""
    if a.shape[0] == 1:
        if out is None:
            return xp.dot(a[0], b[0])[None]
        return xp.matmul(a[0], b[0], out=out[0])
    return xp.matmul(a, b, out=out)


def data_grad_usable(s, d, p, k):
    """Stride 1 and 0 <= pad <= dilate * (kernel - 1): dX is a plain convolution."""
    return all(v == 1 for v in s) and all(0 <= pp <= dd * (kk - 1)
                                          for pp, dd, kk in zip(p, d, k))


def grad_data(xp, ograd, weight, data_shape, group, k, d, p):
    """d(conv)/d(data) of a stride-1 convolution: G convolved with the flipped
    weights, channels swapped per group, padded by dilate * (kernel - 1) - pad."""
    nf, cg = weight.shape[:2]
    nd = len(k)
    w = weight.reshape((group, nf // group, cg) + tuple(k)).swapaxes(1, 2)
    w = w[(Ellipsis,) + (slice(None, None, -1),) * nd]
    w = xp.ascontiguousarray(w).reshape((group * cg, nf // group) + tuple(k))
    pad = tuple(dd * (kk - 1) - pp for dd, kk, pp in zip(d, k, p))
    return forward(xp, ograd, w, group, k, (1,) * nd, d, pad, tuple(data_shape[2:]))


def grad_weight(xp, ograd, data, weight_shape, group, k, s, d, p):
    """d(conv)/d(weight): the sum over blocks of ``G_block @ cols_block^T``."""
    n, nf = ograd.shape[:2]
    out_sp = tuple(ograd.shape[2:])
    depth, cols_per = _plan(data.shape, group, k)
    dw = xp.zeros((group, nf // group, depth), dtype=ograd.dtype)
    part = xp.empty_like(dw)
    flat = ograd.reshape(n, group, nf // group, -1)
    per_row = _prod(out_sp[1:])
    source, bufs = _Source(xp, data, p, out_sp[-1] < _SHORT_ROW), {}
    for blk in _blocks(n, out_sp, cols_per):
        n0, n1, r0, r1 = blk
        cols = _cols(xp, source, k, s, d, out_sp, blk, bufs).reshape(group, depth, -1)
        if n1 - n0 == 1:
            g = flat[n0][:, :, r0 * per_row:r1 * per_row]
        else:
            order = (1, 2, 0, 3) if _mode(blk, out_sp) == "first" else (1, 2, 3, 0)
            g = flat[n0:n1].transpose(order).reshape(group, nf // group, -1)
        dw += _matmul(xp, g, cols.swapaxes(1, 2), part)
    return dw.reshape(weight_shape)
