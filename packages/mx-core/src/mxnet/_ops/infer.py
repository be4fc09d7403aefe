"""Shared shape and dtype rules.

A rule is ``rule(attrs, in_shapes) -> (in_shapes, out_shapes)``: ``None`` marks an
unknown shape; a rule fills what it can (in both directions where MXNet does) and
raises :class:`MXNetError` naming the operator, the argument and both shapes on a
mismatch. Rules never compute data.
"""
from ..base import MXNetError

__all__ = ["same", "unknown_dim", "merge_shapes", "broadcast", "reduce_axes", "dtype_same",
           "normalize_axis", "check_shape", "broadcast_shapes", "reshape_target"]


def unknown_dim(d):
    """A dimension not inferred yet: -1, or 0 outside numpy shape semantics (MXNet's
    legacy "unknown")."""
    if d < 0:
        return True
    from ..ndarray.ndarray import _NP_SHAPE
    return d == 0 and not _NP_SHAPE[0]


def merge_shapes(a, b):
    """``a`` with its unknown dimensions filled from ``b`` (same rank), else ``a``."""
    if a is None:
        return None if b is None else tuple(b)
    if b is None or len(a) != len(b):
        return tuple(a)
    return tuple(y if unknown_dim(x) and not unknown_dim(y) else x for x, y in zip(a, b))


def _compatible(a, b):
    return len(a) == len(b) and all(x == y or unknown_dim(x) or unknown_dim(y)
                                    for x, y in zip(a, b))


def check_shape(op_name, arg_name, expected, actual):
    if expected is not None and actual is not None and not _compatible(expected, actual):
        raise MXNetError(f"Operator {op_name}: shape inconsistent for {arg_name}: "
                         f"expected {tuple(expected)}, got {tuple(actual)}")


def same(attrs, in_shapes, n_out=1):
    """Every input and output has one shape (elementwise operators)."""
    known = None
    for s in in_shapes:
        known = merge_shapes(known, s)      # partial shapes complete each other
    return [known] * len(in_shapes), [known] * n_out


same.elementwise = True      # the symbolic engine may also infer inputs from the output


def broadcast_shapes(a, b, op_name="broadcast"):
    """NumPy broadcasting of two shapes; MXNet's error on a mismatch."""
    ndim = max(len(a), len(b))
    a = (1,) * (ndim - len(a)) + tuple(a)
    b = (1,) * (ndim - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise MXNetError(f"Operator {op_name}: operands could not be broadcast "
                             f"together with shapes {a} {b}")
    return tuple(out)


def broadcast(attrs, in_shapes):
    lhs, rhs = in_shapes
    if lhs is None or rhs is None:
        return in_shapes, [None]
    return in_shapes, [broadcast_shapes(lhs, rhs)]


def normalize_axis(axis, ndim, op_name="?"):
    if not -ndim <= axis < max(ndim, 1):
        raise MXNetError(f"Operator {op_name}: axis {axis} is out of range for an array "
                         f"of {ndim} dimensions")
    return axis % ndim if ndim else 0


def reduce_axes(shape, axis, keepdims, exclude, op_name="reduce"):
    """(axes reduced, output shape) with MXNet's rules: a full reduction is ``(1,)``."""
    ndim = len(shape)
    if axis is None or axis == ():
        axes = tuple(range(ndim))
        if exclude:
            axes = ()
    else:
        axis = (axis,) if isinstance(axis, int) else tuple(axis)
        axes = tuple(sorted({normalize_axis(a, ndim, op_name) for a in axis}))
        if exclude:
            axes = tuple(i for i in range(ndim) if i not in axes)
    if keepdims:
        out = tuple(1 if i in axes else s for i, s in enumerate(shape))
    else:
        out = tuple(s for i, s in enumerate(shape) if i not in axes)
        if not out:
            out = (1,)   # MXNet 1.9.1 compat: a full reduction returns shape (1,)
    return axes, out


def dtype_same(attrs, in_dtypes, n_out=1):
    known = next((d for d in in_dtypes if d is not None), None)
    return [known if d is None else d for d in in_dtypes], [known] * n_out


def reshape_target(src, shape, reverse=False, op_name="Reshape"):
    """Resolve MXNet's reshape codes (0, -1, -2, -3, -4) against ``src``."""
    src = tuple(src)
    if reverse:
        res = reshape_target(src[::-1], _reverse_codes(shape), False, op_name)
        return res[::-1]
    out, infer_at, i, k = [], None, 0, 0
    shape = tuple(shape)
    while k < len(shape):
        code = shape[k]
        if code == 0:
            out.append(src[i]); i += 1
        elif code == -1:
            if infer_at is not None:
                raise MXNetError(f"Operator {op_name}: only one -1 is allowed in {shape}")
            infer_at = len(out); out.append(1); i += 1
        elif code == -2:
            out.extend(src[i:]); i = len(src)
        elif code == -3:
            out.append(src[i] * src[i + 1]); i += 2
        elif code == -4:
            if k + 2 >= len(shape):
                raise MXNetError(f"Operator {op_name}: -4 in {shape} needs the two "
                                 "dimensions to split into after it")
            d1, d2 = shape[k + 1], shape[k + 2]
            whole = src[i]
            if d1 == -1:
                d1 = whole // d2
            elif d2 == -1:
                d2 = whole // d1
            if d1 * d2 != whole:
                raise MXNetError(f"Operator {op_name}: cannot split dimension {whole} "
                                 f"into ({d1}, {d2})")
            out += [d1, d2]; i += 1; k += 2
        else:
            out.append(code); i += 1
        k += 1
    total = 1
    for s in src:
        total *= s
    if infer_at is not None:
        rest = 1
        for j, s in enumerate(out):
            if j != infer_at:
                rest *= s
        out[infer_at] = total // rest if rest else 0
    known = 1
    for s in out:
        known *= s
    if known != total:
        raise MXNetError(f"Operator {op_name}: cannot reshape array of shape {src} "
                         f"into shape {shape} (target {tuple(out)})")
    return tuple(out)


def _reverse_codes(shape):
    """MXNet 1.9.1 compat: ``reverse`` reverses the code list as a whole, so a -4 reads
    the two codes that preceded it in the original order (``(16, 4, -4)``)."""
    return tuple(shape)[::-1]


def errstate(xp, **kwargs):
    """``xp.errstate(**kwargs)`` where the array namespace has it (NumPy); CuPy raises no
    floating-point warnings and has none, so there it is a no-op scope."""
    scope = getattr(xp, "errstate", None)
    if scope is None:
        import contextlib
        return contextlib.nullcontext()
    return scope(**kwargs)
