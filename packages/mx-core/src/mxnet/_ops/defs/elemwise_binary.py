"""Binary elementwise operators: broadcast_*, elemwise_*, their _internal names.

Mirrors MXNet's ``elemwise_binary_op_basic.cc`` and ``elemwise_binary_broadcast_op_*``.
``broadcast_X`` broadcasts NumPy-style; ``elemwise_X`` (``_X``) needs equal shapes.
"""
from ..infer import broadcast, check_shape, errstate, same
from ..registry import register


def _sum_to(F, g, like):
    return F._internal._reduce_sum_like(g, like)


def _grads(fn):
    """Wrap ``fn(F, lhs, rhs, out, og) -> (glhs, grhs)`` into a registry gradient."""
    def grad(F, inputs, outputs, ograds):
        lhs, rhs = inputs
        gl, gr = fn(F, lhs, rhs, outputs[0], ograds[0])
        return (None if gl is None else _sum_to(F, gl, lhs),
                None if gr is None else _sum_to(F, gr, rhs))
    return grad


def _cmp(fn):
    def forward(xp, lhs, rhs):
        return fn(xp, lhs, rhs).astype(lhs.dtype)
    return forward


def _mod_grads(F, a, b, y, g):
    # d(a mod b)/da = 1, d/db = -floor(a / b); MXNet 1.9.1 compat: 0 for integer dtypes
    dtype = getattr(a, "dtype", "float32")
    if getattr(dtype, "__name__", str(dtype)).startswith(("int", "uint")):
        return F.zeros_like(a), F.zeros_like(b)
    return g, -g * F.floor(a / b)


def _zero_grads(F, inputs, outputs, ograds):
    return tuple(F.zeros_like(x) for x in inputs)


def _int_div(xp, lhs, rhs):
    if lhs.dtype.kind in "iub":
        with errstate(xp, divide="ignore", invalid="ignore"):
            return xp.trunc(lhs / rhs).astype(lhs.dtype)   # C++ integer division
    with errstate(xp, divide="ignore", invalid="ignore"):   # x/0 gives inf/nan silently
        return lhs / rhs


def _mod(xp, lhs, rhs):
    # NOTE: MXNet's mod follows the sign of the divisor, like NumPy's.
    with errstate(xp, divide="ignore", invalid="ignore"):
        return xp.mod(lhs, rhs)


# name: (forward, gradient, broadcast aliases, elemwise name and aliases)
TABLE = {
    "add": (lambda xp, a, b: a + b,
            _grads(lambda F, a, b, y, g: (g, g)),
            ("broadcast_plus",), ("elemwise_add", "_plus", "_add", "_Plus")),
    "sub": (lambda xp, a, b: a - b,
            _grads(lambda F, a, b, y, g: (g, -g)),
            ("broadcast_minus",), ("elemwise_sub", "_minus", "_sub", "_Minus")),
    "mul": (lambda xp, a, b: a * b,
            _grads(lambda F, a, b, y, g: (g * b, g * a)),
            (), ("elemwise_mul", "_mul", "_Mul")),
    "div": (_int_div,
            _grads(lambda F, a, b, y, g: (g / b, -g * a / (b * b))),
            (), ("elemwise_div", "_div", "_Div", "_scatter_elemwise_div")),
    "mod": (_mod,
            _grads(_mod_grads),
            (), ("_mod", "_Mod")),
    "power": (lambda xp, a, b: xp.power(a, b),
              _grads(lambda F, a, b, y, g: (g * b * a ** (b - 1), g * y * F.log(a))),
              (), ("_power", "_Power")),
    "maximum": (lambda xp, a, b: xp.maximum(a, b),
                _grads(lambda F, a, b, y, g: (g * (a >= b), g * (a < b))),
                (), ("_maximum", "_Maximum")),
    "minimum": (lambda xp, a, b: xp.minimum(a, b),
                _grads(lambda F, a, b, y, g: (g * (a <= b), g * (a > b))),
                (), ("_minimum", "_Minimum")),
    "hypot": (lambda xp, a, b: xp.hypot(a, b),
              _grads(lambda F, a, b, y, g: (g * a / y, g * b / y)),
              (), ("_hypot", "_Hypot")),
    "equal": (_cmp(lambda xp, a, b: a == b), _zero_grads, (), ("_equal", "_Equal")),
    "not_equal": (_cmp(lambda xp, a, b: a != b), _zero_grads, (), ("_not_equal", "_Not_Equal")),
    "greater": (_cmp(lambda xp, a, b: a > b), _zero_grads, (), ("_greater", "_Greater")),
    "greater_equal": (_cmp(lambda xp, a, b: a >= b), _zero_grads, (),
                      ("_greater_equal", "_Greater_Equal")),
    "lesser": (_cmp(lambda xp, a, b: a < b), _zero_grads, (), ("_lesser", "_Lesser")),
    "lesser_equal": (_cmp(lambda xp, a, b: a <= b), _zero_grads, (),
                     ("_lesser_equal", "_Lesser_Equal")),
    "logical_and": (_cmp(lambda xp, a, b: xp.logical_and(a, b)), _zero_grads, (),
                    ("_logical_and", "_Logical_And")),
    "logical_or": (_cmp(lambda xp, a, b: xp.logical_or(a, b)), _zero_grads, (),
                   ("_logical_or", "_Logical_Or")),
    "logical_xor": (_cmp(lambda xp, a, b: xp.logical_xor(a, b)), _zero_grads, (),
                    ("_logical_xor", "_Logical_Xor")),
}


def _same_shape(name):
    def rule(attrs, in_shapes):
        lhs, rhs = in_shapes
        check_shape(name, "rhs", lhs, rhs)
        return same(attrs, in_shapes)
    rule.elementwise = True
    return rule


def _declare(short, forward, gradient, b_aliases, e_names):
    bop = register(f"broadcast_{short}", inputs=("lhs", "rhs"), aliases=b_aliases,
                   shape=broadcast)(forward)
    bop.gradient(gradient)
    ename, *e_aliases = e_names
    eop = register(ename, inputs=("lhs", "rhs"), aliases=tuple(e_aliases),
                   shape=_same_shape(ename))(forward)
    eop.gradient(gradient)


for _short, _entry in TABLE.items():
    _declare(_short, *_entry)


@register("_reduce_sum_like", inputs=("data", "like"))
def _reduce_sum_like(xp, data, like):
    """Sum ``data`` over broadcast axes down to ``like``'s shape (broadcast gradients)."""
    if data.shape == like.shape:
        return data
    lead = data.ndim - like.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(like.shape) if s == 1 and data.shape[lead + i] != 1)
    out = data.sum(axis=axes, keepdims=True) if axes else data
    return out.reshape(like.shape)


@_reduce_sum_like.gradient
def _(F, inputs, outputs, ograds):       # d/d data = broadcast of the head gradient
    return F.broadcast_like(ograds[0], inputs[0]), None


@register("_grad_add", inputs=("lhs", "rhs"), shape=_same_shape("_grad_add"))
def grad_add(xp, lhs, rhs):
    """Adds gradients element-wise (``elemwise_add`` used for gradient accumulation)."""
    return lhs + rhs


@grad_add.gradient
def _(F, inputs, outputs, ograds):       # d/dlhs = d/drhs = 1
    return ograds[0], ograds[0]
