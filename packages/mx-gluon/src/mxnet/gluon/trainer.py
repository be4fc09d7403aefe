"""Trainer: applies an optimizer to a set of Parameters after ``backward``.

Gradients of several contexts are reduced through a kvstore (``mx.kv``), created
lazily on the first ``step`` exactly as MXNet 1.9.1 does: with dense weights the
optimizer may run inside the kvstore (``update_on_kvstore``), row_sparse weights
always live there, and a dense weight with sparse gradients updates on the workers.
"""
import os

from .. import optimizer as opt
from ..base import MXNetError
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer"]


def _kvstore_module():
    """``mxnet.kvstore`` (the mx-kvstore distribution) or None when not installed."""
    try:
        from .. import kvstore
    except ImportError:
        return None
    return kvstore


class Trainer:
    """Update ``params`` with ``optimizer``; ``step(batch_size)`` after each backward."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            # MXNet 1.9.1 compat: a dict's Parameters are taken in sorted-name order
            params = [params[key] for key in sorted(params.keys())]
        if not isinstance(params, (list, tuple)):
            raise ValueError("First argument must be a list or dict of Parameters, got "
                             f"{type(params)}.")
        self._params = []
        self._contains_sparse_weight = False
        self._contains_sparse_grad = False
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError("First argument must be a list or dict of Parameters, got "
                                 f"list of {type(param)}.")
            self._param2idx[param.name] = i
            self._params.append(param)
            param._set_trainer(self)
            self._contains_sparse_weight |= param._stype != "default"
            self._contains_sparse_grad |= param._grad_stype != "default"
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, dict(optimizer_params or {}))
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {"kvstore": kvstore, "update_on_kvstore": update_on_kvstore}
        self._reset_kvstore()

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise AssertionError(f"All Parameters must be initialized on the same set "
                                     f"of contexts, but Parameter {param.name} is "
                                     f"initialized on {ctx} while previous Parameters are "
                                     f"initialized on {contexts}.")
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        # the dict is shared, not copied, so later lr_mult/wd_mult changes take effect
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise AssertionError("optimizer_params must be None if optimizer is an "
                                     "instance of Optimizer instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict,
                                         **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer)
                          for _ in (self._contexts or [None])]   # no Parameters: one

    # -- kvstore -------------------------------------------------------------------
    def _reset_kvstore(self):
        """Forget the kvstore (it is re-created and re-filled on the next step)."""
        if self._kvstore_type_is_dist():
            raise RuntimeError("Cannot reset distributed KVStore.")
        self._kv_initialized = False
        self._kvstore = None
        self._distributed = None
        self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _kvstore_type_is_dist(self):
        kv = getattr(self, "_kvstore", None)
        return kv is not None and "dist" in kv.type

    def _init_kvstore(self):
        """Create the kvstore and decide ``update_on_kvstore`` (MXNet's three cases)."""
        config = self._kvstore_params
        wanted = config["update_on_kvstore"]
        if self._contains_sparse_weight:
            # row_sparse weights are only ever held (and updated) by the kvstore
            kvstore, update_on_kvstore = _create_sparse_kvstore(config["kvstore"])
            self._distributed = "dist" in kvstore.type
            if wanted is False:
                raise ValueError("Cannot set update_on_kvstore=False when sparse weights "
                                 "are present.")
        elif self._contains_sparse_grad:
            # dense weight + sparse grad: locally faster to reduce grads and update here
            kvstore, _ = self._create_kvstore(config["kvstore"])
            self._distributed = kvstore is not None and "dist" in kvstore.type
            update_on_kvstore = self._distributed
            if wanted is not None:
                if wanted is False and self._distributed:
                    raise ValueError("Cannot set update_on_kvstore=False on dist kvstore "
                                     "when sparse gradients are present.")
                update_on_kvstore = wanted
        else:
            kvstore, update_on_kvstore = self._create_kvstore(config["kvstore"])
            self._distributed = kvstore is not None and "dist" in kvstore.type
            if self._distributed and "async" in kvstore.type:
                update_on_kvstore = True
                if wanted is False:
                    raise ValueError("Please set update_on_kvstore=True when training in "
                                     "async mode.")
            if wanted is not None:
                update_on_kvstore = wanted
            if update_on_kvstore and kvstore is not None and \
                    not kvstore.is_capable("optimizer"):
                if wanted:
                    raise ValueError("Please set update_on_kvstore=False when training "
                                     f"with {type(kvstore)}")
                update_on_kvstore = False
        if kvstore is not None:
            if self._compression_params:
                kvstore.set_gradient_compression(self._compression_params)
            if update_on_kvstore:
                # set before init so multi-precision states are created by the store
                kvstore.set_optimizer(self._optimizer)
            self._kvstore = kvstore
            self._update_on_kvstore = update_on_kvstore
        else:
            self._kvstore = None
            self._update_on_kvstore = None
        self._kv_initialized = True

    def _create_kvstore(self, kvstore):
        """``(kvstore or None, update_on_kvstore)`` for dense weights."""
        kvs = _kvstore_module()
        if kvs is None:
            if isinstance(kvstore, str) and "dist" in kvstore:
                raise MXNetError(f"kvstore {kvstore!r} needs the mx-kvstore distribution: "
                                 "pip install mx-kvstore")
            if kvstore is None or isinstance(kvstore, str):
                return None, False
            return kvstore, False
        from ..model import _create_kvstore
        arrays = {p.name: p._check_and_get(p._data, list)[0] for p in self._params}
        if kvstore is not None and not isinstance(kvstore, (str, kvs.KVStore)):
            # a custom KVStoreBase subclass (e.g. Horovod-like)
            update = bool(int(os.getenv("MXNET_UPDATE_ON_KVSTORE", "1")))
            return kvstore, update and kvstore.is_capable("optimizer")
        return _create_kvstore(kvstore, len(self._contexts or ()), arrays)

    def _init_params(self):
        """Put initialized parameters into the kvstore; deferred ones wait."""
        pending = []
        if self._kvstore is not None:
            for param in self._params_to_init:
                if param._deferred_init:
                    pending.append(param)
                    continue
                arrays = param._check_and_get(param._data, list)
                idx = self._param2idx[param.name]
                if param._stype != "default":
                    self._kvstore.init(idx, arrays[0])
                else:
                    self._kvstore.broadcast(idx, arrays[0], arrays)
        self._params_to_init = pending

    def _prepare(self):
        if not self._kv_initialized:
            self._init_kvstore()
        if self._params_to_init:
            self._init_params()

    def _row_sparse_pull(self, parameter, out, row_id, full_idx=False):
        """Fetch rows of a row_sparse weight from the kvstore into ``out``."""
        self._prepare()
        idx = self._param2idx[parameter.name]
        if full_idx and "dist" not in self._kvstore.type:
            assert row_id.size == out.shape[0]
            self._kvstore.pull(idx, out=out, priority=-idx, ignore_sparse=False)
        else:
            self._kvstore.row_sparse_pull(idx, out=out, row_ids=row_id, priority=-idx)

    # -- public API ----------------------------------------------------------------
    @property
    def learning_rate(self):
        if not isinstance(self._optimizer, opt.Optimizer):
            raise UserWarning("Optimizer has to be defined before its learning rate can be "
                              "accessed.")
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        if isinstance(self._optimizer, opt.Optimizer):
            return self._optimizer
        raise UserWarning("Optimizer has not been initialized yet")

    def set_learning_rate(self, lr):
        if not isinstance(self._optimizer, opt.Optimizer):
            raise UserWarning("Optimizer has to be defined before its learning rate is "
                              "mutated.")
        self._optimizer.set_learning_rate(lr)

    def _check_and_rescale_grad(self, scale):
        if self._update_on_kvstore and self._distributed and self._kv_initialized:
            if self._optimizer.rescale_grad != scale:
                raise UserWarning("Possible change in the `batch_size` from previous `step` "
                                  "detected. Optimizer gradient normalizing factor will not "
                                  "change w.r.t new batch_size when update_on_kvstore=True "
                                  "and when distributed kvstore is used.")
        self._optimizer.rescale_grad = scale

    def step(self, batch_size, ignore_stale_grad=False):
        """All-reduce gradients, then update with ``rescale_grad = scale / batch_size``."""
        self._check_and_rescale_grad(self._scale / batch_size)
        self._prepare()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum gradients over contexts (only when the update happens here)."""
        self._prepare()
        assert not (self._kvstore and self._update_on_kvstore), \
            "allreduce_grads() when parameters are updated on kvstore is not supported. " \
            "Try setting `update_on_kvstore` to False when creating trainer."
        self._allreduce_grads()

    def _allreduce_grads(self):
        if self._kvstore is None:
            self._local_allreduce()
            return
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            grads = param.list_grad()
            if grads[0].stype != "default":
                # sparse gradients: push, then pull the weight or the reduced gradient
                self._kvstore.push(i, grads, priority=-i)
                if param._stype == "default":
                    pull = param.list_data() if self._update_on_kvstore else grads
                    self._kvstore.pull(i, pull, priority=-i,
                                       ignore_sparse=self._distributed)
            elif self._update_on_kvstore:
                self._kvstore.pushpull(i, grads, out=param.list_data(), priority=-i)
            else:
                self._kvstore.pushpull(i, grads, priority=-i)

    def _local_allreduce(self):
        """Sum gradients across contexts when no kvstore package is installed."""
        if _kvstore_module() is not None or len(self._contexts or ()) < 2:
            return
        if self._kvstore_params["kvstore"] is None:
            return
        for param in self._params:
            if param.grad_req == "null":
                continue
            grads = param.list_grad()
            total = grads[0].copy()
            for g in grads[1:]:
                total += g.as_in_context(total.context)
            for g in grads:
                total.copyto(g)

    def update(self, batch_size, ignore_stale_grad=False):
        """Apply the optimizer (after ``allreduce_grads``) without reducing again."""
        self._prepare()
        assert not (self._kvstore and self._update_on_kvstore), \
            "update() when parameters are updated on kvstore is not supported. Try " \
            "setting `update_on_kvstore` to False when creating trainer."
        self._check_and_rescale_grad(self._scale / batch_size)
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
        loss_scaler = getattr(self, "_amp_loss_scaler", None)
        if loss_scaler is not None and loss_scaler.has_overflow(self._params):
            return  # skip this step: the scaled gradients overflowed
        on_kvstore = self._kvstore is not None and self._update_on_kvstore
        updates = [[] for _ in self._updaters]
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            datas = param._check_and_get(param._data, list)
            if not ignore_stale_grad:
                for data in datas:
                    if not data._fresh_grad:
                        raise UserWarning(
                            f"Gradient of Parameter `{param.name}` on context "
                            f"{data.context} has not been updated by backward since last "
                            "`step`. This could mean a bug in your model that made it only "
                            "use a subset of the Parameters (Blocks) for this iteration. If "
                            "you are intentionally only using a subset, call step with "
                            "ignore_stale_grad=True to suppress this warning and skip "
                            "updating of Parameters with stale gradient")
            if on_kvstore:
                continue
            for upd, arr, grad in zip(updates, datas, param.list_grad()):
                if not ignore_stale_grad or arr._fresh_grad:
                    upd.append((i, grad, arr))
                    arr._fresh_grad = False
        if on_kvstore:
            return
        for updater, upd in zip(self._updaters, updates):
            if upd:
                idx, grads, arrs = zip(*upd)
                updater(list(idx), list(grads), list(arrs))

    def save_states(self, fname):
        """Write the optimizer states (MXNet's format)."""
        self._prepare()
        if self._update_on_kvstore:
            assert not self._params_to_init, "Cannot save trainer states when some " \
                "parameters are not yet initialized in kvstore."
            self._kvstore.save_optimizer_states(fname, dump_optimizer=True)
        else:
            _atomic_write(fname, self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Read optimizer states written by ``save_states``."""
        self._prepare()
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            self._optimizer = self._kvstore._updater.optimizer
        else:
            with open(fname, "rb") as f:
                states = f.read()
            for updater in self._updaters:
                updater.set_states(states)
                updater.optimizer = self._updaters[0].optimizer
            self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))


def _create_sparse_kvstore(kvstore):
    """The kvstore holding row_sparse weights (always updated on the kvstore)."""
    kvs = _kvstore_module()
    if kvs is None:
        raise MXNetError("row_sparse Parameters need the mx-kvstore distribution: "
                         "pip install mx-kvstore")
    if isinstance(kvstore, kvs.KVStore):
        kv = kvstore
    elif isinstance(kvstore, str):
        kv = kvs.create(kvstore)
    else:
        raise TypeError(f"Cannot create '{kvstore}' KVStore with row_sparse parameters. "
                        "The type must be KVStore or str.")
    assert kv.is_capable("optimizer"), \
        "KVStore with sparse weight requires optimizer support. However, type(kv) does " \
        "not support optimizer. Please consider other kvstore backends (e.g. dist_device) " \
        "instead."
    return kv, True


def _atomic_write(fname, data):
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(fname)),
                               prefix=".tmp-", suffix=".states")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, fname)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
