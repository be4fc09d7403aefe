"""``check_consistency``: one Symbol bound on several contexts/dtypes, compared."""
import numpy as np

from .compare import assert_almost_equal, get_tols
from .data import _sorted_items


def _smaller_dtype(dt1, dt2):
    return dt1 if dt2 is None or np.dtype(dt1).itemsize < np.dtype(dt2).itemsize else dt2


def _compare(arr, gtarr, rtol, atol, equal_nan, raise_on_err, message):
    from .symbolic import _report
    try:
        assert_almost_equal(arr, gtarr, rtol=rtol, atol=atol, equal_nan=equal_nan)
    except AssertionError as err:
        _report(message, err, raise_on_err)


def _bind_all(sym, ctx_list, grad_req):
    assert len(ctx_list) > 1
    syms = [sym] * len(ctx_list) if hasattr(sym, "list_arguments") else list(sym)
    assert len(syms) == len(ctx_list)
    output_names, arg_names = syms[0].list_outputs(), syms[0].list_arguments()
    exe_list = []
    for s, ctx in zip(syms, ctx_list):
        assert s.list_arguments() == arg_names
        assert s.list_outputs() == output_names
        exe_list.append(s.simple_bind(grad_req=grad_req, **ctx))
    return exe_list, output_names, arg_names


def _fill_inputs(exe_list, arg_params, aux_params, scale, use_uniform, rand_type,
                 grad_req):
    for n, arr in _sorted_items(exe_list[0].arg_dict):
        if n not in arg_params:
            if use_uniform:
                arg_params[n] = np.random.uniform(low=-0.92 * scale, high=0.92 * scale,
                                                  size=arr.shape).astype(rand_type)
            else:
                arg_params[n] = np.random.normal(size=arr.shape,
                                                 scale=scale).astype(rand_type)
    for n in exe_list[0].aux_dict:
        aux_params.setdefault(n, 0)
    for exe in exe_list:
        for name, arr in exe.arg_dict.items():
            arr[:] = arg_params[name]
        for name, arr in exe.aux_dict.items():
            arr[:] = aux_params[name]
        if grad_req == "add":
            for arr in exe.grad_arrays:
                arr[:] = np.zeros(arr.shape, dtype=arr.dtype)


def run_consistency(sym, ctx_list, scale, grad_req, arg_params, aux_params, rtol, atol,
                    raise_on_err, ground_truth, equal_nan, use_uniform, rand_type):
    import mxnet as mx
    exe_list, output_names, arg_names = _bind_all(sym, ctx_list, grad_req)
    arg_params = {} if arg_params is None else arg_params
    aux_params = {} if aux_params is None else aux_params
    _fill_inputs(exe_list, arg_params, aux_params, scale, use_uniform, rand_type, grad_req)
    for exe in exe_list:
        exe.forward(is_train=False)
    # the reference is read after running: outputs need not be allocated at bind time
    dtypes = [np.dtype(exe.outputs[0].dtype) for exe in exe_list]
    gt_idx = int(np.argmax([d.itemsize for d in dtypes]))
    gt = ground_truth if ground_truth is not None else \
        dict(exe_list[gt_idx].output_dict)
    for i, exe in enumerate(exe_list):
        if i == gt_idx:
            continue
        for name, arr in zip(output_names, exe.outputs):
            _compare(arr, gt[name], rtol, atol, equal_nan, raise_on_err,
                     f"Predict Err: ctx {i} vs ctx {gt_idx} at {name}")
    if grad_req == "null":
        return gt
    for exe in exe_list:
        exe.forward(is_train=True)
    least = [out.dtype for out in exe_list[0].outputs]
    for exe in exe_list:
        least = [_smaller_dtype(out.dtype, dt) for out, dt in zip(exe.outputs, least)]
    golden = [out.astype(dt).asnumpy() for out, dt in zip(exe_list[0].outputs, least)]
    for exe in exe_list:
        exe.backward([mx.nd.array(g, ctx=out.context, dtype=out.dtype)
                      for g, out in zip(golden, exe.outputs)])
    if ground_truth is None:
        gt = dict(exe_list[gt_idx].output_dict)
        gt.update(exe_list[gt_idx].grad_dict)
    for i, exe in enumerate(exe_list):
        if i == gt_idx:
            continue
        for name, arr in zip(output_names + arg_names,
                             list(exe.outputs) + list(exe.grad_arrays)):
            if gt.get(name) is None:
                assert arr is None
                continue
            gtarr = gt[name]
            rt, at = rtol, atol
            small_arr = _smaller_dtype(arr.dtype, dtypes[i])
            small_gt = _smaller_dtype(gtarr.dtype, dtypes[gt_idx])
            if small_arr != arr.dtype or small_gt != gtarr.dtype:
                rt, at = get_tols(arr.astype(small_arr), gtarr.astype(small_gt), rtol, atol)
            _compare(arr, gtarr, rt, at, equal_nan, raise_on_err,
                     f"Train Err: {np.dtype(arr.dtype).name} {arr.context} ctx {i} vs "
                     f"{np.dtype(gtarr.dtype).name} {gtarr.context} ctx {gt_idx} at {name}")
    return gt
