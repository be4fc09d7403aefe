"""Shape operators (MXNet's ``matrix_op.cc``): Reshape, transpose, Cast, expand_dims,
squeeze, clip, repeat, tile, reverse, stack, depth_to_space... The slicing operators of
the same MXNet file live in ``matrix_slice.py`` to keep modules short.
"""
from ...base import MXNetError
from ..infer import normalize_axis, reshape_target, same
from ..params import Any, Bool, DType, Float, Int, Optional, Shape
from ..registry import register


def _reshape_out(src, shape, reverse, target_shape, keep_highest):
    if shape or not target_shape:
        return reshape_target(src, shape, reverse)
    # MXNet 1.9.1 compat: the deprecated target_shape; one 0 is inferred from the size,
    # keep_highest keeps the input's first dimension
    out = list(target_shape)
    if keep_highest:
        out[0] = src[0]
    zeros = [i for i in range(1 if keep_highest else 0, len(out)) if out[i] == 0]
    if len(zeros) == 1:
        out[zeros[0]] = 1
        size, rest = 1, 1
        for d in src:
            size *= d
        for d in out:
            rest *= d
        out[zeros[0]] = size // rest
    return reshape_target(src, tuple(out), False)


def _reshape_shape(attrs, in_shapes):
    src = in_shapes[0]
    if src is None:
        return in_shapes, [None]
    return in_shapes, [_reshape_out(src, attrs["shape"], attrs["reverse"],
                                    attrs["target_shape"], attrs["keep_highest"])]


@register("Reshape", inputs=("data",), aliases=("reshape",),
          params=(Shape("shape", ()), Bool("reverse", False),
                  Shape("target_shape", ()), Bool("keep_highest", False)),
          shape=_reshape_shape)
def reshape(xp, data, *, shape, reverse, target_shape, keep_highest):
    """Reshapes the input array; 0 copies a dimension, -1 infers one, -2 copies the
    rest, -3 merges two, -4 splits one in two; ``reverse`` reads the codes from the right.
    """
    return data.reshape(_reshape_out(data.shape, shape, reverse, target_shape, keep_highest))


@reshape.gradient
def _(F, inputs, outputs, ograds, **attrs):     # d/dx = the head gradient, reshaped back
    return (F.reshape_like(ograds[0], inputs[0]),)


def _reshape_like_target(lhs, rhs, attrs):
    lb, le, rb, re_ = (attrs[k] for k in ("lhs_begin", "lhs_end", "rhs_begin", "rhs_end"))
    lb = 0 if lb is None else lb % max(len(lhs), 1) if lb < 0 else lb
    le = len(lhs) if le is None else le % max(len(lhs), 1) if le < 0 else le
    rb = 0 if rb is None else rb % max(len(rhs), 1) if rb < 0 else rb
    re_ = len(rhs) if re_ is None else re_ % max(len(rhs), 1) if re_ < 0 else re_
    target = tuple(lhs[:lb]) + tuple(rhs[rb:re_]) + tuple(lhs[le:])
    if _prod(target) != _prod(lhs):
        raise MXNetError(f"Operator reshape_like: cannot reshape lhs of shape {tuple(lhs)} "
                         f"into {target} taken from rhs of shape {tuple(rhs)}")
    return target


def _prod(shape):
    out = 1
    for s in shape:
        out *= s
    return out


def _reshape_like_shape(attrs, in_shapes):
    lhs, rhs = in_shapes
    if lhs is None or rhs is None:
        return in_shapes, [None]
    return in_shapes, [_reshape_like_target(lhs, rhs, attrs)]


@register("reshape_like", inputs=("lhs", "rhs"), shape=_reshape_like_shape,
          params=tuple(Optional(Int(k, None)) for k in
                       ("lhs_begin", "lhs_end", "rhs_begin", "rhs_end")))
def reshape_like(xp, lhs, rhs, **attrs):
    """Reshapes ``lhs`` to the shape of ``rhs`` (or replaces ``lhs`` dimensions
    [lhs_begin, lhs_end) by ``rhs`` dimensions [rhs_begin, rhs_end))."""
    return lhs.reshape(_reshape_like_target(lhs.shape, rhs.shape, attrs))


@reshape_like.gradient
def _(F, inputs, outputs, ograds, **attrs):     # d/dlhs = head gradient reshaped back
    return F.reshape_like(ograds[0], inputs[0]), None


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


def _out_shape(compute):
    """Shape rule from ``compute(src_shape, attrs) -> out_shape``."""
    def rule(attrs, in_shapes):
        src = in_shapes[0]
        return in_shapes, [None if src is None else tuple(compute(tuple(src), attrs))]
    return rule


def _expand_dims_shape(src, attrs):
    axis = attrs["axis"]
    if not -len(src) - 1 <= axis <= len(src):
        raise MXNetError(f"Operator expand_dims: axis {axis} is out of range for an array "
                         f"of {len(src)} dimensions")
    axis = axis % (len(src) + 1)
    return src[:axis] + (1,) + src[axis:]


@register("expand_dims", inputs=("data",), params=(Int("axis"),),
          shape=_out_shape(_expand_dims_shape))
def expand_dims(xp, data, *, axis):
    """Inserts a new axis of size 1 at position ``axis``."""
    return data.reshape(_expand_dims_shape(data.shape, {"axis": axis}))


def _to_input_shape(F, inputs, outputs, ograds, **attrs):   # d/dx = g reshaped back
    return (F.reshape_like(ograds[0], inputs[0]),)


expand_dims.gradient(_to_input_shape)


def _squeeze_shape(src, attrs):
    axis = attrs["axis"]
    if axis is None:
        axes = [i for i, s in enumerate(src) if s == 1]
    else:
        axes = [normalize_axis(a, len(src), "squeeze") for a in axis]
        for a in axes:
            if src[a] != 1:
                raise MXNetError(f"Operator squeeze: cannot select an axis to squeeze out "
                                 f"which has size={src[a]} not equal to one")
    out = tuple(s for i, s in enumerate(src) if i not in axes)
    return out or (1,)    # MXNet 1.9.1 compat: squeezing everything leaves shape (1,)


@register("squeeze", inputs=("data",), params=(Optional(Shape("axis", None)),),
          shape=_out_shape(_squeeze_shape))
def squeeze(xp, data, *, axis):
    """Removes single-dimensional axes (all of them, or those in ``axis``)."""
    return data.reshape(_squeeze_shape(data.shape, {"axis": axis}))


squeeze.gradient(_to_input_shape)


@register("clip", inputs=("data",), params=(Float("a_min"), Float("a_max")), shape=same)
def clip(xp, data, *, a_min, a_max):
    """Clips (limits) the values in an array to [a_min, a_max]."""
    return xp.clip(data, data.dtype.type(a_min), data.dtype.type(a_max))


@clip.gradient
def _(F, inputs, outputs, ograds, a_min, a_max):  # d/dx = 1 inside [a_min, a_max], else 0
    x = inputs[0]
    return (ograds[0] * (x >= a_min) * (x <= a_max),)


def _repeat_shape(src, attrs):
    reps, axis = attrs["repeats"], attrs["axis"]
    if axis is None:
        return (_prod(src) * reps,)
    axis = normalize_axis(axis, len(src), "repeat")
    return src[:axis] + (src[axis] * reps,) + src[axis + 1:]


@register("repeat", inputs=("data",), params=(Int("repeats"), Optional(Int("axis", None))),
          shape=_out_shape(_repeat_shape))
def repeat(xp, data, *, repeats, axis):
    """Repeats each element ``repeats`` times along ``axis`` (the flattened array when
    ``axis`` is None)."""
    if repeats < 0:
        raise MXNetError(f"Operator repeat: repeats must be >= 0, got {repeats}")
    return xp.repeat(data, repeats, axis=axis)


@repeat.gradient
def _(F, inputs, outputs, ograds, repeats, axis):   # sum the head gradient over copies
    x, g = inputs[0], ograds[0]
    if axis is None:
        return (F.reshape_like(F.sum(F.reshape(g, shape=(-1, repeats)), axis=1), x),)
    axis = normalize_axis(axis, x.ndim, "repeat")
    shape = x.shape[:axis + 1] + (repeats,) + x.shape[axis + 1:]
    return (F.sum(F.reshape(g, shape=shape), axis=axis + 1),)


def _check_reps(reps):
    from ...util import is_np_shape   # noqa: PLC0415  (util imports the operator tables)
    if any(r < 0 or (r == 0 and not is_np_shape()) for r in reps):
        raise MXNetError(f"Operator tile: reps {tuple(reps)} must be positive (0 only "
                         "under np_shape)")


def _tile_shape(src, attrs):
    reps = tuple(attrs["reps"])
    _check_reps(reps)
    ndim = max(len(src), len(reps))
    src = (1,) * (ndim - len(src)) + src
    reps = (1,) * (ndim - len(reps)) + reps
    return tuple(s * r for s, r in zip(src, reps))


@register("tile", inputs=("data",), params=(Shape("reps"),), shape=_out_shape(_tile_shape))
def tile(xp, data, *, reps):
    """Repeats the whole array ``reps`` times along each axis (NumPy's tile)."""
    _check_reps(reps)
    return xp.tile(data, reps) if reps else data.copy()


@tile.gradient
def _(F, inputs, outputs, ograds, reps):   # sum the head gradient over the tiles
    x = inputs[0]
    ndim = max(x.ndim, len(reps))
    src = (1,) * (ndim - x.ndim) + x.shape
    reps = (1,) * (ndim - len(reps)) + tuple(reps)
    split = tuple(d for pair in zip(reps, src) for d in pair)
    summed = F.sum(F.reshape(ograds[0], shape=split), axis=tuple(range(0, 2 * ndim, 2)))
    return (F.reshape_like(summed, x),)


@register("reverse", inputs=("data",), params=(Shape("axis"),), aliases=("flip",),
          shape=same)
def reverse(xp, data, *, axis):
    """Reverses the order of elements along the given axes."""
    axes = tuple(normalize_axis(a, data.ndim, "reverse") for a in axis)
    return xp.ascontiguousarray(xp.flip(data, axes)) if axes else data.copy()


@reverse.gradient
def _(F, inputs, outputs, ograds, axis):     # d/dx = the head gradient reversed back
    return (F.reverse(ograds[0], axis=axis),)


def _stack_shape(attrs, in_shapes):
    known = next((s for s in in_shapes if s is not None), None)
    if known is None:
        return in_shapes, [None]
    axis = attrs["axis"] % (len(known) + 1)
    return [known] * len(in_shapes), [known[:axis] + (len(in_shapes),) + known[axis:]]


@register("stack", inputs=("data",), params=(Int("axis", 0), Int("num_args")),
          varargs="num_args", shape=_stack_shape)
def stack(xp, *data, axis, num_args):
    """Joins arrays of one shape along a new axis."""
    return xp.stack(data, axis=axis)


@stack.gradient
def _(F, inputs, outputs, ograds, axis, num_args):   # split the head gradient back
    axis = axis % (inputs[0].ndim + 1)
    parts = F.split(ograds[0], num_outputs=num_args, axis=axis, squeeze_axis=True)
    return tuple(parts) if num_args > 1 else (parts,)


def _d2s_shape(src, attrs):
    b = attrs["block_size"]
    n, c, h, w = src
    if c % (b * b):
        raise MXNetError(f"Operator depth_to_space: channels {c} are not divisible by "
                         f"block_size^2 = {b * b}")
    return (n, c // (b * b), h * b, w * b)


@register("depth_to_space", inputs=("data",), params=(Int("block_size"),),
          shape=_out_shape(_d2s_shape))
def depth_to_space(xp, data, *, block_size):
    """Rearranges depth (channel) blocks into spatial blocks (NCHW input)."""
    n, c, h, w = data.shape
    b = block_size
    _d2s_shape(data.shape, {"block_size": b})
    out = data.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    return xp.ascontiguousarray(out).reshape(n, c // (b * b), h * b, w * b)


@depth_to_space.gradient
def _(F, inputs, outputs, ograds, block_size):    # the inverse rearrangement
    return (F.space_to_depth(ograds[0], block_size=block_size),)


def _s2d_shape(src, attrs):
    b = attrs["block_size"]
    n, c, h, w = src
    if h % b or w % b:
        raise MXNetError(f"Operator space_to_depth: height {h} and width {w} must be "
                         f"divisible by block_size {b}")
    return (n, c * b * b, h // b, w // b)


@register("space_to_depth", inputs=("data",), params=(Int("block_size"),),
          shape=_out_shape(_s2d_shape))
def space_to_depth(xp, data, *, block_size):
    """Rearranges spatial blocks into depth (channel) blocks (NCHW input)."""
    n, c, h, w = data.shape
    b = block_size
    _s2d_shape(data.shape, {"block_size": b})
    out = data.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4)
    return xp.ascontiguousarray(out).reshape(n, c * b * b, h // b, w // b)


@space_to_depth.gradient
def _(F, inputs, outputs, ograds, block_size):    # the inverse rearrangement
    return (F.depth_to_space(ograds[0], block_size=block_size),)


def _swap_shape(src, attrs):
    d1 = normalize_axis(attrs["dim1"], len(src), "SwapAxis")
    d2 = normalize_axis(attrs["dim2"], len(src), "SwapAxis")
    out = list(src)
    out[d1], out[d2] = out[d2], out[d1]
    return tuple(out)


@register("SwapAxis", inputs=("data",), params=(Int("dim1", 0), Int("dim2", 0)),
          aliases=("swapaxes",), shape=_out_shape(_swap_shape))
def swapaxis(xp, data, *, dim1, dim2):
    """Interchanges two axes of an array (MXNet's ``swapaxis.cc``)."""
    return xp.ascontiguousarray(xp.swapaxes(data, dim1, dim2))


@swapaxis.gradient
def _(F, inputs, outputs, ograds, dim1, dim2):   # swapping again is the inverse
    return (F.SwapAxis(ograds[0], dim1=dim1, dim2=dim2),)
