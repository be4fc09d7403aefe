"""khatri_rao (MXNet's ``contrib/krprod.cc``): column-wise Kronecker product."""
from ....base import MXNetError
from ...params import Int
from ...registry import register


def _krprod_shape(attrs, in_shapes):
    if any(s is None for s in in_shapes):
        return in_shapes, [None]
    rows = 1
    for s in in_shapes:
        rows *= s[0]
    return in_shapes, [(rows, in_shapes[0][-1])]


@register("khatri_rao", inputs=("args",), params=(Int("num_args"),), varargs="num_args",
          shape=_krprod_shape, differentiable=False)
def khatri_rao(xp, *args, num_args):
    """Column-wise Kronecker product of matrices (n_i, k) -> (prod n_i, k); the first
    matrix's rows vary slowest. Not differentiable in MXNet 1.9.1."""
    k = args[0].shape[-1]
    out = args[0]
    for a in args[1:]:
        if a.ndim != 2 or a.shape[1] != k:
            raise MXNetError(f"Operator khatri_rao: every input must be 2-D with {k} "
                             f"columns, got {a.shape}")
        out = (out[:, None, :] * a[None, :, :]).reshape(-1, k)
    return out
