"""Legacy NDArray functions (MXNet's ``src/ndarray/ndarray_function``):
_onehot_encode, choose_element_0index, fill_element_0index. Only choose_element_0index
has a gradient, as in MXNet."""
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


@register("choose_element_0index", inputs=("lhs", "rhs"),
          shape=lambda attrs, s: (s, [s[1]]))
def choose_element_0index(xp, lhs, rhs):
    """``out[i] = lhs[i, rhs[i]]``."""
    _rows(lhs, rhs, "choose_element_0index")
    return lhs[xp.arange(lhs.shape[0]), rhs.astype("int64")]


@choose_element_0index.gradient
def _(F, inputs, outputs, ograds):     # d/dlhs = g at the chosen column of each row
    lhs, rhs = inputs
    hot = F.one_hot(rhs, depth=lhs.shape[1], dtype=lhs.dtype)
    return hot * F.reshape(ograds[0], shape=(-1, 1)), None


@register("fill_element_0index", inputs=("lhs", "mhs", "rhs"), differentiable=False,
          shape=lambda attrs, s: (s, [s[0]]))
def fill_element_0index(xp, lhs, mhs, rhs):
    """A copy of ``lhs`` with ``out[i, rhs[i]] = mhs[i]``."""
    _rows(lhs, rhs, "fill_element_0index")
    out = lhs.copy()
    out[xp.arange(lhs.shape[0]), rhs.astype("int64")] = mhs
    return out
