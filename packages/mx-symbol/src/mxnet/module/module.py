"""Module: a Symbol bound to an executor, with parameters and an optimizer."""
import logging
import warnings

from ..base import MXNetError
from ..context import Context, cpu
from .base_module import BaseModule

__all__ = ["Module"]


def _names_shapes(descs):
    out = []
    for d in descs or []:
        if hasattr(d, "name"):
            out.append((d.name, tuple(d.shape), getattr(d, "dtype", None)))
        else:
            out.append((d[0], tuple(d[1]), None))
    return out


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
                raise MXNetError(f"Module: data name {name!r} is not an argument of the "
                                 f"symbol {arg_names}")
        self._label_names = [n for n in self._label_names if n in arg_names]
        self._param_names = [n for n in arg_names if n not in inputs]
        self._aux_names = symbol.list_auxiliary_states()
        self._output_names = symbol.list_outputs()
        self._arg_params = None
        self._aux_params = None
        self._exec = None
        self._data_shapes = self._label_shapes = None
        self._optimizer = self._updater = self._kvstore = None
        self._preload_opt_states = None

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
        from ..model import save_checkpoint
        self._symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
        arg_params, aux_params = self.get_params()
        save_checkpoint(prefix, epoch, None, arg_params, aux_params)
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
        return self._data_shapes

    @property
    def label_shapes(self):
        return self._label_shapes

    @property
    def output_shapes(self):
        assert self.binded
        return [(n, o.shape) for n, o in zip(self._output_names, self._exec.outputs)] \
            if self._exec.outputs else self._infer_output_shapes()

    def _infer_output_shapes(self):
        shapes = {n: s for n, s, _ in self._data_shapes + (self._label_shapes or [])}
        _, outs, _ = self._symbol.infer_shape(**shapes)
        return list(zip(self._output_names, outs))

    # -- parameters ----------------------------------------------------------------
    def get_params(self):
        assert self.binded and self.params_initialized
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
        self._check_extra(arg_params, aux_params, allow_extra)
        self.params_initialized = True

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
        self._exec.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)
        self.params_initialized = True

    # -- binding -------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True,
             inputs_need_grad=False, force_rebind=False, shared_module=None,
             grad_req="write"):
        if self.binded and not force_rebind:
            self.logger.warning("Already bound, ignoring bind()")
            return
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._data_shapes = _names_shapes(data_shapes)
        self._label_shapes = _names_shapes(label_shapes) if label_shapes else None
        shapes = {n: s for n, s, _ in self._data_shapes + (self._label_shapes or [])}
        types = {n: t for n, s, t in self._data_shapes + (self._label_shapes or [])
                 if t is not None}
        reqs = {}
        for name in self._symbol.list_arguments():
            if name in self._param_names:
                fixed = name in self._fixed_param_names
                reqs[name] = "null" if not for_training or fixed else grad_req
            else:
                reqs[name] = grad_req if inputs_need_grad and name in self._data_names \
                    else "null"
        shared = shared_module._exec if shared_module is not None else None
        if shared is None and self._exec is not None:
            shared = self._exec
        self._exec = self._symbol.simple_bind(self._context[0], grad_req=reqs,
                                              type_dict=types, shared_exec=shared,
                                              **shapes)
        if shared_module is not None:
            self.params_initialized = shared_module.params_initialized
        args = self._exec.arg_dict
        given_args, given_aux = self._arg_params, self._aux_params
        self._arg_params = {n: args[n] for n in self._param_names}
        self._aux_params = dict(self._exec.aux_dict)
        if given_args is not None:           # loaded by Module.load before binding
            self._exec.copy_params_from(given_args, given_aux, allow_extra_params=True)
        self.binded = True

    def reshape(self, data_shapes, label_shapes=None):
        assert self.binded
        self.bind(data_shapes, label_shapes, self.for_training, self.inputs_need_grad,
                  force_rebind=True)

    # -- optimizer -----------------------------------------------------------------
    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        assert self.binded and self.params_initialized
        from .. import optimizer as opt
        if self.optimizer_initialized and not force_init:
            self.logger.warning("optimizer already initialized, ignoring...")
            return
        batch_size = self._data_shapes[0][1][0]
        idx2name = dict(enumerate(self._param_names))
        if isinstance(optimizer, str):
            params = dict(optimizer_params)
            params.setdefault("rescale_grad", 1.0 / batch_size)
            optimizer = opt.create(optimizer, sym=self._symbol, param_idx2name=idx2name,
                                   **params)
        elif not optimizer.idx2name:
            optimizer.idx2name = idx2name.copy()
        self._optimizer = optimizer
        self._updater = opt.get_updater(optimizer)
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def borrow_optimizer(self, shared_module):
        assert shared_module.optimizer_initialized
        self._optimizer = shared_module._optimizer
        self._updater = shared_module._updater
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname):
        assert self.optimizer_initialized
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
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    # -- computation ---------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        assert self.binded and self.params_initialized
        if is_train is None:
            is_train = self.for_training
        shapes = [tuple(d.shape) for d in data_batch.data]
        if shapes != [s for _, s, _ in self._data_shapes]:
            new_data = [(n, s) for (n, _, _), s in zip(self._data_shapes, shapes)]
            new_label = None
            if data_batch.label and self._label_shapes:
                new_label = [(n, tuple(lab.shape)) for (n, _, _), lab in
                             zip(self._label_shapes, data_batch.label)]
            self.reshape(new_data, new_label)
        feed = dict(zip(self._data_names, data_batch.data))
        if data_batch.label and self._label_shapes:
            feed.update(zip([n for n, _, _ in self._label_shapes], data_batch.label))
        args = self._exec.arg_dict
        for name, value in feed.items():
            value.astype(args[name].dtype, copy=False).copyto(args[name])
        self._exec.forward(is_train=is_train)

    def backward(self, out_grads=None):
        assert self.binded and self.params_initialized
        self._exec.backward(out_grads=out_grads)

    def update(self):
        assert self.binded and self.params_initialized and self.optimizer_initialized
        grads = self._exec.grad_dict
        for index, name in enumerate(self._param_names):
            grad = grads.get(name)
            if grad is None:
                continue
            self._updater(index, grad, self._arg_params[name])

    def get_outputs(self, merge_multi_context=True):
        assert self.binded and self.params_initialized
        outs = self._exec.outputs
        return outs if merge_multi_context else [[o] for o in outs]

    def get_input_grads(self, merge_multi_context=True):
        assert self.binded and self.params_initialized and self.inputs_need_grad
        grads = [self._exec.grad_dict[n] for n in self._data_names]
        return grads if merge_multi_context else [[g] for g in grads]

    def get_states(self, merge_multi_context=True):
        args = self._exec.arg_dict
        return [args[n] for n in self._state_names]

    def set_states(self, states=None, value=None):
        args = self._exec.arg_dict
        for i, name in enumerate(self._state_names):
            if states is not None:
                states[i].copyto(args[name])
            else:
                args[name][:] = value

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        eval_metric.update(labels, self.get_outputs())

    def install_monitor(self, mon):
        mon.install(self._exec)


