"""Creation operators (MXNet's ``init_op.cc``): _zeros, _ones, _full, _arange, _eye..."""
import math

from ...base import MXNetError
from ..params import Any, Bool, DType, Float, Int, Optional, Shape
from ..registry import register

_CTX = Any("ctx", None, "Context of output, in format [cpu|gpu|cpu_pinned](n).")


def _dt(dtype):
    return "float32" if dtype is None else dtype


def _fixed_shape(attrs, in_shapes):
    return in_shapes, [tuple(attrs["shape"])]


def _check_known(shape, op_name):
    # MXNet 1.9.1 compat: outside np_shape, () and 0 dimensions mean "unknown" shapes
    from ...util import is_np_shape   # noqa: PLC0415  (util imports the operator tables)
    if not is_np_shape() and (len(shape) == 0 or 0 in tuple(shape)):
        raise MXNetError(f"Operator {op_name}: shape {tuple(shape)} is not fully known "
                         "(0 and () are unknown outside np_shape; use mx.np_shape())")


@register("_zeros", inputs=(), params=(Shape("shape", ()), _CTX, DType("dtype", "float32")),
          shape=_fixed_shape, differentiable=False)
def zeros(xp, *, shape, ctx, dtype):
    """An array of the given shape filled with zeros."""
    _check_known(shape, "_zeros")
    return xp.zeros(shape, dtype=_dt(dtype))


@register("_ones", inputs=(), params=(Shape("shape", ()), _CTX, DType("dtype", "float32")),
          shape=_fixed_shape, differentiable=False)
def ones(xp, *, shape, ctx, dtype):
    """An array of the given shape filled with ones."""
    _check_known(shape, "_ones")
    return xp.ones(shape, dtype=_dt(dtype))


@register("_full", inputs=(), params=(Shape("shape", ()), _CTX, DType("dtype", "float32"),
                                      Float("value")),
          shape=_fixed_shape, differentiable=False)
def full(xp, *, shape, ctx, dtype, value):
    """An array of the given shape filled with ``value``."""
    return xp.full(shape, value, dtype=_dt(dtype))


def arange_length(start, stop, step, repeat):
    if stop is None:
        start, stop = 0.0, start
    n = int(math.ceil((stop - start) / step))
    return max(n, 0) * repeat, start


@register("_arange", inputs=(), differentiable=False,
          params=(Float("start"), Optional(Float("stop", None)), Float("step", 1.0),
                  Int("repeat", 1), Bool("infer_range", False), _CTX,
                  DType("dtype", "float32")))
def arange(xp, *, start, stop, step, repeat, infer_range, ctx, dtype):
    """Evenly spaced values in [start, stop) with ``step``, each repeated ``repeat`` times."""
    n, start = arange_length(start, stop, step, 1)
    if str(_dt(dtype)).startswith(("int", "uint")):
        # MXNet 1.9.1 compat: integer kernels cast start and step to the dtype first
        # (arange(1.3, 456.6, 1.3, dtype=int32) counts 1, 2, 3, ...)
        values = (int(start) + xp.arange(n, dtype="int64") * int(step)).astype(_dt(dtype))
    else:
        # NOTE: computed in float64 then cast, like MXNet's start + i * step.
        values = (start + xp.arange(n, dtype="float64") * step).astype(_dt(dtype))
    return xp.repeat(values, repeat) if repeat > 1 else values


@register("_eye", inputs=(), differentiable=False,
          params=(Int("N"), Int("M", 0), Int("k", 0), _CTX, DType("dtype", "float32")))
def eye(xp, *, N, M, k, ctx, dtype):
    """A 2-D array with ones on the ``k``-th diagonal."""
    return xp.eye(N, M or N, k, dtype=_dt(dtype))


@register("_linspace", inputs=(), differentiable=False,
          params=(Float("start"), Optional(Float("stop", None)), Float("step", 1.0),
                  Int("repeat", 1), Bool("infer_range", False), _CTX,
                  DType("dtype", "float32"), Int("num", 50), Bool("endpoint", True)))
def linspace(xp, *, start, stop, step, repeat, infer_range, ctx, dtype, num, endpoint):
    """``num`` evenly spaced samples over [start, stop]."""
    return xp.linspace(start, stop, num, endpoint=endpoint,
                       dtype="float64").astype(_dt(dtype))
