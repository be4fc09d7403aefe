"""``mx.sym``: symbolic graphs over the operator registry (the mx-symbol package)."""
import sys

import numpy as np

from mxnet.ndarray._gen import install
from mxnet.plugins import get_registry

from . import _internal, contrib, image, linalg, op, random, sparse  # noqa: F401
from . import _gen
from .symbol import Group, Symbol, Variable, fromjson, load, load_json, var

__all__ = ["Symbol", "var", "Variable", "Group", "load", "load_json", "fromjson", "zeros",
           "ones", "full", "arange", "pow", "maximum", "minimum", "hypot"]


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
