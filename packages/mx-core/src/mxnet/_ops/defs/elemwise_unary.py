"""Unary elementwise math (``elemwise_unary_op_*.cc`` in MXNet).

Each gradient is written with operators, so it differentiates again
(second-order derivatives of elementwise math).
"""
import math

from ..infer import errstate, same
from ..params import Float
from ..registry import register
from . import _special

def _exp(xp, x):
    # MXNet 1.9.1 compat: libm's expf rounds correctly; NumPy's SIMD float32 exp is off
    # by one ulp (exp(1) = 2.718282 instead of 2.7182817), so go through float64
    if x.dtype == "float32" or x.dtype == "float16":
        return xp.exp(x.astype("float64")).astype(x.dtype)
    return xp.exp(x)


# name: (forward(xp, x), gradient(F, x, y, g) as d/dx times g, aliases)
TABLE = {
    "negative": (lambda xp, x: -x, lambda F, x, y, g: -g, ()),
    "abs": (lambda xp, x: xp.abs(x), lambda F, x, y, g: g * F.sign(x), ()),
    "sign": (lambda xp, x: xp.sign(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "reciprocal": (lambda xp, x: 1 / x, lambda F, x, y, g: -g * y * y, ()),
    "square": (lambda xp, x: x * x, lambda F, x, y, g: g * 2 * x, ()),
    "sqrt": (lambda xp, x: xp.sqrt(x), lambda F, x, y, g: g * 0.5 / y, ()),
    "rsqrt": (lambda xp, x: 1 / xp.sqrt(x), lambda F, x, y, g: g * -0.5 * y / x, ()),
    "cbrt": (lambda xp, x: xp.cbrt(x), lambda F, x, y, g: g / (3 * y * y), ()),
    "rcbrt": (lambda xp, x: 1 / xp.cbrt(x), lambda F, x, y, g: g * (-1 / 3) * y / x, ()),
    "exp": (_exp, lambda F, x, y, g: g * y, ()),
    "expm1": (lambda xp, x: xp.expm1(x), lambda F, x, y, g: g * (y + 1), ()),
    "log": (lambda xp, x: xp.log(x), lambda F, x, y, g: g / x, ()),
    "log2": (lambda xp, x: xp.log2(x), lambda F, x, y, g: g / (x * 0.6931471805599453), ()),
    "log10": (lambda xp, x: xp.log10(x),
              lambda F, x, y, g: g / (x * 2.302585092994046), ()),
    "log1p": (lambda xp, x: xp.log1p(x), lambda F, x, y, g: g / (x + 1), ()),
    "sin": (lambda xp, x: xp.sin(x), lambda F, x, y, g: g * F.cos(x), ()),
    "cos": (lambda xp, x: xp.cos(x), lambda F, x, y, g: -g * F.sin(x), ()),
    "tan": (lambda xp, x: xp.tan(x), lambda F, x, y, g: g * (y * y + 1), ()),
    "arcsin": (lambda xp, x: xp.arcsin(x),
               lambda F, x, y, g: g * F.rsqrt(1 - x * x), ()),
    "arccos": (lambda xp, x: xp.arccos(x),
               lambda F, x, y, g: -g * F.rsqrt(1 - x * x), ()),
    "arctan": (lambda xp, x: xp.arctan(x), lambda F, x, y, g: g / (x * x + 1), ()),
    "sinh": (lambda xp, x: xp.sinh(x), lambda F, x, y, g: g * F.cosh(x), ()),
    "cosh": (lambda xp, x: xp.cosh(x), lambda F, x, y, g: g * F.sinh(x), ()),
    "tanh": (lambda xp, x: xp.tanh(x), lambda F, x, y, g: g * (1 - y * y), ()),
    "arcsinh": (lambda xp, x: xp.arcsinh(x),
                lambda F, x, y, g: g * _flipped_slope(F, F.rsqrt(x * x + 1)), ()),
    "arccosh": (lambda xp, x: xp.arccosh(x),
                lambda F, x, y, g: g * _flipped_slope(F, F.rsqrt(x * x - 1)), ()),
    "arctanh": (lambda xp, x: xp.arctanh(x), lambda F, x, y, g: g / (1 - x * x), ()),
    # the zeros_like(x) term keeps x in the gradient's graph (MXNet's backward op takes x),
    # so a second-order gradient is zeros rather than "unreachable"
    "degrees": (lambda xp, x: xp.degrees(x),
                lambda F, x, y, g: g * 57.29577951308232 + F.zeros_like(x), ()),
    "radians": (lambda xp, x: xp.radians(x),
                lambda F, x, y, g: g * 0.017453292519943295 + F.zeros_like(x), ()),
    "sigmoid": (lambda xp, x: _sigmoid(xp, x), lambda F, x, y, g: g * y * (1 - y), ()),
    # MXNet 1.9.1 compat: relu (not Activation) passes NaN through to the gradient
    "relu": (lambda xp, x: xp.maximum(x, 0),
             lambda F, x, y, g: g * F.where(x == x, x > 0, x), ()),
    "softsign": (lambda xp, x: x / (1 + xp.abs(x)),
                 lambda F, x, y, g: g / F.square(1 + F.abs(x)), ()),
    "floor": (lambda xp, x: xp.floor(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "ceil": (lambda xp, x: xp.ceil(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "round": (lambda xp, x: _round_half_away(xp, x), lambda F, x, y, g: F.zeros_like(x),
              ()),
    "rint": (lambda xp, x: xp.rint(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "fix": (lambda xp, x: xp.fix(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "trunc": (lambda xp, x: xp.trunc(x), lambda F, x, y, g: F.zeros_like(x), ()),
    "logical_not": (lambda xp, x: xp.logical_not(x).astype(x.dtype),
                    lambda F, x, y, g: F.zeros_like(x), ()),
    "_copy": (lambda xp, x: x.copy(), lambda F, x, y, g: g, ("identity",)),
    "erf": (lambda xp, x: _special.erf(xp, x).astype(x.dtype),
            lambda F, x, y, g: g * (2 / math.sqrt(math.pi)) * F.exp(-F.square(x)), ()),
    "erfinv": (lambda xp, x: _special.erfinv(xp, x).astype(x.dtype),
               lambda F, x, y, g: g * (math.sqrt(math.pi) / 2) * F.exp(F.square(y)), ()),
    "gamma": (lambda xp, x: _special.gamma(xp, x).astype(x.dtype),
              lambda F, x, y, g: g * y * F._internal._digamma(x), ()),
    "gammaln": (lambda xp, x: _special.gammaln(xp, x).astype(x.dtype),
                lambda F, x, y, g: g * F._internal._digamma(x), ()),
    "_digamma": (lambda xp, x: _narrow(xp, _special.digamma(xp, x), x.dtype),
                 lambda F, x, y, g: g * F._internal._trigamma(x), ()),
}


def _flipped_slope(F, r):
    """Value r, derivative -dr/dx.

    MXNet 1.9.1 compat: the second derivatives of arcsinh and arccosh carry the wrong
    sign in MXNet (``+x / (x^2 +- 1)^1.5``), and its own tests assert that value.
    """
    return 2 * F.BlockGrad(r) - r


def _narrow(xp, y, dtype):
    """Cast a float64 result down; poles (DBL_MAX) become inf in float32, as in C."""
    with errstate(xp, over="ignore"):
        return y.astype(dtype)


def _sigmoid(xp, x):
    # NOTE: 1/(1+exp(-x)) overflows exp for very negative x only to inf, giving 0: fine.
    with errstate(xp, over="ignore"):
        return 1 / (1 + xp.exp(-x))


def _round_half_away(xp, x):
    """MXNet's round: halves away from zero (NumPy rounds half to even)."""
    return xp.sign(x) * xp.floor(xp.abs(x) + 0.5)


def _declare(name, forward, grad, aliases):
    def fwd(xp, data):
        return forward(xp, data)
    fwd.__doc__ = f"Computes {name} element-wise."
    op = register(name, inputs=("data",), shape=same, aliases=aliases)(fwd)

    @op.gradient
    def _(F, inputs, outputs, ograds):
        return (grad(F, inputs[0], outputs[0], ograds[0]),)


for _name, (_fwd, _grad, _aliases) in TABLE.items():
    _declare(_name, _fwd, _grad, _aliases)


@register("BlockGrad", inputs=("data",), shape=same, aliases=("stop_gradient",))
def block_grad(xp, data):
    """Stops gradient computation: the output equals the input, its gradient is zero."""
    return data


@block_grad.gradient
def _(F, inputs, outputs, ograds):        # d/dx = 0
    return (F.zeros_like(inputs[0]),)


@register("zeros_like", inputs=("data",), shape=same)
def zeros_like(xp, data):
    """An array of zeros with the shape and dtype of the input."""
    return xp.zeros_like(data)


@register("ones_like", inputs=("data",), shape=same)
def ones_like(xp, data):
    """An array of ones with the shape and dtype of the input."""
    return xp.ones_like(data)


@zeros_like.gradient
def _(F, inputs, outputs, ograds):
    return (F.zeros_like(inputs[0]),)


ones_like.gradient(zeros_like.grad_fn)


@register("_trigamma", inputs=("data",), shape=same, differentiable=False)
def trigamma(xp, data):
    """psi'(x), the derivative of ``_digamma`` (second derivative of ``gammaln``)."""
    return _special.trigamma(xp, data).astype(data.dtype)


@register("hard_sigmoid", inputs=("data",), shape=same,
          params=(Float("alpha", 0.2), Float("beta", 0.5)))
def hard_sigmoid(xp, data, *, alpha, beta):
    """Computes hard sigmoid max(0, min(1, alpha * x + beta)) element-wise."""
    return xp.clip(data * data.dtype.type(alpha) + data.dtype.type(beta), 0, 1)


@hard_sigmoid.gradient
def _(F, inputs, outputs, ograds, alpha, beta):  # d/dx = alpha inside (0, 1), else 0
    y = outputs[0]
    return (ograds[0] * alpha * (y > 0) * (y < 1),)


@register("make_loss", inputs=("data",), shape=same)
def make_loss(xp, data):
    """Makes a terminal loss: the output equals the input; its gradient is ones."""
    return data.copy()


@make_loss.gradient
def _(F, inputs, outputs, ograds):     # MXNet 1.9.1 compat: head gradient ignored
    return (F.ones_like(inputs[0]),)


def _int64_shape(n_of):
    def rule(attrs, in_shapes):
        src = in_shapes[0]
        return in_shapes, [None if src is None else n_of(src)]
    return rule


def _int64(attrs, in_dtypes):
    return in_dtypes, ["int64"]


@register("shape_array", inputs=("data",), shape=_int64_shape(lambda s: (len(s),)),
          dtype=_int64)
def shape_array(xp, data):
    """Returns a 1-D int64 array holding the shape of the input."""
    return xp.asarray(data.shape, dtype="int64").reshape(data.ndim)


def zero_grad(F, inputs, outputs, ograds, **attrs):
    """Gradient of operators whose output does not vary with the inputs: zeros."""
    return tuple(F.zeros_like(x) for x in inputs)


shape_array.gradient(zero_grad)


@register("size_array", inputs=("data",), shape=_int64_shape(lambda s: (1,)),
          dtype=_int64)
def size_array(xp, data):
    """Returns a 1-element int64 array holding the size of the input."""
    return xp.asarray([data.size], dtype="int64")


size_array.gradient(zero_grad)


@register("_identity_with_attr_like_rhs", inputs=("lhs", "rhs"), shape=same)
def identity_like_rhs(xp, lhs, rhs):
    """Returns ``lhs`` (``rhs`` only lends its attributes to graph passes)."""
    return lhs.copy()


@identity_like_rhs.gradient
def _(F, inputs, outputs, ograds):       # d/dlhs = 1; rhs gets zeros
    return ograds[0], F.zeros_like(inputs[1])
