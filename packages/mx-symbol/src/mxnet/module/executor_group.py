"""``DataParallelExecutorGroup``: one executor per context, each on a slice of the batch.

MXNet's Module drives training through this class; our Module binds a single executor
itself, so this is the stand-alone group for code that builds one directly.
"""
import logging

from ..base import MXNetError
from ..ndarray import concat as _concat

__all__ = ["DataParallelExecutorGroup"]


def _split_input_slice(batch_size, work_load_list):
    """Slices of ``range(batch_size)`` proportional to ``work_load_list``."""
    total = sum(work_load_list)
    sizes = [int(round(w * batch_size / total)) for w in work_load_list]
    sizes[-1] = batch_size - sum(sizes[:-1])
    slices, start = [], 0
    for size in sizes:
        if size <= 0:
            raise MXNetError("Too many slices: some splits are empty")
        slices.append(slice(start, start + size))
        start += size
    return slices


def _descs(shapes):
    out = []
    for d in shapes or []:
        if hasattr(d, "name"):
            out.append((d.name, tuple(d.shape), getattr(d, "layout", "NCHW")))
        else:
            out.append((d[0], tuple(d[1]), "NCHW"))
    return out


def _batch_axis(layout):
    return layout.find("N") if layout else 0


class DataParallelExecutorGroup:
    """Executors of ``symbol`` on ``contexts``; inputs are split along the batch axis."""

    def __init__(self, symbol, contexts, workload, data_shapes, label_shapes, param_names,
                 for_training, inputs_need_grad, shared_group=None, logger=logging,
                 fixed_param_names=None, grad_req="write", state_names=None,
                 group2ctxs=None):
        self.symbol = symbol
        self.contexts = list(contexts)
        self.workload = list(workload or [1] * len(self.contexts))
        self.param_names = list(param_names)
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self.fixed_param_names = list(fixed_param_names or [])
        self.state_names = list(state_names or [])
        self.grad_req = grad_req
        self.shared_data_arrays = shared_group.shared_data_arrays if shared_group \
            else [{} for _ in self.contexts]
        self.execs = []
        self.bind_exec(data_shapes, label_shapes, shared_group)

    # -- binding -------------------------------------------------------------------
    def _req(self, name, data_names):
        if not self.for_training:
            return "null"
        if name in self.param_names:
            return "null" if name in self.fixed_param_names else (
                self.grad_req if isinstance(self.grad_req, str)
                else self.grad_req.get(name, "write"))
        if name in data_names:
            return "write" if self.inputs_need_grad else "null"
        return "null"

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape=False):
        self.data_shapes = _descs(data_shapes)
        self.label_shapes = _descs(label_shapes) if label_shapes else None
        self.data_names = [d[0] for d in self.data_shapes]
        self.label_names = [d[0] for d in self.label_shapes or []]
        self.batch_size = self.data_shapes[0][1][_batch_axis(self.data_shapes[0][2])]
        self.slices = _split_input_slice(self.batch_size, self.workload)
        inputs = self.data_shapes + (self.label_shapes or [])
        old = self.execs
        self.execs = []
        for i, ctx in enumerate(self.contexts):
            shapes = {}
            for name, shape, layout in inputs:
                axis = _batch_axis(layout)
                sl = self.slices[i]
                shapes[name] = shape[:axis] + (sl.stop - sl.start,) + shape[axis + 1:]
            reqs = {n: self._req(n, self.data_names) for n in self.arg_names}
            shared = old[i] if old else (shared_group.execs[i] if shared_group else None)
            self.execs.append(self.symbol.simple_bind(ctx, grad_req=reqs,
                                                      shared_exec=shared, **shapes))
        self.param_arrays = [[e.arg_dict[n] for e in self.execs] for n in self.param_names]
        self.grad_arrays = [[e.grad_dict.get(n) for e in self.execs]
                            for n in self.param_names] if self.for_training else []
        self.aux_arrays = [[e.aux_dict[n] for e in self.execs] for n in self.aux_names]
        self.input_grad_arrays = [[e.grad_dict.get(n) for e in self.execs]
                                  for n in self.data_names] if self.inputs_need_grad else []

    def reshape(self, data_shapes, label_shapes):
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    # -- parameters ----------------------------------------------------------------
    def set_params(self, arg_params, aux_params, allow_extra=False):
        for exe in self.execs:
            exe.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params, aux_params):
        """Average the copies on every context into ``arg_params``/``aux_params``."""
        for name, blocks in zip(self.param_names, self.param_arrays):
            mean = sum(b.copyto(blocks[0].context) for b in blocks) / len(blocks)
            mean.astype(arg_params[name].dtype).copyto(arg_params[name])
        for name, blocks in zip(self.aux_names, self.aux_arrays):
            mean = sum(b.copyto(blocks[0].context) for b in blocks) / len(blocks)
            mean.astype(aux_params[name].dtype).copyto(aux_params[name])

    # -- running -------------------------------------------------------------------
    def _load(self, arrays, names, descs):
        for (name, _, layout), arr in zip(descs, arrays):
            axis = _batch_axis(layout)
            for exe, sl in zip(self.execs, self.slices):
                part = arr.slice_axis(axis=axis, begin=sl.start, end=sl.stop) \
                    if len(self.execs) > 1 else arr
                part.copyto(exe.arg_dict[name])

    def forward(self, data_batch, is_train=None):
        self._load(data_batch.data, self.data_names, self.data_shapes)
        if self.label_shapes and data_batch.label:
            self._load(data_batch.label, self.label_names, self.label_shapes)
        is_train = self.for_training if is_train is None else is_train
        for exe in self.execs:
            exe.forward(is_train=is_train)

    def backward(self, out_grads=None):
        if not self.for_training:
            raise MXNetError("re-bind with for_training=True to run backward")
        for i, exe in enumerate(self.execs):
            grads = None
            if out_grads is not None:
                sl = self.slices[i]
                grads = [g.slice_axis(axis=0, begin=sl.start, end=sl.stop)
                         if len(self.execs) > 1 else g for g in out_grads]
            exe.backward(out_grads=grads)

    def _merge(self, per_output, merge):
        if not merge:
            return per_output
        return [blocks[0] if len(blocks) == 1 else
                _concat(*[b.as_in_context(self.contexts[0]) for b in blocks], dim=0)
                for blocks in per_output]

    def get_outputs(self, merge_multi_context=True, begin=0, end=None):
        n = len(self.execs[0].outputs)
        per_output = [[e.outputs[i] for e in self.execs] for i in range(begin, end or n)]
        return self._merge(per_output, merge_multi_context)

    def get_output_shapes(self):
        return [(name, out.shape) for name, out in
                zip(self.symbol.list_outputs(), self.get_outputs())]

    def get_states(self, merge_multi_context=True):
        per_state = [[e.arg_dict[n] for e in self.execs] for n in self.state_names]
        return self._merge(per_state, merge_multi_context)

    def set_states(self, states=None, value=None):
        for i, name in enumerate(self.state_names):
            for j, exe in enumerate(self.execs):
                if value is not None:
                    exe.arg_dict[name][:] = value
                else:
                    states[i][j].copyto(exe.arg_dict[name])

    def get_input_grads(self, merge_multi_context=True):
        return self._merge(self.input_grad_arrays, merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        for i, exe in enumerate(self.execs):
            sl = self.slices[i]
            part = labels[i] if pre_sliced else [
                label.slice_axis(axis=0, begin=sl.start, end=sl.stop)
                if len(self.execs) > 1 else label for label in labels]
            eval_metric.update(part, exe.outputs)

    def install_monitor(self, mon):
        for exe in self.execs:
            mon.install(exe)
