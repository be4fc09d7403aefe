"""Shared pieces of the normalization operators (LayerNorm, GroupNorm, InstanceNorm)."""


def normalize(xp, x, axes, eps):
    """(xhat, mean, std) of ``x`` over ``axes`` (kept as size-1 axes)."""
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    std = xp.sqrt((centered * centered).mean(axis=axes, keepdims=True) + eps)
    return centered / std, mean, std


def grad_normalized(ghat, xhat, std, axes):
    """d/dx of xhat = (x - mean) / std given ghat = dL/dxhat."""
    m1 = ghat.mean(axis=axes, keepdims=True)
    m2 = (ghat * xhat).mean(axis=axes, keepdims=True)
    return (ghat - m1 - xhat * m2) / std
