"""Module: a Symbol bound to an executor, with parameters and an optimizer."""
import logging
import numbers
import warnings

from .. import ndarray as nd
from ..base import MXNetError
from ..context import Context, cpu
from ..io import DataDesc
from .base_module import BaseModule
from .executor_group import DataParallelExecutorGroup

__all__ = ["Module"]


def _parse_data_desc(data_names, label_names, data_shapes, label_shapes):
    """``DataDesc`` lists of the data and label shapes, checked against the names."""
    data = [_desc(x) for x in data_shapes]
    _check_names(data_names, data, "data")
    if label_shapes is None:
        return data, None
    label = [_desc(x) for x in label_shapes]
    _check_names(label_names, label, "label", throw=False)
    return data, label


def _desc(x):
    desc = x if isinstance(x, DataDesc) else DataDesc(*x)
    if not isinstance(desc.shape, (tuple, list)) or \
            not all(isinstance(d, numbers.Integral) for d in desc.shape):
        raise TypeError(f"Module.bind: the shape of {desc.name!r} must be a tuple of "
                        f"ints, got {desc.shape!r}")
    return desc


def _check_names(names, descs, what, throw=True):
    actual = [d.name for d in descs]
    if sorted(names) != sorted(actual):
        msg = (f"Data provided by {what}_shapes don't match names specified by "
               f"{what}_names ({actual} vs. {names})")
        if throw:
            raise ValueError(msg)
        warnings.warn(msg, stacklevel=3)


class Module(BaseModule):
    """Train and run a Symbol: bind, init_params, init_optimizer, forward/backward/update.

    A list of contexts is accepted for compatibility; the batch runs on the first.
    """

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=logging, context=None, work_load_list=None,
                 fixed_param_names=None, state_names=None, group2ctxs=None,
                 compression_params=None):
        super().__init__(logger=logger)
        context = cpu() if context is None else context
        self._context = context if isinstance(context, (list, tuple)) else [context]
        if not all(isinstance(c, Context) for c in self._context):
            raise MXNetError("Module: context must be a Context or a list of Contexts")
        self._symbol = symbol
        self._data_names = list(data_names or [])
        self._label_names = list(label_names or [])
        self._state_names = list(state_names or [])
        self._fixed_param_names = list(fixed_param_names or [])
        arg_names = symbol.list_arguments()
        inputs = set(self._data_names + self._label_names + self._state_names)
        for name in self._data_names:
            if name not in arg_names:
                raise ValueError(f"You created Module with Module(..., data_names="
                                 f"{self._data_names}) but input with name {name!r} is "
                                 f"not found in symbol.list_arguments() {arg_names}")
        self._label_names = [n for n in self._label_names if n in arg_names]
        self._param_names = [n for n in arg_names if n not in inputs]
        self._aux_names = symbol.list_auxiliary_states()
        self._output_names = symbol.list_outputs()
        self._arg_params = None
        self._aux_params = None
        self._work_load_list = work_load_list
        self._group2ctxs = group2ctxs
        self._compression_params = compression_params
        self._exec_group = None
        self._data_shapes = self._label_shapes = None
        self._optimizer = self._updater = self._kvstore = None
        self._update_on_kvstore = None
        self._preload_opt_states = None
        self._params_dirty = False
        self._grad_req = None
        self._total_exec_bytes = 0

    # -- checkpoints ---------------------------------------------------------------
    @staticmethod
    def load(prefix, epoch, load_optimizer_states=False, **kwargs):
        from ..model import load_checkpoint
        sym, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=sym, **kwargs)
        mod._arg_params, mod._aux_params = args, auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = "%s-%04d.states" % (prefix, epoch)
        return mod

    def save_checkpoint(self, prefix, epoch, save_optimizer_states=False,
                        remove_amp_cast=True):
        self._symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
        self.save_params("%s-%04d.params" % (prefix, epoch))
        if save_optimizer_states:
            self.save_optimizer_states("%s-%04d.states" % (prefix, epoch))

    # -- descriptions --------------------------------------------------------------
    @property
    def data_names(self):
        return self._data_names

    @property
    def label_names(self):
        return self._label_names

    @property
    def output_names(self):
        return self._output_names

    @property
    def data_shapes(self):
        assert self.binded
        return self._data_shapes

    @property
    def label_shapes(self):
        assert self.binded
        return self._label_shapes

    @property
    def output_shapes(self):
        assert self.binded
        return self._exec_group.get_output_shapes()

    # -- parameters ----------------------------------------------------------------
    def get_params(self):
        assert self.params_initialized
        if self._params_dirty:
            self._sync_params_from_devices()
        return self._arg_params, self._aux_params

    def init_params(self, initializer=None, arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "init_params call ignored.", stacklevel=2)
            return
        assert self.binded, "call bind before initializing the parameters"
        from ..initializer import InitDesc, Uniform
        initializer = Uniform(0.01) if initializer is None else initializer
        attrs = self._symbol.attr_dict()

        def fill(name, arr, given):
            if given is not None and name in given:
                if given[name] is not arr:
                    given[name].astype(arr.dtype).copyto(arr)
            elif given is not None and not allow_missing:
                raise RuntimeError(f"{name} is not presented")
            elif initializer is not None:
                initializer(InitDesc(name, attrs.get(name)), arr)
        for name, arr in sorted(self._arg_params.items()):
            fill(name, arr, arg_params)
        for name, arr in sorted(self._aux_params.items()):
            fill(name, arr, aux_params)
        self.params_initialized = True
        self._params_dirty = False
        self._exec_group.set_params(self._arg_params, self._aux_params,
                                    allow_extra=allow_extra)
        self._check_extra(arg_params, aux_params, allow_extra)

    def _check_extra(self, arg_params, aux_params, allow_extra):
        if allow_extra:
            return
        for given, known in ((arg_params, self._arg_params), (aux_params, self._aux_params)):
            extra = set(given or {}) - set(known) - set(self._data_names) \
                - set(self._label_names)
            if extra:
                raise ValueError(f"Found parameters not needed by the symbol: "
                                 f"{sorted(extra)} (pass allow_extra=True)")

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params,
                             aux_params=aux_params, allow_missing=allow_missing,
                             force_init=force_init, allow_extra=allow_extra)
            return
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "set_params call ignored.", stacklevel=2)
            return
        self._exec_group.set_params(arg_params, aux_params, allow_extra=allow_extra)
        # the devices now hold newer values than self._arg_params
        self._params_dirty = True
        self.params_initialized = True

    def _sync_params_from_devices(self):
        self._exec_group.get_params(self._arg_params, self._aux_params)
        self._params_dirty = False

    # -- binding -------------------------------------------------------------------
    def _reset_bind(self):
        self.binded = False
        self._exec_group = None
        self._data_shapes = self._label_shapes = None

    def bind(self, data_shapes, label_shapes=None, for_training=True,
             inputs_need_grad=False, force_rebind=False, shared_module=None,
             grad_req="write"):
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if not for_training and inputs_need_grad:
            raise MXNetError("Module.bind: inputs_need_grad needs for_training=True")
        data_descs, label_descs = _parse_data_desc(self._data_names, self._label_names,
                                                   data_shapes, label_shapes)
        shared_group = None
        if shared_module is not None:
            assert isinstance(shared_module, Module) and shared_module.binded \
                and shared_module.params_initialized
            shared_group = shared_module._exec_group
        self._exec_group = DataParallelExecutorGroup(
            self._symbol, self._context, self._work_load_list, data_descs, label_descs,
            self._param_names, for_training, inputs_need_grad, shared_group,
            logger=self.logger, fixed_param_names=self._fixed_param_names,
            grad_req=grad_req, group2ctxs=self._group2ctxs, state_names=self._state_names)
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        self._grad_req = grad_req
        self._data_shapes, self._label_shapes = data_descs, label_descs
        self._total_exec_bytes = self._exec_group._total_exec_bytes
        if shared_module is not None:
            self.params_initialized = True
            self._arg_params = shared_module._arg_params
            self._aux_params = shared_module._aux_params
        elif self.params_initialized:
            # loaded by Module.load, or re-bound: push the host copies to the devices
            self._exec_group.set_params(self._arg_params, self._aux_params,
                                        allow_extra=True)
        else:
            group = self._exec_group
            self._arg_params = {n: nd.zeros(a[0].shape, dtype=a[0].dtype, stype=a[0].stype)
                                for n, a in zip(self._param_names, group.param_arrays)}
            self._aux_params = {n: nd.zeros(a[0].shape, dtype=a[0].dtype, stype=a[0].stype)
                                for n, a in zip(self._aux_names, group.aux_arrays)}
        if shared_module is not None and shared_module.optimizer_initialized:
            self.borrow_optimizer(shared_module)
        self.binded = True

    def reshape(self, data_shapes, label_shapes=None):
        assert self.binded
        self._data_shapes, self._label_shapes = _parse_data_desc(
            self._data_names, self._label_names, data_shapes, label_shapes)
        self._exec_group.reshape(self._data_shapes, self._label_shapes)

    # -- optimizer -----------------------------------------------------------------
    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        assert self.binded and self.params_initialized
        from .. import optimizer as opt
        from ..model import _create_kvstore, _initialize_kvstore
        if self.optimizer_initialized and not force_init:
            self.logger.warning("optimizer already initialized, ignoring...")
            return
        if self._params_dirty:
            self._sync_params_from_devices()
        kvstore, update_on_kvstore = _create_kvstore(kvstore, len(self._context),
                                                     self._arg_params)
        batch_size = self._exec_group.batch_size
        if kvstore and "dist" in kvstore.type and "_sync" in kvstore.type:
            batch_size *= kvstore.num_workers
        rescale_grad = 1.0 / batch_size
        names = self._exec_group.param_names
        if update_on_kvstore:
            idx2name = dict(enumerate(names))
        else:
            n_dev = len(self._context)
            idx2name = {i * n_dev + k: n for k in range(n_dev) for i, n in enumerate(names)}
        if isinstance(optimizer, str):
            params = dict(optimizer_params)
            params.setdefault("rescale_grad", rescale_grad)
            optimizer = opt.create(optimizer, sym=self._symbol, param_idx2name=idx2name,
                                   **params)
        else:
            if not isinstance(optimizer, opt.Optimizer):
                raise MXNetError("init_optimizer: optimizer must be a name or an Optimizer")
            if optimizer.rescale_grad != rescale_grad:
                warnings.warn("Optimizer created manually outside Module but rescale_grad "
                              "is not normalized to 1.0/batch_size/num_workers (%s vs. %s). "
                              "Is this intended?" % (optimizer.rescale_grad, rescale_grad),
                              stacklevel=2)
            if not optimizer.idx2name:
                optimizer.idx2name = idx2name.copy()
        self._optimizer = optimizer
        self._kvstore = kvstore
        self._update_on_kvstore = update_on_kvstore
        self._updater = None
        if kvstore:
            if self._compression_params:
                kvstore.set_gradient_compression(self._compression_params)
            if update_on_kvstore:
                kvstore.set_optimizer(self._optimizer)
            _initialize_kvstore(kvstore=kvstore, param_arrays=self._exec_group.param_arrays,
                                arg_params=self._arg_params, param_names=self._param_names,
                                update_on_kvstore=update_on_kvstore)
        if not update_on_kvstore:
            self._updater = opt.get_updater(optimizer)
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def borrow_optimizer(self, shared_module):
        assert shared_module.optimizer_initialized
        self._optimizer = shared_module._optimizer
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self._updater = shared_module._updater
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname):
        assert self.optimizer_initialized
        if self._update_on_kvstore:
            self._kvstore.save_optimizer_states(fname)
            return
        import os
        import tempfile
        folder = os.path.dirname(os.path.abspath(fname))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".states")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(self._updater.get_states())
            os.replace(tmp, fname)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def load_optimizer_states(self, fname):
        assert self.optimizer_initialized
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            return
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    # -- computation ---------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        assert self.binded and self.params_initialized
        current = tuple(d.shape for d in self._data_shapes)
        if isinstance(data_batch, list):
            shapes = []
            for i in range(len(data_batch[0].data)):
                shape = data_batch[0].data[i].shape
                shapes.append((len(data_batch) * shape[0],) + tuple(shape[1:]))
            new_shapes = tuple(shapes)
        else:
            new_shapes = tuple(tuple(d.shape) for d in data_batch.data)
        if current != new_shapes:
            provide_data = getattr(data_batch, "provide_data", None)
            new_data = provide_data or [DataDesc(d.name, s, d.dtype, d.layout)
                                        for d, s in zip(self._data_shapes, new_shapes)]
            provide_label = getattr(data_batch, "provide_label", None)
            label = getattr(data_batch, "label", None)
            if provide_label:
                new_label = provide_label
            elif label and self._label_shapes:
                new_label = [DataDesc(d.name, x.shape, d.dtype, d.layout)
                             for d, x in zip(self._label_shapes, label)]
            else:
                new_label = None
            self.reshape(new_data, new_label)
        self._exec_group.forward(data_batch, is_train)

    def backward(self, out_grads=None):
        assert self.binded and self.params_initialized
        self._exec_group.backward(out_grads=out_grads)

    def update(self):
        assert self.binded and self.params_initialized and self.optimizer_initialized
        from ..model import _update_params, _update_params_on_kvstore
        self._params_dirty = True
        group = self._exec_group
        if self._update_on_kvstore:
            _update_params_on_kvstore(group.param_arrays, group.grad_arrays,
                                      self._kvstore, group.param_names)
        else:
            _update_params(group.param_arrays, group.grad_arrays, updater=self._updater,
                           num_device=len(self._context), kvstore=self._kvstore,
                           param_names=group.param_names)

    def get_outputs(self, merge_multi_context=True):
        assert self.binded and self.params_initialized
        return self._exec_group.get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        assert self.binded and self.params_initialized and self.inputs_need_grad
        return self._exec_group.get_input_grads(merge_multi_context=merge_multi_context)

    def get_states(self, merge_multi_context=True):
        assert self.binded and self.params_initialized
        return self._exec_group.get_states(merge_multi_context=merge_multi_context)

    def set_states(self, states=None, value=None):
        assert self.binded and self.params_initialized
        self._exec_group.set_states(states, value)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        self._exec_group.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon):
        assert self.binded
        self._exec_group.install_monitor(mon)
