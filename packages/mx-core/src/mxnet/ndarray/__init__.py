"""``mx.nd``: NDArray, creation functions and every registered operator."""
import numpy as np

from . import _internal, contrib, image, linalg, op, random, sparse  # noqa: F401
from . import ndarray as _nd_module
from ._gen import install, make_function, modules_of
from .ndarray import NDArray, array, empty, waitall
from ._cached_op import CachedOp  # noqa: F401
from . import _views
from .. import _dispatch
from .._ops.registry import OpRegistry
from ..base import numeric_types
from ..context import Context, current_context
from ..plugins._manager import define_registry, get_registry

__all__ = ["NDArray", "array", "empty", "zeros", "ones", "full", "arange", "eye",
           "linspace", "waitall", "concatenate", "moveaxis", "add", "subtract",
           "multiply", "divide", "true_divide", "modulo", "power", "maximum", "minimum",
           "equal", "not_equal", "greater", "greater_equal", "lesser", "lesser_equal",
           "logical_and", "logical_or", "logical_xor", "negative", "save", "load",
           "load_frombuffer", "onehot_encode", "split_v2", "histogram"]

_METHODS = (
    "abs", "sign", "tile", "transpose", "flip", "depth_to_space",
    "space_to_depth", "diag", "sum", "nansum", "prod", "nanprod", "mean", "max", "min",
    "norm", "round", "rint", "fix", "floor", "ceil", "trunc", "sin", "cos", "tan",
    "arcsin", "arccos", "arctan", "degrees", "radians", "sinh", "cosh", "tanh", "arcsinh",
    "arccosh", "arctanh", "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
    "cbrt", "rcbrt", "square", "reciprocal", "relu", "sigmoid", "softmax", "log_softmax",
    "softmin", "argmax", "argmax_channel", "argmin", "clip", "sort", "argsort", "topk",
    "take", "one_hot", "pick", "split", "split_v2", "slice", "slice_axis", "slice_like",
    "swapaxes", "repeat", "pad", "zeros_like", "ones_like", "broadcast_axes",
    "broadcast_to", "broadcast_like", "reshape_like", "shape_array", "size_array",
)


def _method(fn):
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _on_add(op):
    mods = modules_of(__name__)
    install(op, mods)
    for name in (op.name,) + op.aliases:
        _nd_module._FUNCS[name] = make_function(op, name, __name__)
        if name in _METHODS:
            setattr(NDArray, name, _method(_nd_module._FUNCS[name]))


def _new_registry():
    reg = OpRegistry()
    reg.on_add(_on_add)
    _nd_module._OPS = reg._ops
    return reg


define_registry("ops", _new_registry)


# -- hand-written front-ends, as in MXNet's python/mxnet/ndarray/ndarray.py -----------
def _as_shape(shape):
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


def zeros(shape, ctx=None, dtype=None, stype=None, **kwargs):
    """An array of zeros; ``stype`` 'row_sparse'/'csr' gives a sparse one."""
    if stype not in (None, "default"):
        return sparse.zeros(stype, shape, ctx=ctx, dtype=dtype, **kwargs)
    return _internal._zeros(shape=_as_shape(shape), ctx=ctx, dtype=dtype or "float32",
                            **kwargs)


def ones(shape, ctx=None, dtype=None, **kwargs):
    return _internal._ones(shape=_as_shape(shape), ctx=ctx, dtype=dtype or "float32",
                           **kwargs)


def full(shape, val, ctx=None, dtype=np.float32, out=None):
    res = _internal._full(shape=_as_shape(shape), ctx=ctx, dtype=dtype, value=float(val))
    if out is not None:
        out[:] = res
        return out
    return res


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None,
           dtype=np.float32):
    return _internal._arange(start=start, stop=stop, step=step, repeat=repeat,
                             infer_range=bool(infer_range), ctx=ctx, dtype=dtype)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    return _internal._eye(N=N, M=M, k=k, ctx=ctx, dtype=dtype or "float32", **kwargs)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=np.float32):
    return _internal._linspace(start=start, stop=stop, num=num, endpoint=endpoint,
                               ctx=ctx, dtype=dtype)


def _ufunc(lhs, rhs, array_op, lscalar_op, rscalar_op, py_fn):
    if isinstance(lhs, numeric_types) and isinstance(rhs, numeric_types):
        return py_fn(lhs, rhs)
    if isinstance(rhs, numeric_types):
        return getattr(_internal, lscalar_op)(lhs, scalar=float(rhs))
    if isinstance(lhs, numeric_types):
        return getattr(_internal, rscalar_op)(rhs, scalar=float(lhs))
    return _nd_module._FUNCS[array_op](lhs, rhs)


def add(lhs, rhs):
    """``lhs + rhs`` with broadcasting; either side may be a scalar."""
    return _ufunc(lhs, rhs, "broadcast_add", "_plus_scalar", "_plus_scalar",
                  lambda a, b: a + b)


def subtract(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_sub", "_minus_scalar", "_rminus_scalar",
                  lambda a, b: a - b)


def multiply(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_mul", "_mul_scalar", "_mul_scalar",
                  lambda a, b: a * b)


def divide(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_div", "_div_scalar", "_rdiv_scalar",
                  lambda a, b: a / b)


true_divide = divide


def modulo(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_mod", "_mod_scalar", "_rmod_scalar",
                  lambda a, b: a % b)


def power(base, exp):
    return _ufunc(base, exp, "broadcast_power", "_power_scalar", "_rpower_scalar",
                  lambda a, b: a ** b)


def maximum(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_maximum", "_maximum_scalar", "_maximum_scalar",
                  lambda a, b: a if a > b else b)


def minimum(lhs, rhs):
    return _ufunc(lhs, rhs, "broadcast_minimum", "_minimum_scalar", "_minimum_scalar",
                  lambda a, b: a if a < b else b)


def _cmp(name, pyop, swapped):
    def fn(lhs, rhs):
        return _ufunc(lhs, rhs, f"broadcast_{name}", f"_{name}_scalar",
                      f"_{swapped}_scalar", lambda a, b: 1 if pyop(a, b) else 0)
    fn.__name__ = name
    fn.__doc__ = f"Element-wise ``{name}`` comparison with broadcasting (1 or 0)."
    return fn


equal = _cmp("equal", lambda a, b: a == b, "equal")
not_equal = _cmp("not_equal", lambda a, b: a != b, "not_equal")
greater = _cmp("greater", lambda a, b: a > b, "lesser")
greater_equal = _cmp("greater_equal", lambda a, b: a >= b, "lesser_equal")
lesser = _cmp("lesser", lambda a, b: a < b, "greater")
lesser_equal = _cmp("lesser_equal", lambda a, b: a <= b, "greater_equal")
logical_and = _cmp("logical_and", lambda a, b: a and b, "logical_and")
logical_or = _cmp("logical_or", lambda a, b: a or b, "logical_or")
logical_xor = _cmp("logical_xor", lambda a, b: bool(a) != bool(b), "logical_xor")


def concatenate(arrays, axis=0, always_copy=True):
    """Join arrays along an existing axis."""
    if not always_copy and len(arrays) == 1:
        return arrays[0]
    return _nd_module._FUNCS["concat"](*arrays, dim=axis)


def moveaxis(tensor, source, destination):
    """Move axis ``source`` of ``tensor`` to position ``destination``."""
    axes = list(range(tensor.ndim))
    if not -tensor.ndim <= source < tensor.ndim:
        raise ValueError('Source should verify 0 <= source < tensor.ndim (%d).' % tensor.ndim,
                         'Got %d' % source)
    if not -tensor.ndim <= destination < tensor.ndim:
        raise ValueError('Destination should verify 0 <= destination < tensor.ndim (%d).'
                         % tensor.ndim, 'Got %d' % destination)
    source %= tensor.ndim
    destination %= tensor.ndim
    axes.pop(source)
    axes.insert(destination, source)
    return _nd_module._FUNCS["transpose"](tensor, axes=tuple(axes))


def onehot_encode(indices, out):
    """One-hot encode ``indices`` into ``out`` (shape (n, depth))."""
    res = _nd_module._FUNCS["one_hot"](indices, depth=out.shape[1], dtype=out.dtype)
    out[:] = res
    return out


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split ``ary`` along ``axis`` into equal sections (an int) or at the given indices
    (a tuple), as MXNet's python ``split_v2`` does over ``_internal._split_v2``."""
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if ary.shape[axis] % sections:
            raise ValueError("array split does not result in an equal division")
        size = ary.shape[axis] // sections
        indices = tuple(i * size for i in range(sections))
    elif isinstance(indices_or_sections, (tuple, list)):
        indices = (0,) + tuple(indices_or_sections)
    else:
        raise ValueError("indices_or_sections must either int or tuple of ints")
    return _internal._split_v2(ary, indices=indices, axis=axis, squeeze_axis=squeeze_axis)


NDArray.split_v2 = split_v2


def _slice_assign(self, rhs, begin, end, step):
    """Assign ``rhs`` to the slice (begin, end, step) of this array, in place."""
    return _internal._slice_assign(self, rhs, begin=begin, end=end, step=step, out=self)


def _slice_assign_scalar(self, value, begin, end, step):
    """Assign the scalar ``value`` to the slice (begin, end, step), in place."""
    return _internal._slice_assign_scalar(self, scalar=float(value), begin=begin, end=end,
                                          step=step, out=self)


NDArray.slice_assign = _slice_assign
NDArray.slice_assign_scalar = _slice_assign_scalar


def histogram(a, bins=10, range=None):
    """Histogram of ``a``: (counts, bin_edges). ``bins`` is a bin count or an NDArray of
    edges; with a count and no ``range`` the data's min and max bound the bins and the
    counts come back as float32, as MXNet's NumPy fallback gives them."""
    if isinstance(bins, NDArray):
        return _internal._histogram(a, bins)
    if range is None:
        # MXNet 1.9.1 compat: falls back to NumPy's histogram, returning float counts
        data = a.asnumpy()
        lo, hi = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        counts, edges = _internal._histogram(a, bin_cnt=int(bins), range=(lo, hi))
        return counts.astype("float32"), edges.astype("float32")
    return _internal._histogram(a, bin_cnt=int(bins), range=range)

# Fill the registry: mx-core's built-in plugin and every installed plugin register here.
_REGISTRY = get_registry("ops")

from .utils import load, load_frombuffer, save  # noqa: E402


# -- zero-copy interchange ------------------------------------------------------------
def from_numpy(ndarray, zero_copy=True):
    """An NDArray from a NumPy array.

    With ``zero_copy`` (the default) the NDArray uses the NumPy array's memory, and, as
    in MXNet, the NumPy array becomes read-only (the NDArray owns the data from then
    on); that needs a C-contiguous array. Without it the data is copied.
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(ndarray).__name__}")
    ctx = Context("cpu", 0)
    if not zero_copy:
        return _nd_module._wrap(np.array(ndarray, copy=True, order="C"), ctx)
    if not ndarray.flags["C_CONTIGUOUS"]:
        raise ValueError("Only c-contiguous arrays are supported for zero-copy")
    ndarray.flags["WRITEABLE"] = False
    return _nd_module._wrap(_views.writable_alias(ndarray), ctx)


def from_dlpack(dlpack):
    """An NDArray sharing the memory of a DLPack capsule (what ``to_dlpack_for_read``
    and ``torch.utils.dlpack.to_dlpack`` return) or of a DLPack-capable host array."""
    if type(dlpack).__name__ == "PyCapsule":
        dlpack = _views.Capsule(dlpack)
    data = np.from_dlpack(dlpack)
    if not data.flags.writeable:        # NumPy marks imported memory read-only
        data = _views.writable_alias(data)
    return _nd_module._wrap(data, Context("cpu", 0))


def to_dlpack_for_read(data):
    """A DLPack capsule sharing the array's memory (consumed by one ``from_dlpack``)."""
    data.wait_to_read()
    return data._data.__dlpack__()


to_dlpack_for_write = to_dlpack_for_read
NDArray.to_dlpack_for_read = to_dlpack_for_read
NDArray.to_dlpack_for_write = to_dlpack_for_write
