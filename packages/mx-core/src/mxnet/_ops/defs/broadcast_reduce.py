"""Reductions and broadcasting (MXNet's ``broadcast_reduce_op*.cc``)."""
from ...base import MXNetError
from ..infer import normalize_axis, reduce_axes
from ..params import Bool, Enum, Int, Optional, Shape
from ..registry import register

_REDUCE_PARAMS = (Optional(Shape("axis", None)), Bool("keepdims", False),
                  Bool("exclude", False))


def _reduce_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [reduce_axes(src, attrs["axis"], attrs["keepdims"],
                                   attrs["exclude"])[1]]


def _reducer(name, compute, aliases=()):
    def forward(xp, data, *, axis, keepdims, exclude):
        axes, shape = reduce_axes(data.shape, axis, keepdims, exclude, name)
        return compute(xp, data, axes).reshape(shape)
    forward.__doc__ = f"Computes the {name} of array elements over given axes."
    return register(name, inputs=("data",), params=_REDUCE_PARAMS, shape=_reduce_shape,
                    aliases=aliases)(forward)


def _keep(F, g, x, axis, keepdims, exclude):
    """Head gradient reshaped so it broadcasts against the input."""
    if keepdims:
        return g
    return F._internal._reduce_keepdims_like(g, x, axis=axis, exclude=exclude)


sum_op = _reducer("sum", lambda xp, x, axes: x.sum(axis=axes, dtype=x.dtype),
                  aliases=("sum_axis",))


@sum_op.gradient
def _(F, inputs, outputs, ograds, axis, keepdims, exclude):    # d/dx = 1
    return (F.broadcast_like(_keep(F, ograds[0], inputs[0], axis, keepdims, exclude),
                             inputs[0]),)


mean_op = _reducer("mean", lambda xp, x, axes: x.mean(axis=axes, dtype=x.dtype))


@mean_op.gradient
def _(F, inputs, outputs, ograds, axis, keepdims, exclude):    # d/dx = 1/n
    x = inputs[0]
    g = F.broadcast_like(_keep(F, ograds[0], x, axis, keepdims, exclude), x)
    return (g * F._internal._reduce_count_ratio(ograds[0], x),)


def _minmax_grad(F, inputs, outputs, ograds, axis, keepdims, exclude):
    # d/dx = 1 where x equals the extremum (ties share the gradient, as in MXNet)
    x = inputs[0]
    y = F.broadcast_like(_keep(F, outputs[0], x, axis, keepdims, exclude), x)
    g = F.broadcast_like(_keep(F, ograds[0], x, axis, keepdims, exclude), x)
    return (g * (x == y),)


def _extremum(name):
    def kernel(xp, x, axes):
        if not x.size:      # MXNet 1.9.1 checks this even when axes keep a zero-size dim
            raise MXNetError(f"Operator {name}: Reduction input's size should > 0, got "
                             f"shape {x.shape}")
        return getattr(x, name)(axis=axes)
    return kernel


max_op = _reducer("max", _extremum("max"), aliases=("max_axis",))
max_op.gradient(_minmax_grad)
min_op = _reducer("min", _extremum("min"), aliases=("min_axis",))
min_op.gradient(_minmax_grad)


def _expanded(F, inputs, outputs, ograds, axis, keepdims, exclude):
    """(x, y, g) with y and g broadcast back to x's shape."""
    x = inputs[0]
    y = F.broadcast_like(_keep(F, outputs[0], x, axis, keepdims, exclude), x)
    g = F.broadcast_like(_keep(F, ograds[0], x, axis, keepdims, exclude), x)
    return x, y, g


prod_op = _reducer("prod", lambda xp, x, axes: x.prod(axis=axes, dtype=x.dtype))


@prod_op.gradient
def _(F, inputs, outputs, ograds, **attrs):    # d/dx_i = prod / x_i (as MXNet: y / x)
    x, y, g = _expanded(F, inputs, outputs, ograds, **attrs)
    return (g * y / x,)


nansum_op = _reducer("nansum", lambda xp, x, axes: xp.where(
    xp.isnan(x), 0, x).sum(axis=axes, dtype=x.dtype))


@nansum_op.gradient
def _(F, inputs, outputs, ograds, **attrs):    # d/dx = 1 where x is not NaN, else 0
    x, y, g = _expanded(F, inputs, outputs, ograds, **attrs)
    return (g * (x == x),)


nanprod_op = _reducer("nanprod", lambda xp, x, axes: xp.where(
    xp.isnan(x), 1, x).prod(axis=axes, dtype=x.dtype))


@nanprod_op.gradient
def _(F, inputs, outputs, ograds, **attrs):    # d/dx = nanprod / x where x is not NaN
    x, y, g = _expanded(F, inputs, outputs, ograds, **attrs)
    valid = x == x
    return (F.where(valid, g * y / F.where(valid, x, F.ones_like(x)), F.zeros_like(x)),)


def _norm_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [reduce_axes(src, attrs["axis"], attrs["keepdims"], False)[1]]


def _norm_dtype(attrs, in_dtypes):
    return in_dtypes, [attrs["out_dtype"] or in_dtypes[0]]


@register("norm", inputs=("data",), shape=_norm_shape, dtype=_norm_dtype,
          params=(Int("ord", 2), Optional(Shape("axis", None)),
                  Optional(Enum("out_dtype", ("float16", "float32", "float64", "int32",
                                              "int64", "int8"), None)),
                  Bool("keepdims", False)))
def norm(xp, data, *, ord, axis, out_dtype, keepdims):
    """Computes the L1 (``ord=1``) or L2 (``ord=2``) norm over ``axis`` (all axes when
    None; a full norm has shape (1,))."""
    if ord not in (1, 2):
        raise MXNetError(f"Operator norm: ord must be 1 or 2, got {ord}")
    axes, shape = reduce_axes(data.shape, axis, keepdims, False, "norm")
    if ord == 1:
        out = xp.abs(data).sum(axis=axes, dtype=data.dtype)
    else:
        out = xp.sqrt((data * data).sum(axis=axes, dtype=data.dtype))
    return out.reshape(shape).astype(out_dtype or data.dtype)


@norm.gradient
def _(F, inputs, outputs, ograds, ord, axis, out_dtype, keepdims):
    # d/dx = sign(x) for L1, x / ||x|| for L2
    x, y, g = _expanded(F, inputs, outputs, ograds, axis, keepdims, False)
    if out_dtype is not None:
        y, g = F.Cast(y, dtype=x.dtype), F.Cast(g, dtype=x.dtype)
    return (g * F.sign(x),) if ord == 1 else (g * x / y,)


def _broadcast_axis_target(src, axis, size):
    out = list(src)
    for a, s in zip(axis, size):
        a = normalize_axis(a, len(src), "broadcast_axis")
        if out[a] != 1:
            raise MXNetError(f"Operator broadcast_axis: axis {a} must have size 1 to be "
                             f"broadcast, got {out[a]}")
        out[a] = s
    return tuple(out)


def _broadcast_axis_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [_broadcast_axis_target(src, attrs["axis"], attrs["size"])]


@register("broadcast_axis", inputs=("data",), aliases=("broadcast_axes",),
          params=(Shape("axis", ()), Shape("size", ())), shape=_broadcast_axis_shape)
def broadcast_axis(xp, data, *, axis, size):
    """Broadcasts the input along the given size-1 axes to the given sizes."""
    target = _broadcast_axis_target(data.shape, axis, size)
    return xp.broadcast_to(data, target).copy()


@broadcast_axis.gradient
def _(F, inputs, outputs, ograds, axis, size):    # sum back over the broadcast axes
    return (F._internal._reduce_sum_like(ograds[0], inputs[0]),)


@register("_reduce_keepdims_like", inputs=("data", "like"),
          params=(Optional(Shape("axis", None)), Bool("exclude", False)))
def reduce_keepdims_like(xp, data, like, *, axis, exclude):
    """Reshape a reduced array to ``like``'s rank with size-1 reduced axes."""
    _, shape = reduce_axes(like.shape, axis, True, exclude)
    return data.reshape(shape)


@reduce_keepdims_like.gradient
def _(F, inputs, outputs, ograds, axis, exclude):
    return F.reshape_like(ograds[0], inputs[0]), None


@register("_reduce_count_ratio", inputs=("reduced", "data"), differentiable=False)
def reduce_count_ratio(xp, reduced, data):
    """``size(reduced) / size(data)`` as a scalar array of data's dtype (mean's 1/n)."""
    return xp.asarray(max(reduced.size, 1) / max(data.size, 1), dtype=data.dtype)


def _check_like_axes(lhs_axes, rhs_axes):
    if len(lhs_axes) == 0 or len(rhs_axes) == 0:
        raise MXNetError("broadcast_like: Empty axes tuple is not allowed "
                         f"(lhs_axes={lhs_axes}, rhs_axes={rhs_axes})")
    if len(lhs_axes) != len(rhs_axes):
        raise MXNetError("broadcast_like: lhs_axes and rhs_axes must have the same length, "
                         f"got {lhs_axes} and {rhs_axes}")


def _broadcast_like_shape(attrs, in_shapes):
    lhs, rhs = in_shapes
    if lhs is None or rhs is None:
        return in_shapes, [None]
    if attrs["lhs_axes"] is None:
        return in_shapes, [tuple(rhs)]
    out = list(lhs)
    for la, ra in zip(attrs["lhs_axes"], attrs["rhs_axes"]):
        out[la] = rhs[ra]
    return in_shapes, [tuple(out)]


@register("broadcast_like", inputs=("lhs", "rhs"), shape=_broadcast_like_shape,
          params=(Optional(Shape("lhs_axes", None)), Optional(Shape("rhs_axes", None))))
def broadcast_like(xp, lhs, rhs, *, lhs_axes, rhs_axes):
    """Broadcasts ``lhs`` to the shape of ``rhs``."""
    if lhs_axes is None:
        return xp.broadcast_to(lhs, rhs.shape).copy()
    _check_like_axes(lhs_axes, rhs_axes)
    shape = list(lhs.shape)
    for la, ra in zip(lhs_axes, rhs_axes):
        shape[la] = rhs.shape[ra]
    return xp.broadcast_to(lhs, tuple(shape)).copy()


@broadcast_like.gradient
def _(F, inputs, outputs, ograds, lhs_axes, rhs_axes):    # sum back over broadcast axes
    return F._internal._reduce_sum_like(ograds[0], inputs[0]), F.zeros_like(inputs[1])


def _broadcast_to_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    target = tuple(s if t == 0 else t for s, t in zip(src, attrs["shape"]))
    return in_shapes, [target]


@register("broadcast_to", inputs=("data",), params=(Shape("shape", ()),),
          shape=_broadcast_to_shape)
def broadcast_to(xp, data, *, shape):
    """Broadcasts the input to a new shape (0 keeps the input's dimension)."""
    target = tuple(s if t == 0 else t for s, t in zip(data.shape, shape))
    return xp.broadcast_to(data, target).copy()


@broadcast_to.gradient
def _(F, inputs, outputs, ograds, shape):
    return (F._internal._reduce_sum_like(ograds[0], inputs[0]),)
