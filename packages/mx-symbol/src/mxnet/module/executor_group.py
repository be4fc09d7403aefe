"""``DataParallelExecutorGroup``: one executor per context, each on a slice of the batch.

Module drives training through this class, as in MXNet: every input is split along its
batch axis (the position of ``N`` in its layout; ``-1`` = not split), parameters are
bound once per context, and outputs/gradients are merged back along the same axis.
"""
import logging
from collections import OrderedDict

from .. import ndarray as nd
from ..base import MXNetError
from ..context import Context, cpu
from ..io import DataDesc

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


def _prepare_group2ctxs(group2ctxs, ctx_len):
    """One ``{group: context}`` dict per context from a dict or a per-context list."""
    if group2ctxs is None:
        return [None] * ctx_len
    if isinstance(group2ctxs, list):
        if len(group2ctxs) != ctx_len:
            raise MXNetError(f"length of group2ctxs should be {ctx_len}")
        return group2ctxs
    ret = [{} for _ in range(ctx_len)]
    for group, value in group2ctxs.items():
        ctxs = [value] * ctx_len if isinstance(value, Context) else list(value)
        if len(ctxs) == 1:
            ctxs = ctxs * ctx_len
        if len(ctxs) != ctx_len:
            raise MXNetError(f"length of group2ctxs[{group}] should be {ctx_len} or 1")
        for i in range(ctx_len):
            ret[i][group] = ctxs[i]
    return ret


def _copy(src, dst):
    if src.dtype != dst.dtype:
        src = src.astype(dst.dtype)
    src.copyto(dst)


def _load_general(data, targets, major_axis):
    """Copy each source array (or its batch slice) into every executor's array."""
    for d_src, d_targets, axis in zip(data, targets, major_axis):
        if isinstance(d_targets, nd.NDArray):
            _copy(d_src, d_targets)
        elif isinstance(d_src, (list, tuple)):
            for src, dst in zip(d_src, d_targets):
                _copy(src, dst)
        else:
            for sl, d_dst in d_targets:
                whole = axis < 0 or (sl.start == 0 and d_src.shape[axis] == sl.stop)
                part = d_src if whole else nd.slice_axis(d_src, axis=axis, begin=sl.start,
                                                         end=sl.stop)
                _copy(part.as_in_context(d_dst.context), d_dst)


def _load_data(batch, targets, major_axis):
    data = [[b.data[i] for b in batch] for i in range(len(targets))] \
        if isinstance(batch, list) else batch.data
    _load_general(data, targets, major_axis)


def _load_label(batch, targets, major_axis):
    label = [[b.label[i] for b in batch] for i in range(len(targets))] \
        if isinstance(batch, list) else batch.label
    _load_general(label, targets, major_axis)


def _merge_multi_context(outputs, major_axis):
    """Concatenate per-context arrays along their batch axis (axis < 0: first copy)."""
    rets = []
    for tensors, axis in zip(outputs, major_axis):
        if axis >= 0 and len(tensors) > 1:
            ctx = tensors[0].context
            rets.append(nd.concat(*[t.as_in_context(ctx) for t in tensors], dim=axis))
        else:
            rets.append(tensors[0])
    return rets


def _as_desc(desc):
    return desc if isinstance(desc, DataDesc) else DataDesc(*desc)


class DataParallelExecutorGroup:
    """Executors of ``symbol`` on ``contexts``; inputs are split along the batch axis."""

    def __init__(self, symbol, contexts, workload, data_shapes, label_shapes, param_names,
                 for_training, inputs_need_grad, shared_group=None, logger=logging,
                 fixed_param_names=None, grad_req="write", state_names=None,
                 group2ctxs=None):
        self.param_names = list(param_names)
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.symbol = symbol
        self.contexts = list(contexts)
        self.workload = list(workload) if workload else [1] * len(self.contexts)
        self.group2ctxs = _prepare_group2ctxs(group2ctxs, len(self.contexts))
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self.fixed_param_names = list(fixed_param_names or [])
        self.state_names = list(state_names or [])
        data_names = [_as_desc(x).name for x in data_shapes]
        self.grad_req = self._grad_reqs("null" if not for_training else grad_req,
                                        data_names)
        self.shared_data_arrays = shared_group.shared_data_arrays if shared_group \
            else [{} for _ in self.contexts]
        self.batch_size = None
        self.slices = None
        self.execs = []
        self._default_execs = None
        self.label_layouts = []
        self.output_names = self.symbol.list_outputs()
        self.output_layouts = [DataDesc.get_batch_axis(symbol[name].attr("__layout__"))
                               for name in self.output_names]
        self.num_outputs = len(self.output_names)
        self._total_exec_bytes = 0
        self.bind_exec(data_shapes, label_shapes, shared_group)

    def _grad_reqs(self, grad_req, data_names):
        if isinstance(grad_req, (list, tuple)):
            if len(grad_req) != len(self.arg_names):
                raise MXNetError("grad_req: one request per argument expected")
            return dict(zip(self.arg_names, grad_req))
        default = grad_req if isinstance(grad_req, str) else "write"
        reqs = {}
        for name in self.arg_names:
            if name in self.param_names:
                reqs[name] = "null" if name in self.fixed_param_names else default
            elif name in data_names:
                reqs[name] = default if self.inputs_need_grad else "null"
            else:
                reqs[name] = "null"
        if isinstance(grad_req, dict):
            reqs.update(grad_req)
        return reqs

    # -- binding -------------------------------------------------------------------
    def decide_slices(self, data_shapes):
        """Batch axis of every input; sets ``batch_size`` and the per-context slices."""
        major_axis = [DataDesc.get_batch_axis(x.layout) for x in data_shapes]
        for desc, axis in zip(data_shapes, major_axis):
            if axis == -1:
                continue
            batch_size = desc.shape[axis]
            if self.batch_size is not None:
                if batch_size != self.batch_size:
                    raise MXNetError(
                        f"all data must have the same batch size: batch_size = "
                        f"{self.batch_size}, but {desc.name} has shape {desc.shape}")
            else:
                self.batch_size = batch_size
                self.slices = _split_input_slice(self.batch_size, self.workload)
        return major_axis

    def _sliced_shape(self, shapes, i, major_axis):
        out = []
        for desc, axis in zip(shapes, major_axis):
            shape = list(desc.shape)
            if axis >= 0:
                shape[axis] = self.slices[i].stop - self.slices[i].start
            out.append(DataDesc(desc.name, tuple(shape), desc.dtype, desc.layout))
        return out

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape=False):
        """Bind (or, with ``reshape``, re-shape) one executor per context."""
        data_shapes = [_as_desc(x) for x in data_shapes]
        label_shapes = [_as_desc(x) for x in label_shapes] if label_shapes else None
        self.batch_size = None
        self.data_layouts = self.decide_slices(data_shapes)
        if label_shapes is not None:
            self.label_layouts = self.decide_slices(label_shapes)
        for i in range(len(self.contexts)):
            data_i = self._sliced_shape(data_shapes, i, self.data_layouts)
            label_i = self._sliced_shape(label_shapes, i, self.label_layouts) \
                if label_shapes is not None else []
            if reshape:
                shapes = {d.name: d.shape for d in data_i + label_i}
                self.execs[i] = self._default_execs[i].reshape(allow_up_sizing=True,
                                                               **shapes)
            else:
                self.execs.append(self._bind_ith_exec(i, data_i, label_i, shared_group))
        self.data_shapes = data_shapes
        self.label_shapes = label_shapes
        self.data_names = [d.name for d in data_shapes]
        self.label_names = [d.name for d in label_shapes] if label_shapes else []
        self._collect_arrays()

    def reshape(self, data_shapes, label_shapes):
        data_shapes = [_as_desc(x) for x in data_shapes]
        label_shapes = [_as_desc(x) for x in label_shapes] if label_shapes else None
        if data_shapes == self.data_shapes and label_shapes == self.label_shapes:
            return
        if self._default_execs is None:
            self._default_execs = list(self.execs)
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    def _bind_ith_exec(self, i, data_shapes, label_shapes, shared_group):
        shared_exec = None if shared_group is None else shared_group.execs[i]
        descs = data_shapes + (label_shapes or [])
        exe = self.symbol.simple_bind(
            ctx=self.contexts[i], grad_req=self.grad_req,
            type_dict={d.name: d.dtype for d in descs},
            shared_arg_names=self.param_names, shared_exec=shared_exec,
            group2ctx=self.group2ctxs[i], shared_buffer=self.shared_data_arrays[i],
            **{d.name: d.shape for d in descs})
        self._total_exec_bytes += getattr(exe, "_total_bytes", 0)
        return exe

    def _collect_arrays(self):
        execs = self.execs
        self.data_arrays = [[(self.slices[i], e.arg_dict[name]) for i, e in enumerate(execs)]
                            for name in self.data_names]
        self.state_arrays = [[e.arg_dict[name] for e in execs] for name in self.state_names]
        self.label_arrays = [[(self.slices[i], e.arg_dict[name])
                              for i, e in enumerate(execs)] for name in self.label_names] \
            if self.label_shapes is not None else None
        positions = [i for i, name in enumerate(self.arg_names) if name in self.param_names]
        self.param_arrays = [[e.arg_arrays[i] for e in execs] for i in positions]
        self.grad_arrays = [[e.grad_arrays[i] for e in execs] for i in positions] \
            if self.for_training else None
        self.input_grad_arrays = [[e.grad_arrays[self.arg_names.index(name)] for e in execs]
                                  for name in self.data_names if name in self.arg_names] \
            if self.inputs_need_grad else None
        self.aux_arrays = [[e.aux_arrays[i] for e in execs]
                           for i in range(len(self.aux_names))]

    # -- parameters ----------------------------------------------------------------
    def set_params(self, arg_params, aux_params, allow_extra=False):
        for exe in self.execs:
            exe.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params, aux_params):
        """Average the copies on every context into ``arg_params``/``aux_params``."""
        for names, arrays, target in ((self.param_names, self.param_arrays, arg_params),
                                      (self.aux_names, self.aux_arrays, aux_params)):
            for name, block in zip(names, arrays):
                if len(block) == 1:
                    value = block[0].as_in_context(cpu())
                else:
                    value = sum(w.copyto(cpu()) for w in block) / len(block)
                value.astype(target[name].dtype).copyto(target[name])

    # -- running -------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        _load_data(data_batch, self.data_arrays, self.data_layouts)
        if is_train is None:
            is_train = self.for_training
        first = data_batch[0] if isinstance(data_batch, list) else data_batch
        if self.label_arrays is not None and getattr(first, "label", None):
            _load_label(data_batch, self.label_arrays, self.label_layouts)
        for exe in self.execs:
            exe.forward(is_train=is_train)

    def get_output_shapes(self):
        shapes = [o.shape for o in self.execs[0].outputs] if self.execs[0].outputs else \
            self.symbol.infer_shape(**{n: a.shape for n, a in
                                       self.execs[0].arg_dict.items()})[1]
        res = []
        for name, shape, axis in zip(self.output_names, shapes, self.output_layouts):
            shape = list(shape)
            if axis >= 0:
                shape[axis] = self.batch_size
            res.append((name, tuple(shape)))
        return res

    def get_outputs(self, merge_multi_context=True, begin=0, end=None):
        end = self.num_outputs if end is None else end
        outputs = [[e.outputs[i] for e in self.execs] for i in range(begin, end)]
        if merge_multi_context:
            outputs = _merge_multi_context(outputs, self.output_layouts[begin:end])
        return outputs

    def get_states(self, merge_multi_context=True):
        if merge_multi_context:
            raise MXNetError("merge_multi_context=True is not supported for get_states yet.")
        return self.state_arrays

    def set_states(self, states=None, value=None):
        if states is not None:
            if value is not None:
                raise MXNetError("Only one of states & value can be specified.")
            _load_general(states, self.state_arrays, (0,) * len(states))
        else:
            for block in self.state_arrays:
                for dst in block:
                    dst[:] = value

    def get_input_grads(self, merge_multi_context=True):
        if not self.inputs_need_grad:
            raise MXNetError("get_input_grads: bind with inputs_need_grad=True")
        if merge_multi_context:
            return _merge_multi_context(self.input_grad_arrays, self.data_layouts)
        return self.input_grad_arrays

    def backward(self, out_grads=None):
        if not self.for_training:
            raise MXNetError("re-bind with for_training=True to run backward")
        out_grads = out_grads or []
        for i, (exe, sl) in enumerate(zip(self.execs, self.slices)):
            sliced = []
            for grad, axis in zip(out_grads, self.output_layouts):
                if axis >= 0 and len(self.execs) > 1:
                    grad = nd.slice_axis(grad, axis=axis, begin=sl.start, end=sl.stop)
                sliced.append(grad.as_in_context(self.contexts[i]))
            exe.backward(out_grads=sliced or None)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        for k, (exe, sl) in enumerate(zip(self.execs, self.slices)):
            if pre_sliced:
                labels_slice = labels[k]
            else:
                labels_slice = []
                for label, axis in zip(labels, self.label_layouts):
                    if axis >= 0 and len(self.execs) > 1:
                        label = nd.slice_axis(label, axis=axis, begin=sl.start, end=sl.stop)
                    labels_slice.append(label)
            eval_metric.update_dict(OrderedDict(zip(self.label_names, labels_slice)),
                                    OrderedDict(zip(self.output_names, exe.outputs)))

    def install_monitor(self, mon):
        for exe in self.execs:
            mon.install(exe)
