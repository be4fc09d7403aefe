"""Shared pieces of the normalization operators (LayerNorm, GroupNorm, InstanceNorm).

Both helpers reuse their temporaries in place: the same operations in the same order
as the plain expressions in the comments, with fewer full-size arrays."""


def normalize(xp, x, axes, eps):
    """(xhat, mean, std) of ``x`` over ``axes`` (kept as size-1 axes)."""
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    # std = sqrt(mean(centered ** 2) + eps); xhat = centered / std
    std = xp.sqrt((centered * centered).mean(axis=axes, keepdims=True) + eps)
    return xp.divide(centered, std, out=centered), mean, std


def grad_normalized(ghat, xhat, std, axes):
    """d/dx of xhat = (x - mean) / std given ghat = dL/dxhat:
    ``(ghat - mean(ghat) - xhat * mean(ghat * xhat)) / std``."""
    m1 = ghat.mean(axis=axes, keepdims=True)
    m2 = (ghat * xhat).mean(axis=axes, keepdims=True)
    out = ghat - m1
    out = _isub(out, xhat * m2)
    return out / std if out.dtype != std.dtype else _idiv(out, std)


def _isub(a, b):
    """``a - b``, in place when that gives the same array (shape and dtype)."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return a - b
    a -= b
    return a


def _idiv(a, b):
    a /= b      # b is a reduction (size-1 axes): a keeps its shape
    return a
