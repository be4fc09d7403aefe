"""Array-with-scalar operators (``_plus_scalar``, ``_rdiv_scalar``...).

Mirrors MXNet's ``elemwise_binary_scalar_op_*.cc``. The scalar is cast to the
array's dtype first, as MXNet does (``int32 array * 1.5`` multiplies by 1).
"""
import math

from ..infer import errstate, same
from ..params import Bool, Float
from ..registry import register

_PARAMS = (Float("scalar", 1.0, "Scalar input value"),
           Bool("is_int", True, "Indicate whether scalar input is int type"))


def _s(data, scalar):
    """The scalar in the array's dtype (a weak Python float keeps float dtypes)."""
    return scalar if data.dtype.kind == "f" else data.dtype.type(scalar)


def _declare(name, forward, gradient, aliases=()):
    op = register(name, inputs=("data",), params=_PARAMS, shape=same,
                  aliases=aliases)(forward)
    op.gradient(gradient)


def _unary_grad(fn):
    def grad(F, inputs, outputs, ograds, scalar, is_int):
        return (fn(F, inputs[0], outputs[0], ograds[0], scalar),)
    return grad


def _zero(F, inputs, outputs, ograds, scalar, is_int):
    return (F.zeros_like(inputs[0]),)


def _int_div(xp, a, b):
    if a.dtype.kind in "iub":
        with errstate(xp, divide="ignore", invalid="ignore"):
            return xp.trunc(a / b).astype(a.dtype)
    with errstate(xp, divide="ignore", invalid="ignore"):   # x/0 gives inf/nan silently
        return a / b


def _cmp(fn):
    return lambda xp, data, *, scalar, is_int: fn(xp, data, _s(data, scalar)).astype(
        data.dtype)


_declare("_plus_scalar", lambda xp, data, *, scalar, is_int: data + _s(data, scalar),
         _unary_grad(lambda F, x, y, g, s: g), ("_PlusScalar", "_scatter_plus_scalar"))
_declare("_minus_scalar", lambda xp, data, *, scalar, is_int: data - _s(data, scalar),
         _unary_grad(lambda F, x, y, g, s: g),
         ("_MinusScalar", "_scatter_minus_scalar"))
_declare("_rminus_scalar", lambda xp, data, *, scalar, is_int: _s(data, scalar) - data,
         _unary_grad(lambda F, x, y, g, s: -g), ("_RMinusScalar",))
_declare("_mul_scalar", lambda xp, data, *, scalar, is_int: data * _s(data, scalar),
         _unary_grad(lambda F, x, y, g, s: g * s), ("_MulScalar",))
_declare("_div_scalar",
         lambda xp, data, *, scalar, is_int: _int_div(xp, data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g / s), ("_DivScalar",))
_declare("_rdiv_scalar",
         lambda xp, data, *, scalar, is_int: _int_div(
             xp, xp.full_like(data, _s(data, scalar)), data),
         _unary_grad(lambda F, x, y, g, s: -g * y / x), ("_RDivScalar",))
_declare("_mod_scalar",
         lambda xp, data, *, scalar, is_int: xp.mod(data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g), ("_ModScalar",))
_declare("_rmod_scalar",
         lambda xp, data, *, scalar, is_int: xp.mod(_s(data, scalar), data),
         _unary_grad(lambda F, x, y, g, s: -g * F.floor(s / x)), ("_RModScalar",))
_declare("_power_scalar",
         lambda xp, data, *, scalar, is_int: xp.power(data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g * s * x ** (s - 1)), ("_PowerScalar",))
_declare("_rpower_scalar",
         lambda xp, data, *, scalar, is_int: xp.power(_s(data, scalar), data),
         _unary_grad(lambda F, x, y, g, s: g * y * math.log(s)),
         ("_RPowerScalar",))
_declare("_maximum_scalar",
         lambda xp, data, *, scalar, is_int: xp.maximum(data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g * (x >= s)), ("_MaximumScalar",))
_declare("_minimum_scalar",
         lambda xp, data, *, scalar, is_int: xp.minimum(data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g * (x <= s)), ("_MinimumScalar",))
_declare("_hypot_scalar",
         lambda xp, data, *, scalar, is_int: xp.hypot(data, _s(data, scalar)),
         _unary_grad(lambda F, x, y, g, s: g * x / y), ("_HypotScalar",))
_declare("_equal_scalar", _cmp(lambda xp, a, s: a == s), _zero, ("_EqualScalar",))
_declare("_not_equal_scalar", _cmp(lambda xp, a, s: a != s), _zero, ("_NotEqualScalar",))
_declare("_greater_scalar", _cmp(lambda xp, a, s: a > s), _zero, ("_GreaterScalar",))
_declare("_greater_equal_scalar", _cmp(lambda xp, a, s: a >= s), _zero,
         ("_GreaterEqualScalar",))
_declare("_lesser_scalar", _cmp(lambda xp, a, s: a < s), _zero, ("_LesserScalar",))
_declare("_lesser_equal_scalar", _cmp(lambda xp, a, s: a <= s), _zero,
         ("_LesserEqualScalar",))
_declare("_logical_and_scalar", _cmp(lambda xp, a, s: xp.logical_and(a, s)), _zero,
         ("_LogicalAndScalar",))
_declare("_logical_or_scalar", _cmp(lambda xp, a, s: xp.logical_or(a, s)), _zero,
         ("_LogicalOrScalar",))
_declare("_logical_xor_scalar", _cmp(lambda xp, a, s: xp.logical_xor(a, s)), _zero,
         ("_LogicalXorScalar",))


@register("smooth_l1", inputs=("data",), params=(Float("scalar", 1.0),), shape=same)
def smooth_l1(xp, data, *, scalar):
    """Smooth L1: 0.5 (s x)^2 where |x| < 1/s^2, else |x| - 0.5/s^2."""
    s2 = data.dtype.type(scalar * scalar)
    absx = xp.abs(data)
    return xp.where(absx < 1 / s2, 0.5 * s2 * data * data, absx - 0.5 / s2).astype(
        data.dtype)


@smooth_l1.gradient
def _(F, inputs, outputs, ograds, scalar):  # d/dx = s^2 x where |x| < 1/s^2, else sign(x)
    x, s2 = inputs[0], scalar * scalar
    return (ograds[0] * F.where(F.abs(x) < 1 / s2, x * s2, F.sign(x)),)
