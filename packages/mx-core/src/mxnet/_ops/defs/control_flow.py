"""where (MXNet's ``control_flow_op.cc``)."""
from ...base import MXNetError
from ..infer import check_shape
from ..registry import register


def _where_shape(attrs, in_shapes):
    cond, x, y = in_shapes
    check_shape("where", "y", x, y)
    known = x or y
    if cond is not None and known is not None and tuple(cond) != tuple(known) and \
            (len(cond) != 1 or cond[0] != known[0]):
        raise MXNetError(f"Operator where: condition of shape {tuple(cond)} must have "
                         f"the shape of x {tuple(known)} or be 1-D of length {known[0]}")
    return [cond, known, known], [known]


def _condition(xp, condition, x):
    """The condition as booleans broadcastable to x (a 1-D one selects rows)."""
    cond = condition != 0
    if cond.shape != x.shape:
        _where_shape({}, [condition.shape, x.shape, x.shape])
        cond = cond.reshape(cond.shape + (1,) * (x.ndim - 1))
    return cond


@register("where", inputs=("condition", "x", "y"), shape=_where_shape)
def where(xp, condition, x, y):
    """Takes elements of ``x`` where ``condition`` is non-zero, else of ``y``; a 1-D
    condition selects whole rows (along the first axis)."""
    return xp.where(_condition(xp, condition, x), x, y)


@where.gradient
def _(F, inputs, outputs, ograds):   # d/dx = g where the condition holds, d/dy = elsewhere
    cond, x, y = inputs
    zeros = F.zeros_like(ograds[0])
    return (F.zeros_like(cond), F.where(cond, ograds[0], zeros),
            F.where(cond, zeros, ograds[0]))
