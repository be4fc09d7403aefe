"""Automatic mixed precision (MXNet 1.9.1's ``contrib/amp/amp.py``).

:func:`init` wraps the ``mx.nd`` functions named by the operator lists so that their
float inputs are cast (``amp_cast``) to float16 or float32 first; :func:`init_trainer`
gives a Gluon ``Trainer`` a :class:`LossScaler` and makes it skip steps whose gradients
overflowed; :func:`scale_loss` scales the loss and tells the trainer to unscale.

Unlike MXNet, the ``mx.sym`` functions are not wrapped by :func:`init`; a graph is made
mixed-precision explicitly with :func:`convert_symbol`, :func:`convert_model` or
:func:`convert_hybrid_block` (MXNet's inference conversion). Mixed precision works on the
CPU too (float16 there is slow: NumPy computes it in software).
"""
import contextlib
import logging

import numpy as np

from ...base import MXNetError
from .lists import symbol_fp16
from .loss_scaler import LossScaler

__all__ = ["init", "init_trainer", "scale_loss", "unscale", "convert_hybrid_block",
           "convert_symbol", "convert_model",
           "list_lp16_ops", "list_fp32_ops", "list_lp16_fp32_ops",
           "list_conditional_fp32_ops", "list_widest_type_cast",
           "list_loss_output_functions", "list_lp16_use_fp32_params"]

_STATE = {"initialized": False, "scaler_used": False, "scaler": None}
_PATCHED = []           # (module, name, original): what init() replaced, for _reset()
_SKIPPED = []           # list entries this stack has no function for
_FLOATS = (np.dtype("float16"), np.dtype("float32"))


def _target(target_dtype):
    if str(np.dtype(target_dtype) if target_dtype != "bfloat16" else "") != "float16":
        raise MXNetError(f"amp.init: target_dtype must be 'float16', got {target_dtype!r} "
                         "(bfloat16 needs a dtype NumPy does not have)")
    return np.dtype("float16")


def _cast(x, dtype):
    from ...ndarray import NDArray, amp_cast
    if isinstance(x, NDArray) and x.dtype != dtype and np.dtype(x.dtype) in _FLOATS:
        return amp_cast(x, dtype=dtype)
    return x


def _casting(f, dtype, cond=None):
    def wrapped(*args, **kwargs):
        if cond is not None and kwargs.get(cond[0]) not in cond[1]:
            return f(*args, **kwargs)
        args = [_cast(a, dtype) for a in args]
        kwargs = {k: _cast(v, dtype) for k, v in kwargs.items()}
        return f(*args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = f.__name__, f.__doc__
    wrapped.__wrapped__ = f
    return wrapped


def _widest(target):
    def wrap(f):
        from ...ndarray import NDArray

        def wrapped(*args, **kwargs):
            arrays = [a for a in list(args) + list(kwargs.values())
                      if isinstance(a, NDArray)]
            widest = np.dtype("float32") if any(a.dtype == np.float32 for a in arrays) \
                else target
            args = [_cast(a, widest) if getattr(a, "dtype", None) == target else a
                    for a in args]
            kwargs = {k: _cast(v, widest) if getattr(v, "dtype", None) == target else v
                      for k, v in kwargs.items()}
            return f(*args, **kwargs)
        wrapped.__name__, wrapped.__doc__ = f.__name__, f.__doc__
        wrapped.__wrapped__ = f
        return wrapped
    return wrap


def _loss_scaling(scaler):
    def wrap(f):
        def wrapped(*args, **kwargs):
            kwargs["grad_scale"] = kwargs.get("grad_scale", 1.0) * scaler.loss_scale
            return f(*args, **kwargs)
        wrapped.__name__, wrapped.__doc__ = f.__name__, f.__doc__
        wrapped.__wrapped__ = f
        return wrapped
    return wrap


def _locate(name):
    """(module, attribute) of the ``mx.nd`` function of operator ``name``."""
    from ... import ndarray as nd
    from ..._ops.registry import namespace_of
    namespace, short = namespace_of(name)
    return (getattr(nd, namespace, None) if namespace else nd), short


def _patch(name, make):
    module, attr = _locate(name)
    f = getattr(module, attr, None) if module is not None else None
    if f is None:
        _SKIPPED.append(name)
        return
    _PATCHED.append((module, attr, f))
    setattr(module, attr, make(f))
    from ... import ndarray as nd
    if module is nd and getattr(nd.op, attr, None) is f:
        _PATCHED.append((nd.op, attr, f))
        setattr(nd.op, attr, getattr(module, attr))


# MXNet 1.9.1 compat: libraries (GluonNLP) read this module flag to pick AMP-safe ops
_amp_initialized = False


def init(target_dtype="float16", target_precision_ops=None, conditional_fp32_ops=None,
         fp32_ops=None):
    """Initialize AMP (automatic mixed precision); call it before building the model.

    Parameters
    ----------
    target_dtype : {'float16'}
        The low precision type.
    target_precision_ops : list of str, optional
        Functions run in ``target_dtype`` (default: :func:`list_lp16_ops`).
    conditional_fp32_ops : list of (str, str, list of str), optional
        (function, parameter, values): run in float32 when the parameter has one of the
        values (default: :func:`list_conditional_fp32_ops`).
    fp32_ops : list of str, optional
        Functions run in float32 (default: :func:`list_fp32_ops`).
    """
    if _STATE["initialized"]:
        return
    global _amp_initialized
    target = _target(target_dtype)
    _STATE["initialized"] = _amp_initialized = True
    logging.info("Using AMP")
    f32 = np.dtype("float32")
    for name in (list_lp16_ops(target) if target_precision_ops is None
                 else target_precision_ops):
        _patch(name, lambda f: _casting(f, target))
    for name in list_fp32_ops(target) if fp32_ops is None else fp32_ops:
        _patch(name, lambda f: _casting(f, f32))
    for name, arg, values in (list_conditional_fp32_ops(target)
                              if conditional_fp32_ops is None else conditional_fp32_ops):
        _patch(name, lambda f, c=(arg, tuple(values)): _casting(f, f32, c))
    for name in list_widest_type_cast(target):
        _patch(name, _widest(target))
    scaler = _STATE["scaler"] = LossScaler()
    for name in list_loss_output_functions(target):
        _patch(name, _loss_scaling(scaler))


def _reset():
    """Undo :func:`init` (not in MXNet; tests use it to leave mx.nd as it was)."""
    global _amp_initialized
    _amp_initialized = False
    while _PATCHED:
        module, attr, f = _PATCHED.pop()
        setattr(module, attr, f)
    _SKIPPED.clear()
    _STATE.update(initialized=False, scaler_used=False, scaler=None)


def _trainer_class():
    try:
        from ...gluon import Trainer       # mx-gluon, imported only when asked for
    except ImportError:
        return None
    return Trainer


def _check_trainer(trainer, what):
    from ...optimizer import Optimizer
    cls = _trainer_class()
    if cls is not None and isinstance(trainer, cls):
        return
    if isinstance(trainer, Optimizer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    raise TypeError(f"{what}: optimizer_or_trainer should be a Gluon Trainer or an "
                    f"optimizer, instead is {type(trainer)}")


def init_trainer(optimizer_or_trainer):
    """Give a Gluon Trainer dynamic loss scaling: steps with overflowing gradients
    are skipped and the loss scale adapts (see :class:`LossScaler`)."""
    if not _STATE["initialized"]:
        raise MXNetError("AMP not initialized, did you forget to call amp.init()?")
    trainer = optimizer_or_trainer
    _check_trainer(trainer, "amp.init_trainer")
    if not _STATE["scaler_used"]:
        _STATE["scaler_used"] = True
        scaler = _STATE["scaler"]
    else:
        scaler = LossScaler()
    trainer._amp_loss_scaler = scaler
    trainer._amp_original_scale = trainer._scale
    if not getattr(trainer, "_amp_update_hooked", False):
        # the Trainer knows nothing of AMP: its instance's _update checks first
        update = trainer._update

        def _update(ignore_stale_grad=False):
            if trainer._amp_loss_scaler.has_overflow(trainer._params):
                return          # skip on overflow, as MXNet 1.9.1's Trainer
            update(ignore_stale_grad)
        trainer._update = _update
        trainer._amp_update_hooked = True


@contextlib.contextmanager
def scale_loss(loss, optimizer_or_trainer):
    """``with amp.scale_loss(loss, trainer) as scaled: autograd.backward(scaled)``:
    the loss times the loss scale; the trainer divides the gradients back."""
    trainer = optimizer_or_trainer
    scaler = getattr(trainer, "_amp_loss_scaler", None)
    if scaler is None:
        raise MXNetError("Loss scaler is not initialized, did you forget to call "
                         "amp.init_trainer()?")
    trainer._scale = trainer._amp_original_scale / scaler.loss_scale
    if isinstance(loss, (list, tuple)):
        yield [x * scaler.loss_scale for x in loss]
    else:
        yield scaler.loss_scale * loss


def unscale(optimizer_or_trainer):
    """Unscale the gradients now (e.g. before clipping them); the step then uses 1."""
    trainer = optimizer_or_trainer
    _check_trainer(trainer, "amp.unscale")
    for param in trainer._params:
        if param.grad_req == "null":
            continue
        for g in param.list_grad():
            g[:] *= trainer._scale
    trainer._scale = 1.0


def _op_lists(target_dtype, target_dtype_ops, fp32_ops, conditional_fp32_ops,
              excluded_sym_names):
    """The checked operator lists of a conversion (MXNet's defaults where None)."""
    target = _target(target_dtype).name
    lists = {"target": list_lp16_ops(target) if target_dtype_ops is None else target_dtype_ops,
             "fp32": list_fp32_ops(target) if fp32_ops is None else fp32_ops,
             "conditional": list_conditional_fp32_ops(target) if conditional_fp32_ops is None
             else conditional_fp32_ops,
             "excluded": [] if excluded_sym_names is None else excluded_sym_names,
             "widest": list_widest_type_cast(target)}
    for key in ("target", "fp32", "conditional", "excluded"):
        if not isinstance(lists[key], list):
            raise MXNetError(f"amp.convert_symbol: {key} operators must be a list, got "
                             f"{type(lists[key]).__name__}")
    cond = [c[0] for c in lists["conditional"]]
    for (a, b) in (("target", "fp32"), ("target", "conditional"), ("conditional", "fp32")):
        common = set(cond if a == "conditional" else lists[a]) & \
            set(cond if b == "conditional" else lists[b])
        if common:
            raise MXNetError(f"amp.convert_symbol: ops cannot be in two or more lists; "
                             f"common ops in {a} and {b}: {sorted(common)}")
    known = set(list_lp16_ops(target) + list_fp32_ops(target) + list_lp16_fp32_ops(target)
                + [c[0] for c in list_conditional_fp32_ops(target)])
    illegal = set(lists["target"] + lists["fp32"] + cond) - known
    if illegal:
        raise MXNetError(f"amp.convert_symbol: ops {sorted(illegal)} are in none of the AMP "
                         "lists (list_lp16_ops, list_fp32_ops, list_lp16_fp32_ops, "
                         "list_conditional_fp32_ops)")
    return lists


def convert_symbol(sym, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                   conditional_fp32_ops=None, excluded_sym_names=None, data_names=None,
                   cast_optional_params=False):
    """A float32 Symbol rewritten for mixed precision: ``amp_cast`` / ``amp_multicast``
    nodes are inserted according to the operator lists (MXNet's defaults where None).

    ``data_names`` are the graph's data inputs (default: every input without a
    ``__dtype__``); with ``cast_optional_params`` the parameters read only by
    low-precision operators are marked float16 instead of being cast at run time.
    """
    from ._convert import convert_graph
    lists = _op_lists(target_dtype, target_dtype_ops, fp32_ops, conditional_fp32_ops,
                      excluded_sym_names)
    if data_names is None:
        attrs = sym.attr_dict()
        data_names = [n for n in sym.list_inputs() if "__dtype__" not in attrs.get(n, {})]
    return convert_graph(sym, lists, data_names, cast_optional_params)


def convert_model(sym, arg_params, aux_params, target_dtype="float16",
                  target_dtype_ops=None, fp32_ops=None, conditional_fp32_ops=None,
                  excluded_sym_names=None, cast_optional_params=False):
    """``(sym, arg_params, aux_params)`` converted for mixed precision: the symbol as
    :func:`convert_symbol` makes it, the parameters it marked float16 cast to float16."""
    if not isinstance(arg_params, dict) or not isinstance(aux_params, dict):
        raise MXNetError("amp.convert_model: arg_params and aux_params must be dicts of "
                         "name to NDArray")
    params = set(arg_params) | set(aux_params)
    data_names = [n for n in sym.list_inputs() if n not in params]
    sym = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops,
                         conditional_fp32_ops, excluded_sym_names, data_names,
                         cast_optional_params)
    attrs = sym.attr_dict()
    for params in (arg_params, aux_params):
        for name in list(params):
            dtype = attrs.get(name, {}).get("__dtype__", "-1")
            if dtype == "2":
                params[name] = params[name].astype("float16")
    return sym, arg_params, aux_params


def convert_hybrid_block(block, target_dtype="float16", target_dtype_ops=None,
                         fp32_ops=None, conditional_fp32_ops=None,
                         excluded_sym_names=None, ctx=None, cast_optional_params=False):
    """A SymbolBlock running the hybridized ``block``'s graph in mixed precision (cast
    nodes as :func:`convert_symbol` inserts them), with the block's parameter values;
    those it marks float16 are cast. It takes and returns float32 like the original.

    The block must have been hybridized and run once. ``ctx`` is where the parameters
    go (default: where they are now; MXNet 1.9.1 defaulted to ``gpu(0)``).
    """
    from ._convert import convert_block
    lists = _op_lists(target_dtype, target_dtype_ops, fp32_ops, conditional_fp32_ops,
                      excluded_sym_names)
    return convert_block(block, lists, ctx, cast_optional_params)


def _lists(target_dtype):
    _target(target_dtype)
    return symbol_fp16


def list_lp16_ops(target_dtype):
    """The operators AMP runs in the low precision type."""
    return _lists(target_dtype).FP16_FUNCS


def list_fp32_ops(target_dtype):
    """The operators AMP runs in float32."""
    return _lists(target_dtype).FP32_FUNCS


def list_lp16_fp32_ops(target_dtype):
    """The operators that run in either precision (left alone)."""
    return _lists(target_dtype).FP16_FP32_FUNCS


def list_conditional_fp32_ops(target_dtype):
    """(operator, parameter, values) run in float32 for those values."""
    return _lists(target_dtype).CONDITIONAL_FP32_FUNCS


def list_widest_type_cast(target_dtype):
    """The operators whose inputs are cast to their widest float type."""
    return _lists(target_dtype).WIDEST_TYPE_CASTS


def list_loss_output_functions(target_dtype):
    """The loss outputs whose ``grad_scale`` follows the loss scale."""
    return _lists(target_dtype).LOSS_OUTPUT_FUNCTIONS


def list_lp16_use_fp32_params(target_dtype):
    """The operators whose parameters stay float32 in low precision: None for float16
    (MXNet has such a list for bfloat16 only)."""
    _target(target_dtype)
    return None
