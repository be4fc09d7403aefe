"""Trainer: applies an optimizer to a set of Parameters after ``backward``."""
from .. import optimizer as opt
from ..base import MXNetError
from ..plugins import get_registry
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer"]


class Trainer:
    """Update ``params`` with ``optimizer``; ``step(batch_size)`` after each backward.

    The kvstore is looked up by name in the kvstore registry (mx-kvstore registers
    ``dist_*`` types); without one, gradients of several contexts are summed here.
    """

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = list(params.values())
        if not isinstance(params, (list, tuple)):
            raise ValueError("First argument must be a list or dict of Parameters, got "
                             f"{type(params)}.")
        self._params = []
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError("First argument must be a list or dict of Parameters, got "
                                 f"list of {type(param)}.")
            self._param2idx[param.name] = i
            self._params.append(param)
            param._trainer = self
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        optimizer_params = dict(optimizer_params or {})
        self._scale = float(optimizer_params.get("rescale_grad", 1.0))
        self._init_optimizer(optimizer, optimizer_params)
        self._kvstore_type = kvstore
        self._update_on_kvstore = update_on_kvstore
        self._kvstore = None
        self._kv_initialized = False

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            try:
                ctx = param.list_ctx()
            except RuntimeError:
                continue
            if contexts is not None and contexts != ctx:
                raise MXNetError(f"All Parameters must be initialized on the same set of "
                                 f"contexts, but Parameter {param.name} is initialized on "
                                 f"{ctx} while previous Parameters are initialized on "
                                 f"{contexts}.")
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise MXNetError("optimizer_params must be None if optimizer is an "
                                 "instance of Optimizer instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict,
                                         **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer)
                          for _ in (self._contexts or [None])]

    def _init_kvstore(self):
        self._contexts = self._contexts or self._check_contexts()
        kind = self._kvstore_type
        name = kind if isinstance(kind, str) else getattr(kind, "type", None)
        if name and name.startswith("dist"):
            factory = get_registry("kvstores").get(name)
            if factory is None:
                raise MXNetError(f"kvstore {name!r} needs the mx-kvstore distribution: "
                                 "pip install mx-kvstore")
            self._kvstore = factory(name) if isinstance(kind, str) else kind
            for i, param in enumerate(self._params):
                self._kvstore.init(i, param.list_data()[0])
        elif not isinstance(kind, (str, type(None))):
            self._kvstore = kind
        self._kv_initialized = True

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr):
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """All-reduce gradients, then update with ``rescale_grad = scale / batch_size``."""
        self._optimizer.rescale_grad = self._scale / batch_size
        if not self._kv_initialized:
            self._init_kvstore()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        if not self._kv_initialized:
            self._init_kvstore()
        self._allreduce_grads()

    def _allreduce_grads(self):
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            grads = param.list_grad()
            if self._kvstore is not None:
                self._kvstore.push(i, grads, priority=-i)
                self._kvstore.pull(i, grads, priority=-i, ignore_sparse=True)
            elif len(grads) > 1:
                total = grads[0].copy()
                for g in grads[1:]:
                    total += g.as_in_context(total.context)
                for g in grads:
                    total.copyto(g)

    def update(self, batch_size, ignore_stale_grad=False):
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            datas = param.list_data()
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
            for updater, arr, grad in zip(self._updaters, datas, param.list_grad()):
                if not ignore_stale_grad or arr._fresh_grad:
                    updater(i, grad, arr)
                    arr._fresh_grad = False

    def save_states(self, fname):
        """Write the optimizer states (MXNet's format) atomically."""
        import os
        import tempfile
        data = self._updaters[0].get_states(dump_optimizer=True)
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

    def load_states(self, fname):
        with open(fname, "rb") as f:
            states = f.read()
        for updater in self._updaters:
            updater.set_states(states)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
