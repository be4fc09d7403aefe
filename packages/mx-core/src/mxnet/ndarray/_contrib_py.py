"""Python-level functions of ``mx.nd.contrib``: samplers and imperative control flow.

The control-flow functions run the loop in Python (MXNet's imperative versions do the
same); the graph versions live in ``mx.sym.contrib``.
"""
import math

from .. import _nested
from ..base import _as_list
from ..context import current_context
from .ndarray import NDArray

__all__ = ["rand_zipfian", "foreach", "while_loop", "cond", "getnnz"]


def rand_zipfian(true_classes, num_sampled, range_max, ctx=None):
    """Draw ``num_sampled`` classes (with replacement) from the log-uniform (Zipfian)
    distribution over ``[0, range_max)``, P(class) = log((class+2)/(class+1)) / log(range_max+1).

    Returns ``(sampled_classes, expected_count_true, expected_count_sampled)``: the
    int64 samples and the expected counts of the true and of the sampled classes.
    """
    from . import random as _random
    ctx = ctx or current_context()
    log_range = math.log(range_max + 1)
    rand = _random.uniform(0, log_range, shape=(num_sampled,), dtype="float64", ctx=ctx)
    # exp(u) - 1 is log-uniform; the modulo keeps rounding at the top inside the range
    sampled = (rand.exp() - 1).astype("int64") % range_max
    true_cls = true_classes.as_in_context(ctx).astype("float64")
    count_true = ((true_cls + 2.0) / (true_cls + 1.0)).log() / log_range * num_sampled
    sampled_f = sampled.astype("float64")
    count_sampled = ((sampled_f + 2.0) / (sampled_f + 1.0)).log() / log_range * num_sampled
    return sampled, count_true, count_sampled


def _flatten(args, what):
    """Nested lists of NDArrays -> (flat list, format to rebuild them)."""
    return _nested.flatten(args, NDArray, what)


_regroup = _nested.regroup


def _scalar(value, type_, name):
    if hasattr(value, "asscalar"):
        value = value.asscalar()
    try:
        return type_(value)
    except (TypeError, ValueError):
        raise ValueError(f"Cannot convert {name} to python {type_.__name__}") from None


def foreach(body, data, init_states):
    """Run ``body(slice, states) -> (outputs, states)`` over the first axis of ``data``.

    Returns ``(outputs stacked along a new first axis, final states)``."""
    from . import stack
    _flatten(init_states, "foreach states")
    single = isinstance(data, NDArray)
    flat_data, _ = _flatten(data, "foreach input")
    num_iters = flat_data[0].shape[0]
    states = init_states
    steps, out_fmt = [], 0
    for i in range(num_iters):
        eles = data[i] if single else [d[i] for d in data]
        outs, states = body(eles, states)
        outs, out_fmt = _flatten(outs, "foreach output")
        steps.append(outs)
    outputs = [stack(*items) for items in zip(*steps)]
    outputs, _ = _regroup(outputs, out_fmt)
    return outputs, states


def while_loop(cond, func, loop_vars, max_iterations=None):
    """Run ``func(*loop_vars) -> (step_output, new_loop_vars)`` while
    ``cond(*loop_vars)`` holds, at most ``max_iterations`` times.

    The step outputs are stacked along a new first axis and padded to
    ``max_iterations`` rows; returns ``(outputs, final loop_vars)``."""
    from . import concat, empty
    if max_iterations is None:
        raise ValueError("max_iterations should be specified")
    max_iterations = _scalar(max_iterations, int, "max_iteration")
    if len(loop_vars) == 0:
        raise ValueError("loop_vars should contain at least one element")
    single = isinstance(loop_vars, NDArray)
    loop_vars = _as_list(loop_vars)
    steps, outputs, out_fmt = 0, [], None
    while steps < max_iterations and _scalar(cond(*loop_vars), bool,
                                             "Return value of cond"):
        step_output, new_vars = func(*loop_vars)
        step_output = [] if step_output is None else step_output
        new_vars = _as_list([] if new_vars is None else list(new_vars)
                            if isinstance(new_vars, tuple) else new_vars)
        if len(new_vars) != len(loop_vars):
            raise ValueError("The length of loop_vars should be consistent during the loop")
        loop_vars = new_vars
        step_output, out_fmt = _flatten(list(step_output) if isinstance(step_output, tuple)
                                        else step_output, "while output")
        outputs.append(step_output)
        steps += 1
        if len(step_output) != len(outputs[0]):
            raise ValueError("Number of elements in step_output should be the same in "
                             "each step")
    stacked = []
    for items in zip(*outputs):
        items = [x.expand_dims(0) for x in items]
        if steps != max_iterations and items:
            pad_shape = [max_iterations - steps] + list(items[0].shape[1:])
            items.append(empty(pad_shape, ctx=items[0].context, dtype=items[0].dtype))
        stacked.append(concat(*items, dim=0))
    if out_fmt is not None:
        stacked, _ = _regroup(stacked, out_fmt)
    return stacked, (loop_vars[0] if single else loop_vars)


def cond(pred, then_func, else_func):
    """``then_func()`` if ``pred`` (a scalar NDArray or number) is true, else ``else_func()``."""
    if _scalar(pred, bool, "pred"):
        return then_func()
    return else_func()


def getnnz(data=None, axis=None, **kwargs):
    """The number of stored values of the CSRNDArray ``data``: in all (``axis=None``,
    shape (1,)) or per row (``axis=1``), as int64."""
    from ..base import MXNetError
    from .ndarray import array
    if kwargs:
        raise MXNetError(f"Operator _contrib_getnnz: unexpected arguments {sorted(kwargs)}")
    if getattr(data, "stype", None) != "csr":
        raise MXNetError("Operator _contrib_getnnz: data must be a CSRNDArray")
    if axis not in (None, 1, -1):
        raise MXNetError(f"Operator _contrib_getnnz: axis must be None or 1, got {axis}")
    indptr = data.indptr.asnumpy()
    counts = [int(indptr[-1])] if axis is None else (indptr[1:] - indptr[:-1])
    return array(counts, ctx=data.context, dtype="int64")
