"""Small elementwise contrib operators: isnan/isinf/isfinite (``nn/mkldnn``-free
``contrib/nnz``-style checks), quadratic (``quadratic_op.cc``), gradientmultiplier
(``gradient_multiplier_op.cc``), round_ste/sign_ste (``stes_op.cc``) and div_sqrt_dim
(``transformer.cc``).
"""
import math

from ...infer import same
from ...params import Bool, Float
from ...registry import register
from ..elemwise_unary import zero_grad


def _check(name, fn):
    def forward(xp, data):
        return fn(xp, data).astype(data.dtype)
    forward.__doc__ = f"1 where the element is {name[3:]}, else 0 (in the input's dtype)."
    op = register(f"_contrib_{name}", inputs=("data",), shape=same)(forward)
    op.gradient(zero_grad)      # piecewise constant: zero gradient, as in MXNet


_check("isnan", lambda xp, x: xp.isnan(x))
_check("isinf", lambda xp, x: xp.isinf(x))
_check("isfinite", lambda xp, x: xp.isfinite(x))


@register("_contrib_quadratic", inputs=("data",), shape=same,
          params=(Float("a", 0.0), Float("b", 0.0), Float("c", 0.0)))
def quadratic(xp, data, *, a, b, c):
    """Computes ``a * x^2 + b * x + c`` element-wise."""
    t = data.dtype.type
    return t(a) * data * data + t(b) * data + t(c)


@quadratic.gradient
def _(F, inputs, outputs, ograds, a, b, c):     # d/dx = 2 a x + b
    return (ograds[0] * (inputs[0] * (2 * a) + b),)


@register("_contrib_gradientmultiplier", inputs=("data",), shape=same,
          params=(Float("scalar", 0.0), Bool("is_int", True)))
def gradientmultiplier(xp, data, *, scalar, is_int):
    """Identity in the forward pass; multiplies the gradient by ``scalar``."""
    return data.copy()


@gradientmultiplier.gradient
def _(F, inputs, outputs, ograds, scalar, is_int):     # d/dx = scalar
    return (ograds[0] * scalar,)


def _ste(name, fn, doc):
    def forward(xp, data):
        return fn(xp, data)
    forward.__doc__ = doc
    op = register(f"_contrib_{name}", inputs=("data",), shape=same)(forward)

    @op.gradient
    def _(F, inputs, outputs, ograds):     # straight-through: d/dx = 1
        return (ograds[0],)


_ste("round_ste", lambda xp, data: xp.sign(data) * xp.floor(xp.abs(data) + 0.5),
     "Rounds half away from zero; the gradient passes straight through.")
_ste("sign_ste", lambda xp, data: xp.sign(data),
     "Sign of each element; the gradient passes straight through.")


@register("_contrib_div_sqrt_dim", inputs=("data",), shape=same)
def div_sqrt_dim(xp, data):
    """Divides the input by the square root of its last dimension."""
    return data / data.dtype.type(math.sqrt(data.shape[-1]))


@div_sqrt_dim.gradient
def _(F, inputs, outputs, ograds):     # d/dx = 1 / sqrt(d)
    return (ograds[0] / math.sqrt(inputs[0].shape[-1]),)
