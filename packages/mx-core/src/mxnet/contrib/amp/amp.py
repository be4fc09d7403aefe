"""Automatic mixed precision (MXNet 1.9.1's ``contrib/amp/amp.py``).

:func:`init` wraps the ``mx.nd`` functions named by the operator lists so that their
float inputs are cast (``amp_cast``) to float16 or float32 first; :func:`init_trainer`
gives a Gluon ``Trainer`` a :class:`LossScaler` and makes it skip steps whose gradients
overflowed; :func:`scale_loss` scales the loss and tells the trainer to unscale.

Unlike MXNet, the ``mx.sym`` functions are not wrapped: hybridized (symbolic) blocks run
in their parameters' precision (use :func:`convert_hybrid_block`). Mixed precision works
on the CPU too (float16 there is slow: NumPy computes it in software).
"""
import contextlib
import logging

import numpy as np

from ...base import MXNetError
from .lists import symbol_fp16
from .loss_scaler import LossScaler

__all__ = ["init", "init_trainer", "scale_loss", "unscale", "convert_hybrid_block",
           "list_lp16_ops", "list_fp32_ops", "list_lp16_fp32_ops",
           "list_conditional_fp32_ops", "list_widest_type_cast",
           "list_loss_output_functions"]

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
    target = _target(target_dtype)
    _STATE["initialized"] = True
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


def convert_hybrid_block(block, target_dtype="float16", target_dtype_ops=None,
                         fp32_ops=None, conditional_fp32_ops=None,
                         excluded_sym_names=None, ctx=None, cast_optional_params=False):
    """The block with its parameters in ``target_dtype``, normalization layers'
    parameters kept in float32 (MXNet keeps BatchNorm in float32).

    Unlike MXNet, the graph is not rewritten: the block's inputs must be cast to
    ``target_dtype`` by the caller (``x.astype('float16')``).
    """
    target = _target(target_dtype)
    block.cast(target.name)
    for child in _walk(block):
        if "Norm" in type(child).__name__:
            child.cast("float32")
    return block


def _walk(block):
    for child in getattr(block, "_children", {}).values():
        child = child() if callable(child) and not hasattr(child, "collect_params") \
            else child
        yield child
        yield from _walk(child)


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
