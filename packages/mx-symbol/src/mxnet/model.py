"""Checkpoints (``prefix-symbol.json`` + ``prefix-%04d.params``) and ``BatchEndParam``."""
import logging
import os
from collections import namedtuple

import numpy as np

from . import ndarray as nd
from . import symbol as sym

__all__ = ["BatchEndParam", "save_checkpoint", "load_checkpoint", "load_params",
           "LogValidationMetricsCallback", "FeedForward"]

BatchEndParam = namedtuple("BatchEndParam", ["epoch", "nbatch", "eval_metric", "locals"])


class LogValidationMetricsCallback:
    """Eval-end callback logging each validation metric of the epoch."""

    def __call__(self, param):
        if not param.eval_metric:
            return
        for name, value in param.eval_metric.get_name_value():
            logging.info("Epoch[%d] Validation-%s=%f", param.epoch, name, value)


def save_checkpoint(prefix, epoch, symbol, arg_params, aux_params, remove_amp_cast=True):
    """Write ``prefix-symbol.json`` and ``prefix-%04d.params`` (keys ``arg:``/``aux:``)."""
    if symbol is not None:
        symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
    save_dict = {f"arg:{k}": v.as_in_context(_cpu()) for k, v in arg_params.items()}
    save_dict.update({f"aux:{k}": v.as_in_context(_cpu()) for k, v in aux_params.items()})
    nd.save("%s-%04d.params" % (prefix, epoch), save_dict)


def load_params(prefix, epoch):
    """``(arg_params, aux_params)`` from ``prefix-%04d.params``."""
    save_dict = nd.load("%s-%04d.params" % (prefix, epoch))
    arg_params, aux_params = {}, {}
    for key, value in (save_dict or {}).items():
        kind, _, name = key.partition(":")
        if kind == "arg":
            arg_params[name] = value
        elif kind == "aux":
            aux_params[name] = value
    return arg_params, aux_params


def load_checkpoint(prefix, epoch):
    """``(symbol, arg_params, aux_params)`` of a checkpoint."""
    symbol = sym.load(f"{prefix}-symbol.json")
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params


def _cpu():
    from .context import cpu
    return cpu()


# -- kvstore helpers used by Module (MXNet's mxnet.model private functions) -----------
def _create_kvstore(kvstore, num_device, arg_params):
    """``(kvstore or None, update_on_kvstore)`` for ``num_device`` devices.

    A string type on one device (and not distributed) needs no kvstore; a local store
    holding a parameter over 16M elements updates on the workers instead.
    """
    update_on_kvstore = bool(int(os.getenv("MXNET_UPDATE_ON_KVSTORE", "1")))
    if kvstore is None or (isinstance(kvstore, str) and num_device == 1
                           and "dist" not in kvstore):
        return None, False          # one device needs no store (mx-kvstore optional)
    if isinstance(kvstore, str):
        kv = _kvstore_module(kvstore).create(kvstore)
        if kvstore == "local" and arg_params:
            max_size = max(int(np.prod(p.shape)) for p in arg_params.values())
            if max_size > 1024 * 1024 * 16:
                update_on_kvstore = False
    elif all(hasattr(kvstore, m) for m in ("init", "push", "pull")):
        kv = kvstore
    else:
        raise TypeError("kvstore must be KVStore, str or None")
    update_on_kvstore &= kv.is_capable("optimizer")     # KVStoreBase.OPTIMIZER
    return kv, update_on_kvstore


def _kvstore_module(what):
    try:
        from . import kvstore
    except ImportError as err:
        raise ImportError(f"kvstore {what!r} needs the mx-kvstore distribution: "
                          "pip install mx-kvstore") from err
    return kvstore


def _initialize_kvstore(kvstore, param_arrays, arg_params, param_names, update_on_kvstore):
    """Store every parameter in ``kvstore``; pull it back to the devices when the
    store runs the optimizer."""
    for idx, param_on_devs in enumerate(param_arrays):
        name = param_names[idx]
        kvstore.init(name, arg_params[name])
        if update_on_kvstore:
            kvstore.pull(name, param_on_devs, priority=-idx)


def _update_params_on_kvstore(param_arrays, grad_arrays, kvstore, param_names):
    """Push gradients; the store updates and the new weights are pulled back."""
    for index, (arg_list, grad_list) in enumerate(zip(param_arrays, grad_arrays)):
        if grad_list[0] is None:
            continue
        name = param_names[index]
        kvstore.push(name, grad_list, priority=-index)
        kvstore.pull(name, arg_list, priority=-index)


def _update_params(param_arrays, grad_arrays, updater, num_device, kvstore=None,
                   param_names=None):
    """Sum gradients through ``kvstore`` (if any), then update on every device.

    The updater index of parameter ``i`` on device ``k`` is ``i * num_device + k``, so
    each device copy keeps its own optimizer state (as in MXNet).
    """
    updates = [[] for _ in range(num_device)]
    for index, (arg_list, grad_list) in enumerate(zip(param_arrays, grad_arrays)):
        if grad_list[0] is None:
            continue
        if kvstore:
            name = param_names[index]
            kvstore.push(name, grad_list, priority=-index)
            kvstore.pull(name, grad_list, priority=-index)
        for k, (w, g) in enumerate(zip(arg_list, grad_list)):
            updates[k].append((index * num_device + k, g, w))
    for dev_updates in updates:
        if dev_updates:
            i, g, w = zip(*dev_updates)
            updater(list(i), list(g), list(w))


from ._feedforward import FeedForward  # noqa: E402  (uses this module's helpers)
