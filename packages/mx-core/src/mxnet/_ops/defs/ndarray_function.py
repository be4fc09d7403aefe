"""Legacy NDArray functions (MXNet's ``src/ndarray/ndarray_function``): _onehot_encode
and fill_element_0index; like MXNet's, they have no gradient. (choose_element_0index is
an alias of ``pick``.)"""
from ...base import MXNetError
from ..registry import register


def _rows(lhs, rhs, op_name):
    if lhs.ndim != 2 or rhs.shape != (lhs.shape[0],):
        raise MXNetError(f"Operator {op_name}: expects a 2-D lhs and a 1-D index of its "
                         f"row count, got {lhs.shape} and {rhs.shape}")


@register("_onehot_encode", inputs=("lhs", "rhs"), differentiable=False,
          shape=lambda attrs, s: (s, [s[1]]))
def onehot_encode(xp, lhs, rhs):
    """One-hot rows of ``rhs``'s shape (n, depth) for the indices in ``lhs``."""
    _rows(rhs, lhs, "_onehot_encode")
    hot = lhs.astype("int64")[:, None] == xp.arange(rhs.shape[1])
    return hot.astype(rhs.dtype)


@register("fill_element_0index", inputs=("lhs", "mhs", "rhs"), differentiable=False,
          shape=lambda attrs, s: (s, [s[0]]))
def fill_element_0index(xp, lhs, mhs, rhs):
    """A copy of ``lhs`` with ``out[i, rhs[i]] = mhs[i]``."""
    _rows(lhs, rhs, "fill_element_0index")
    out = lhs.copy()
    out[xp.arange(lhs.shape[0]), rhs.astype("int64")] = mhs
    return out
