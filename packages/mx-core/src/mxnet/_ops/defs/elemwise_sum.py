"""Sum of any number of arrays (MXNet's ``elemwise_sum.cc``): add_n / ElementWiseSum."""
from ..infer import check_shape
from ..params import Int
from ..registry import register


def _sum_shape(attrs, in_shapes):
    known = next((s for s in in_shapes if s is not None), None)
    for i, s in enumerate(in_shapes):
        check_shape("add_n", f"args[{i}]", known, s)
    return [known] * len(in_shapes), [known]


@register("add_n", inputs=("args",), params=(Int("num_args"),), varargs="num_args",
          aliases=("ElementWiseSum",), shape=_sum_shape)
def add_n(xp, *args, num_args):
    """Adds all input arguments element-wise (all of one shape)."""
    out = args[0].copy()
    for a in args[1:]:
        out += a
    return out


@add_n.gradient
def _(F, inputs, outputs, ograds, num_args):    # d/d args[i] = 1
    return tuple(ograds[0] for _ in inputs)
