"""Shape operators (MXNet's ``matrix_op.cc``): Reshape, transpose, Cast, indexing."""
from ..infer import reshape_target, same
from ..params import Any, Bool, DType, Shape
from ..registry import register


def _reshape_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [reshape_target(src, attrs["shape"], attrs["reverse"])]


@register("Reshape", inputs=("data",), aliases=("reshape",),
          params=(Shape("shape", ()), Bool("reverse", False),
                  Shape("target_shape", ()), Bool("keep_highest", False)),
          shape=_reshape_shape)
def reshape(xp, data, *, shape, reverse, target_shape, keep_highest):
    """Reshapes the input array; 0 copies a dimension, -1 infers one, -2 copies the
    rest, -3 merges two, -4 splits one in two; ``reverse`` reads the codes from the right.
    """
    target = reshape_target(data.shape, shape or target_shape, reverse)
    return data.reshape(target)


@reshape.gradient
def _(F, inputs, outputs, ograds, **attrs):     # d/dx = the head gradient, reshaped back
    return (F.reshape_like(ograds[0], inputs[0]),)


@register("reshape_like", inputs=("lhs", "rhs"))
def reshape_like(xp, lhs, rhs):
    """Reshapes ``lhs`` to the shape of ``rhs``."""
    return lhs.reshape(rhs.shape)


@reshape_like.gradient
def _(F, inputs, outputs, ograds):
    return F.reshape_like(ograds[0], inputs[0]), F.zeros_like(inputs[1])


def _transpose_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    axes = attrs["axes"] or tuple(reversed(range(len(src))))
    return in_shapes, [tuple(src[a] for a in axes)]


@register("transpose", inputs=("data",), params=(Shape("axes", ()),),
          shape=_transpose_shape)
def transpose(xp, data, *, axes):
    """Permutes the dimensions of an array (reverses them when ``axes`` is empty)."""
    return xp.ascontiguousarray(xp.transpose(data, axes or None))


@transpose.gradient
def _(F, inputs, outputs, ograds, axes):         # d/dx = the inverse permutation
    if not axes:
        return (F.transpose(ograds[0]),)
    inverse = [0] * len(axes)
    for i, a in enumerate(axes):
        inverse[a] = i
    return (F.transpose(ograds[0], axes=tuple(inverse)),)


def _cast_dtype(attrs, in_dtypes):
    return in_dtypes, [attrs["dtype"]]


@register("Cast", inputs=("data",), params=(DType("dtype"),), aliases=("cast",),
          shape=same, dtype=_cast_dtype)
def cast(xp, data, *, dtype):
    """Casts all elements of the input to a new type."""
    return data.astype(dtype)


@cast.gradient
def _(F, inputs, outputs, ograds, dtype):     # d/dx = 1, cast back to the input type
    return (F.Cast(ograds[0], dtype=inputs[0].dtype),)


@register("_index", inputs=("data",), params=(Any("key"), Bool("np_shape", False)))
def index(xp, data, *, key, np_shape):
    """``data[key]`` for basic and advanced keys (NDArray ``__getitem__`` under autograd)."""
    out = data[key]
    if out.ndim == 0 and not np_shape:
        out = out.reshape((1,))    # MXNet 1.9.1 compat: legacy shapes have no 0-d arrays
    return out


@index.gradient
def _(F, inputs, outputs, ograds, key, np_shape):   # scatter-add the head gradient back
    return (F._internal._index_backward(ograds[0], inputs[0], key=key),)


@register("_index_backward", inputs=("ograd", "like"), params=(Any("key"),))
def index_backward(xp, ograd, like, *, key):
    """Gradient of ``_index``: zeros of ``like``'s shape with ``ograd`` added at ``key``."""
    out = xp.zeros(like.shape, dtype=ograd.dtype)
    target_shape = out[key].shape
    xp.add.at(out, key, ograd.reshape(target_shape))
    return out


@index_backward.gradient
def _(F, inputs, outputs, ograds, key):
    return F._internal._index(ograds[0], key=key, np_shape=True), None


def _flatten_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    rest = 1
    for s in src[1:]:
        rest *= s
    return in_shapes, [(src[0], rest) if src else (1, 1)]


@register("Flatten", inputs=("data",), aliases=("flatten",), shape=_flatten_shape)
def flatten(xp, data):
    """Flattens the input to 2-D, keeping the first dimension: (d1, d2*...*dk)."""
    return data.reshape(data.shape[0], -1) if data.ndim else data.reshape(1, 1)


@flatten.gradient
def _(F, inputs, outputs, ograds):
    return (F.reshape_like(ograds[0], inputs[0]),)
