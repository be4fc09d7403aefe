"""Stride-1 convolution as shifted GEMMs: no im2col column matrix at all.

With the zero padded input laid out as a contiguous (C, N * prod(padded)) matrix X, the
output on the padded grid is ``Y[:, q] = sum_j W_j @ X[:, q + off_j]``, ``off_j`` being
kernel offset j flattened on the padded grid (dilation included): one GEMM per kernel
offset on a column-offset *view* of X (BLAS reads it in place), accumulated, then the
valid corner of each padded image is cropped out. The data gradient accumulates
``W_j^T @ G`` into shifted slices of a padded dX, the weight gradient is
``dW_j = G @ X[:, off_j:]^T`` (G placed on the padded grid, zeros elsewhere).
It computes ``prod(padded) / prod(out)`` times the useful work and runs one GEMM of
depth C per offset, so :func:`usable` keeps it for large channel counts and small
borders (ResNet's 3x3 layers); im2col is faster elsewhere (LeNet).
"""
import itertools

# border waste (padded grid / output positions) and channels per group it pays off at
_MAX_WASTE = 1.35
_MIN_CHANNELS = 16


def _chunk(rows):
    """Columns per GEMM block: the per-offset partial result (rows x columns) then stays
    in cache for the accumulation instead of streaming a full-size temporary."""
    return max(512, (1 << 18) // max(rows, 1))


def _prod(vals):
    out = 1
    for v in vals:
        out *= v
    return out


def usable(data_shape, group, k, s, d, p, out_sp):
    """Whether the shifted formulation should run this convolution."""
    if any(v != 1 for v in s) or data_shape[1] // group < _MIN_CHANNELS:
        return False
    grid = [n + 2 * pp for n, pp in zip(data_shape[2:], p)]
    return _prod(grid) <= _MAX_WASTE * _prod(out_sp)


def _padded(xp, x, p, grid):
    """(C, N, *grid) zero padded, channel-major copy of (N, C, *S) ``x``."""
    buf = xp.zeros((x.shape[1], x.shape[0]) + tuple(grid), dtype=x.dtype)
    inner = tuple(slice(pp, pp + n) for pp, n in zip(p, x.shape[2:]))
    buf[(slice(None), slice(None)) + inner] = x.swapaxes(0, 1)
    return buf


def _offsets(k, d, grid):
    """Flat offset of each kernel offset (C order) on the padded grid."""
    strides = [_prod(grid[i + 1:]) for i in range(len(grid))]
    return [sum(o * dd * st for o, dd, st in zip(offs, d, strides))
            for offs in itertools.product(*[range(kk) for kk in k])]


def _taps(xp, weight, group):
    """(KK, group, F/g, C/g) contiguous per-offset weight matrices."""
    nf, cg = weight.shape[:2]
    w = weight.reshape(group, nf // group, cg, -1)
    return xp.ascontiguousarray(w.transpose(3, 0, 1, 2))


def _matmul(xp, a, b, out):
    """Per-group ``a @ b`` into ``out``; 2-D when there is one group (BLAS in place)."""
    if a.shape[0] == 1:
        return xp.matmul(a[0], b[0], out=out[0])
    return xp.matmul(a, b, out=out)


def _crop(y, lead, out_sp):
    """View of the valid corner ``out_sp`` of each padded grid (``lead`` leading axes)."""
    return y[(slice(None),) * lead + tuple(slice(0, n) for n in out_sp)]


def forward(xp, data, weight, group, k, d, p, out_sp):
    """Convolution without bias (stride 1): (N, F, *out_sp)."""
    n, c = data.shape[:2]
    nf = weight.shape[0]
    grid = tuple(sz + 2 * pp for sz, pp in zip(data.shape[2:], p))
    x = _padded(xp, data, p, grid).reshape(group, c // group, -1)
    size = x.shape[2]
    offs = _offsets(k, d, grid)
    span = size - max(offs)
    taps = _taps(xp, weight, group)
    # zeros: the columns past ``span`` are never valid outputs but stay defined
    y = xp.zeros((group, nf // group, size), dtype=data.dtype)
    tmp = xp.empty((group, nf // group, min(span, _chunk(nf))), dtype=data.dtype)
    for lo in range(0, span, tmp.shape[2]):
        hi = min(lo + tmp.shape[2], span)
        acc = y[:, :, lo:hi]
        for j, off in enumerate(offs):
            if j == 0:
                _matmul(xp, taps[j], x[:, :, off + lo:off + hi], acc)
            else:
                acc += _matmul(xp, taps[j], x[:, :, off + lo:off + hi], tmp[:, :, :hi - lo])
    y = _crop(y.reshape((nf, n) + grid), 2, out_sp)
    return xp.ascontiguousarray(y.swapaxes(0, 1))


def _ograd_grid(xp, ograd, grid, group):
    """(g, F/g, N * prod(grid)) head gradient on the padded grid, zeros outside."""
    n, nf = ograd.shape[:2]
    buf = xp.zeros((nf, n) + tuple(grid), dtype=ograd.dtype)
    buf[(slice(None), slice(None)) + tuple(slice(0, o) for o in ograd.shape[2:])] = \
        ograd.swapaxes(0, 1)
    return buf.reshape(group, nf // group, -1)


def grad_data(xp, ograd, weight, data_shape, group, k, d, p):
    """d(conv)/d(data) (stride 1) for a head gradient (N, F, *out)."""
    n, c = data_shape[:2]
    grid = tuple(sz + 2 * pp for sz, pp in zip(data_shape[2:], p))
    offs = _offsets(k, d, grid)
    g = _ograd_grid(xp, ograd, grid, group)
    size = g.shape[2]
    span = size - max(offs)
    g = g[:, :, :span]
    taps = _taps(xp, weight, group).swapaxes(2, 3)           # W_j^T: (KK, g, C/g, F/g)
    dx = xp.zeros((group, c // group, size), dtype=ograd.dtype)
    tmp = xp.empty((group, c // group, min(span, _chunk(c))), dtype=ograd.dtype)
    for lo in range(0, span, tmp.shape[2]):
        hi = min(lo + tmp.shape[2], span)
        for j, off in enumerate(offs):
            dx[:, :, off + lo:off + hi] += _matmul(xp, taps[j], g[:, :, lo:hi],
                                                   tmp[:, :, :hi - lo])
    dx = dx.reshape((c, n) + grid)
    dx = dx[(slice(None), slice(None)) + tuple(slice(pp, pp + sz)
                                               for pp, sz in zip(p, data_shape[2:]))]
    return xp.ascontiguousarray(dx.swapaxes(0, 1))


def grad_weight(xp, ograd, data, weight_shape, group, k, d, p):
    """d(conv)/d(weight) (stride 1): ``dW_j = G @ X[:, off_j:]^T`` per kernel offset."""
    c = data.shape[1]
    nf = weight_shape[0]
    grid = tuple(sz + 2 * pp for sz, pp in zip(data.shape[2:], p))
    x = _padded(xp, data, p, grid).reshape(group, c // group, -1)
    offs = _offsets(k, d, grid)
    span = x.shape[2] - max(offs)
    g = _ograd_grid(xp, ograd, grid, group)[:, :, :span]
    dw = xp.empty((len(offs), group, nf // group, c // group), dtype=ograd.dtype)
    for j, off in enumerate(offs):
        _matmul(xp, g, x[:, :, off:off + span].swapaxes(1, 2), dw[j])
    # (KK, g, F/g, C/g) -> (F, C/g, *k)
    return xp.ascontiguousarray(dw.transpose(1, 2, 3, 0)).reshape(weight_shape)
