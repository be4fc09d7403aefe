"""``mx.sym``: symbolic graphs over the operator registry (the mx-symbol package)."""
import sys

import numpy as np

from mxnet.ndarray._gen import install
from mxnet.plugins import get_registry

from . import _internal, contrib, image, linalg, op, random, sparse  # noqa: F401
from . import _gen
from .symbol import Group, Symbol, Variable, fromjson, load, load_json, var

__all__ = ["Symbol", "var", "Variable", "Group", "load", "load_json", "fromjson", "zeros",
           "ones", "full", "arange", "eye", "linspace", "histogram", "split_v2", "pow",
           "maximum", "minimum", "hypot"]


def _modules():
    return {"": sys.modules[__name__], "contrib": contrib, "linalg": linalg,
            "random": random, "image": image, "sparse": sparse, "_internal": _internal,
            "op": op}


def _on_add(opdef):
    install(opdef, _modules(), factory=_gen.make_function)


def zeros(shape, dtype=None, **kwargs):
    return _internal._zeros(shape=shape, dtype=dtype or "float32", **kwargs)


def ones(shape, dtype=None, **kwargs):
    return _internal._ones(shape=shape, dtype=dtype or "float32", **kwargs)


def full(shape, val, dtype=None, **kwargs):
    return _internal._full(shape=shape, value=float(val), dtype=dtype or "float32", **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None,
           dtype=np.float32):
    return _internal._arange(start=start, stop=stop, step=step, repeat=repeat,
                             infer_range=infer_range, name=name, dtype=dtype)


def eye(N, M=0, k=0, dtype=None, **kwargs):
    return _internal._eye(N=N, M=M, k=k, dtype=dtype or "float32", **kwargs)


def linspace(start, stop, num, endpoint=True, name=None, dtype=None):
    return _internal._linspace(start=start, stop=stop, num=num, endpoint=endpoint,
                               name=name, dtype=dtype or "float32")


def histogram(a, bins=10, range=None, **kwargs):
    """Histogram of ``a``: ``bins`` is a Symbol of bin edges, or a count with ``range``."""
    if isinstance(bins, Symbol):
        return _internal._histogram(data=a, bins=bins, **kwargs)
    if isinstance(bins, int):
        if range is None:
            raise ValueError("null range is not supported in symbol mode")
        return _internal._histogram(data=a, bin_cnt=bins, range=range, **kwargs)
    raise ValueError("bins argument should be either an integer or an NDArray")


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split ``ary`` along ``axis`` into equal sections (an int) or at the given indices
    (a tuple); shapes are not known here, so sections go to the operator."""
    if isinstance(indices_or_sections, int):
        return _internal._split_v2(ary, indices=(), axis=axis, squeeze_axis=squeeze_axis,
                                   sections=indices_or_sections)
    if isinstance(indices_or_sections, tuple):
        return _internal._split_v2(ary, indices=(0,) + indices_or_sections, axis=axis,
                                   squeeze_axis=squeeze_axis)
    raise ValueError("indices_or_sections must either int or tuple of ints")


def _pair(lhs, rhs, array_op, scalar_op, rscalar_op, py):
    if isinstance(lhs, Symbol) and isinstance(rhs, Symbol):
        return getattr(_internal, array_op)(lhs, rhs)
    if isinstance(lhs, Symbol):
        return getattr(_internal, scalar_op)(lhs, scalar=float(rhs))
    if isinstance(rhs, Symbol):
        return getattr(_internal, rscalar_op)(rhs, scalar=float(lhs))
    return py(lhs, rhs)


def pow(base, exp):
    return _pair(base, exp, "_Power", "_PowerScalar", "_RPowerScalar", lambda a, b: a ** b)


power = pow


def maximum(left, right):
    return _pair(left, right, "_Maximum", "_MaximumScalar", "_MaximumScalar", max)


def minimum(left, right):
    return _pair(left, right, "_Minimum", "_MinimumScalar", "_MinimumScalar", min)


def hypot(left, right):
    return _pair(left, right, "_Hypot", "_HypotScalar", "_HypotScalar",
                 lambda a, b: (a * a + b * b) ** 0.5)


_REGISTRY = get_registry("ops")
for _op in _REGISTRY.ops():
    _on_add(_op)
_REGISTRY.on_add(_on_add)


# -- fluent methods: sym.sum(axis=1) is mx.sym.sum(sym, axis=1), as on NDArray ---------
_FLUENT = (
    "abs", "sign", "flatten", "expand_dims", "tile", "transpose", "flip", "depth_to_space",
    "space_to_depth", "diag", "sum", "nansum", "prod", "nanprod", "mean", "max", "min",
    "norm", "round", "rint", "fix", "floor", "ceil", "trunc", "sin", "cos", "tan",
    "arcsin", "arccos", "arctan", "degrees", "radians", "sinh", "cosh", "tanh", "arcsinh",
    "arccosh", "arctanh", "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
    "cbrt", "rcbrt", "square", "reciprocal", "relu", "sigmoid", "softmax", "log_softmax",
    "softmin", "argmax", "argmax_channel", "argmin", "clip", "sort", "argsort", "topk",
    "take", "one_hot", "pick", "split", "split_v2", "slice", "slice_axis", "slice_like",
    "swapaxes", "squeeze", "repeat", "pad", "zeros_like", "ones_like", "broadcast_axes",
    "broadcast_to", "broadcast_like", "reshape_like", "shape_array", "size_array")


def _fluent(name):
    def method(self, *args, **kwargs):
        return getattr(sys.modules[__name__], name)(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"Convenience fluent method for :py:func:`{name}`."
    return method


def _ndarray_only(name):
    def method(self, *args, **kwargs):
        from mxnet.base import NotImplementedForSymbol
        raise NotImplementedForSymbol(method, None)
    method.__name__ = name
    return method


for _name in _FLUENT:
    if _name not in Symbol.__dict__:
        setattr(Symbol, _name, _fluent(_name))
# MXNet 1.9.1 compat: NDArray-only methods exist on Symbol and refuse to run
for _name in ("as_in_context", "asnumpy", "asscalar", "backward", "copy", "detach",
              "wait_to_read"):
    if _name not in Symbol.__dict__:
        setattr(Symbol, _name, _ndarray_only(_name))
