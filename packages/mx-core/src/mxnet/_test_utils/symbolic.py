"""Forward, backward and finite-difference checks of :mod:`mxnet.test_utils`.

They take a Symbol and use the Symbol API as MXNet's tests do (``list_arguments``,
``infer_shape``, ``bind``, ``simple_bind``, the executor's ``arg_dict``/``grad_dict``);
``mx.sym`` (the mx-symbol distribution) is only imported when a Symbol is given.
:func:`check_numeric_gradient` also accepts a Python function of NDArrays, checked
with :mod:`mxnet.autograd`.
"""
import json
import time
import traceback

import numpy as np

from .compare import assert_almost_equal, default_numeric_eps, get_tolerance
from .data import _sorted_dict, _sorted_items, default_context, default_dtype

__all__ = ["simple_forward", "numeric_grad", "check_numeric_gradient",
           "check_symbolic_forward", "check_symbolic_backward", "check_speed",
           "check_consistency", "same_symbol_structure"]

_FLOATS = (np.float16, np.float32, np.float64)


def _mx():
    import mxnet
    return mxnet


def _is_symbol(sym):
    return hasattr(sym, "list_arguments") and hasattr(sym, "bind")


def _to_nd(value, ctx, dtype):
    if isinstance(value, np.ndarray):
        return _mx().nd.array(value, ctx=ctx, dtype=value.dtype if dtype == "asnumpy"
                              else dtype)
    return value


def simple_forward(sym, ctx=None, is_train=False, **inputs):
    """Bind ``sym`` to NumPy ``inputs``, run forward, return NumPy output(s)."""
    ctx = ctx or default_context()
    inputs = {k: _mx().nd.array(v) for k, v in inputs.items()}
    exe = sym.bind(ctx, args=inputs)
    exe.forward(is_train=is_train)
    outputs = [x.asnumpy() for x in exe.outputs]
    return outputs[0] if len(outputs) == 1 else outputs


def _parse_location(sym, location, ctx, dtype=default_dtype()):
    """``{argument name: NDArray}`` from a list (in ``list_arguments`` order) or a dict."""
    assert isinstance(location, (dict, list, tuple))
    assert dtype == "asnumpy" or dtype in _FLOATS
    names = sym.list_arguments()
    if isinstance(location, dict):
        if set(location.keys()) != set(names):
            raise ValueError("Symbol arguments and keys of the given location do not match."
                             f"symbol args:{set(names)}, location.keys():"
                             f"{set(location.keys())}")
    else:
        location = dict(zip(names, location))
    return _sorted_dict({k: _to_nd(v, ctx, dtype) for k, v in location.items()})


def _parse_aux_states(sym, aux_states, ctx, dtype=default_dtype()):
    """``{auxiliary state name: NDArray}`` from a list or a dict (or None)."""
    assert dtype == "asnumpy" or dtype in _FLOATS
    if aux_states is None:
        return None
    names = sym.list_auxiliary_states()
    if isinstance(aux_states, dict):
        if set(aux_states.keys()) != set(names):
            raise ValueError("Symbol aux_states names and given aux_states do not match."
                             f"symbol aux_names:{set(names)}, aux_states.keys:"
                             f"{set(aux_states.keys())}")
    else:
        aux_states = dict(zip(names, aux_states))
    return {k: _mx().nd.array(v, ctx=ctx, dtype=v.dtype if dtype == "asnumpy" else dtype)
            for k, v in aux_states.items()}


def _as_stype(value, stype, dtype):
    arr = _mx().nd.array(value, dtype=dtype)
    return arr if stype == "default" else arr.tostype(stype)


def numeric_grad(executor, location, aux_states=None, eps=1e-4, use_forward_train=True,
                 dtype=default_dtype()):
    """Central finite differences of ``sum(executor.outputs[0])`` w.r.t. each argument."""
    return _numeric_grad(executor, location, aux_states, eps, use_forward_train, dtype)


def _numeric_grad(executor, location, aux_states, eps, use_forward_train, dtype,
                  proj=None):
    """Finite differences of ``sum(outputs[0] * proj)`` (``proj`` None: of the sum)."""
    assert dtype in _FLOATS
    approx = {k: np.zeros(v.shape, dtype=dtype) for k, v in location.items()}
    for k, v in location.items():
        if executor.arg_dict[k].stype == "default":
            executor.arg_dict[k][:] = _as_stype(v, "default", dtype)
    for k in location:
        location[k] = np.asarray(location[k], order="C")

    def run():
        if aux_states is not None:
            for key, val in aux_states.items():
                executor.aux_dict[key][:] = _as_stype(val, executor.aux_dict[key].stype,
                                                      dtype)
        executor.forward(is_train=use_forward_train)
        out = executor.outputs[0].asnumpy()
        return out if proj is None else out * proj
    for k, v in location.items():
        if v.dtype.kind != "f":
            continue
        stype = executor.arg_dict[k].stype
        old = v.copy()
        for i in range(v.size):
            v.ravel()[i] += eps / 2.0
            executor.arg_dict[k][:] = _as_stype(v, stype, dtype)
            f_plus = run()
            v.ravel()[i] -= eps
            executor.arg_dict[k][:] = _as_stype(v, stype, dtype)
            f_minus = run()
            approx[k].ravel()[i] = (f_plus - f_minus).sum() / eps
            v.ravel()[i] = old.ravel()[i]
        executor.arg_dict[k][:] = _as_stype(old, stype, dtype)
    return approx


def _grad_nodes(grad_nodes, names):
    if grad_nodes is None:
        return list(names), {k: "write" for k in names}
    if isinstance(grad_nodes, (list, tuple)):
        return list(grad_nodes), {k: "write" for k in grad_nodes}
    if isinstance(grad_nodes, dict):
        return list(grad_nodes.keys()), dict(grad_nodes)
    raise ValueError(f"grad_nodes must be a list, tuple or dict, got {type(grad_nodes)}")


def _check_grads(grad_nodes, grad_req, numeric, symbolic, initial, rtol, atol, labels):
    for name in grad_nodes:
        fd_grad, sym_grad = numeric[name], symbolic[name]
        req = grad_req[name]
        names = (f"{labels[0]}_{name}", f"{labels[1]}_{name}")
        if req == "write":
            assert_almost_equal(fd_grad, sym_grad, rtol, atol, names)
        elif req == "add":
            got = sym_grad.asnumpy() if hasattr(sym_grad, "asnumpy") else sym_grad
            assert_almost_equal(fd_grad, got - initial[name], rtol, atol, names)
        elif req == "null":
            assert_almost_equal(initial[name], sym_grad, rtol, atol, names)
        else:
            raise ValueError(f"Invalid grad_req {req} for argument {name}")


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=default_dtype()):
    """Compare the backward pass of ``sym`` with central finite differences.

    ``sym`` is a Symbol (``location``: arrays in ``list_arguments`` order or a dict), or
    a Python function of NDArrays returning one NDArray (``location``: a list of
    positional arrays or a dict of keyword arrays). The output is projected on a random
    array so that every output element matters.
    """
    assert dtype in _FLOATS
    ctx = ctx or default_context()
    if not _is_symbol(sym):
        return _check_function_gradient(sym, location, numeric_eps, rtol, atol, grad_nodes,
                                        use_forward_train, ctx, dtype)
    mx = _mx()
    location = _parse_location(sym=sym, location=location, ctx=ctx, dtype=dtype)
    location_npy = {k: v.asnumpy() for k, v in location.items()}
    aux_states = _parse_aux_states(sym=sym, aux_states=aux_states, ctx=ctx, dtype=dtype)
    aux_npy = None if aux_states is None else {k: v.asnumpy() for k, v in aux_states.items()}
    grad_nodes, grad_req = _grad_nodes(grad_nodes, sym.list_arguments())
    _, out_shape, _ = sym.infer_shape(**{k: v.shape for k, v in location.items()})
    # MXNet binds make_loss(sym * proj); binding sym with head gradient proj is the same
    # gradient and needs nothing but bind. proj is not too small, or the finite
    # differences lose precision.
    proj = np.random.rand(*out_shape[0]) + 0.1
    initial = {k: np.random.normal(0, 0.01, size=location[k].shape) for k in grad_nodes}
    args_grad = {k: mx.nd.array(v, ctx=ctx, dtype=dtype) for k, v in initial.items()}
    for k, v in (grad_stype_dict or {}).items():
        if k in args_grad and v in ("row_sparse", "csr"):
            args_grad[k] = mx.nd.zeros(args_grad[k].shape, args_grad[k].context,
                                       args_grad[k].dtype, v)
    executor = sym.bind(ctx, grad_req=grad_req, args=location, args_grad=args_grad,
                        aux_states=aux_states)
    if len(executor.arg_arrays) != len(location):
        raise ValueError("Executor arg_arrays and and location len do not match."
                         f"Got {len(executor.arg_arrays)} inputs and {len(location)} "
                         "locations")
    executor.forward(is_train=True)
    assert len(executor.outputs) == 1, "check_numeric_gradient needs a single output"
    eps = get_tolerance(executor.outputs[0], numeric_eps, default_numeric_eps())
    if dtype in (np.float32, np.float16):
        assert eps >= 1e-5   # finite differences need a step above the precision
    head = mx.nd.array(proj, ctx=ctx, dtype=executor.outputs[0].dtype)
    executor.backward([head])
    numeric = _numeric_grad(executor, location_npy, aux_npy, eps, use_forward_train, dtype,
                            proj)
    _check_grads(grad_nodes, grad_req, numeric, executor.grad_dict, initial, rtol, atol,
                 ("NUMERICAL", "BACKWARD"))


def _check_function_gradient(fn, location, numeric_eps, rtol, atol, grad_nodes,
                             use_forward_train, ctx, dtype):
    """check_numeric_gradient for a Python function of NDArrays (autograd)."""
    mx = _mx()
    if isinstance(location, dict):
        names = list(location)
        values = [np.asarray(location[k], dtype=dtype) for k in names]
    else:
        names = [f"arg{i}" for i in range(len(location))]
        values = [np.asarray(v, dtype=dtype) for v in location]

    def call(arrays):
        nds = [mx.nd.array(a, ctx=ctx, dtype=dtype) for a in arrays]
        return nds, (fn(**dict(zip(names, nds))) if isinstance(location, dict)
                     else fn(*nds))
    grad_nodes, grad_req = _grad_nodes(grad_nodes, names)
    nds, out = call(values)
    proj = np.random.rand(*out.shape) + 0.1
    for name, x in zip(names, nds):
        if name in grad_nodes:
            x.attach_grad()
    with mx.autograd.record(train_mode=use_forward_train):
        out = fn(**dict(zip(names, nds))) if isinstance(location, dict) else fn(*nds)
        loss = out * mx.nd.array(proj, ctx=ctx, dtype=out.dtype)
    loss.backward()
    eps = get_tolerance(out, numeric_eps, default_numeric_eps())
    symbolic = {n: x.grad for n, x in zip(names, nds) if n in grad_nodes}
    numeric = {}
    for name, v in zip(names, values):
        if name not in grad_nodes:
            continue
        grad = np.zeros(v.shape, dtype=dtype)
        for i in range(v.size):
            old = v.ravel()[i]
            v.ravel()[i] = old + eps / 2.0
            with mx.autograd.train_mode() if use_forward_train else mx.autograd.predict_mode():
                f_plus = call(values)[1].asnumpy()
                v.ravel()[i] = old - eps / 2.0
                f_minus = call(values)[1].asnumpy()
            v.ravel()[i] = old
            grad.ravel()[i] = ((f_plus - f_minus) * proj).sum() / eps
        numeric[name] = grad
    _check_grads(grad_nodes, {n: "write" for n in grad_nodes}, numeric, symbolic, {}, rtol,
                 atol, ("NUMERICAL", "BACKWARD"))


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None,
                           ctx=None, equal_nan=False, dtype=default_dtype()):
    """Compare ``sym``'s forward outputs at ``location`` with ``expected``; return them."""
    mx = _mx()
    assert dtype == "asnumpy" or dtype in _FLOATS
    ctx = ctx or default_context()
    location = _parse_location(sym=sym, location=location, ctx=ctx, dtype=dtype)
    aux_states = _parse_aux_states(sym=sym, aux_states=aux_states, ctx=ctx, dtype=dtype)
    if isinstance(expected, dict):
        expected = [expected[k] for k in sym.list_outputs()]
    args_grad = {k: mx.nd.zeros(v.shape, ctx=ctx, dtype=v.dtype if dtype == "asnumpy"
                                else dtype) for k, v in location.items()}
    executor = sym.bind(ctx=ctx, args=location, args_grad=args_grad, aux_states=aux_states)
    executor.forward(is_train=False)
    for name, expect, output in zip(sym.list_outputs(), expected, executor.outputs):
        assert_almost_equal(expect, output, rtol, atol,
                            (f"EXPECTED_{name}", f"FORWARD_{name}"), equal_nan=equal_nan)
    return executor.outputs


def _nd_grads(out_grads, ctx, dtype):
    if isinstance(out_grads, (tuple, list)):
        return [_to_nd(g, ctx, dtype) for g in out_grads]
    if isinstance(out_grads, dict):
        return {k: _to_nd(v, ctx, dtype) for k, v in out_grads.items()}
    assert out_grads is None
    return None


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None,
                            aux_states=None, grad_req="write", ctx=None, grad_stypes=None,
                            equal_nan=False, dtype=default_dtype()):
    """Compare ``sym``'s input gradients for ``out_grads`` with ``expected``; return them."""
    mx = _mx()
    assert dtype == "asnumpy" or dtype in _FLOATS
    ctx = ctx or default_context()
    location = _parse_location(sym=sym, location=location, ctx=ctx, dtype=dtype)
    aux_states = _parse_aux_states(sym=sym, aux_states=aux_states, ctx=ctx, dtype=dtype)
    if isinstance(expected, (list, tuple)):
        expected = dict(zip(sym.list_arguments(), expected))
    initial = {k: np.random.normal(size=v.shape) for k, v in _sorted_items(expected)}
    args_grad = {}
    for k, v in initial.items():
        stype = (grad_stypes or {}).get(k)
        if stype not in (None, "default"):
            from .data import create_sparse_array
            args_grad[k] = create_sparse_array(v.shape, stype, density=0.0)
        else:
            args_grad[k] = mx.nd.array(v, ctx=ctx, dtype=expected[k].dtype
                                       if dtype == "asnumpy" else dtype)
    if isinstance(grad_req, str):
        grad_req = {k: grad_req for k in sym.list_arguments()}
    elif isinstance(grad_req, (list, tuple)):
        grad_req = dict(zip(sym.list_arguments(), grad_req))
    executor = sym.bind(ctx=ctx, args=location, args_grad=args_grad, aux_states=aux_states,
                        grad_req=grad_req)
    executor.forward(is_train=True)
    executor.backward(_nd_grads(out_grads, ctx, dtype))
    for name in expected:
        req, names = grad_req[name], (f"EXPECTED_{name}", f"BACKWARD_{name}")
        got = args_grad[name]
        if req == "write":
            assert_almost_equal(expected[name], got, rtol, atol, names, equal_nan=equal_nan)
        elif req == "add":
            got = got.asnumpy() if hasattr(got, "asnumpy") else got
            assert_almost_equal(expected[name], got - initial[name], rtol, atol, names,
                                equal_nan=equal_nan)
        elif req == "null":
            assert_almost_equal(initial[name], got, rtol, atol, names, equal_nan=equal_nan)
        else:
            raise ValueError(f"Invalid grad_req {req} for argument {name}")
    return args_grad


def check_speed(sym, location=None, ctx=None, N=20, grad_req=None, typ="whole", **kwargs):
    """Seconds per forward(+backward) of ``sym``, averaged over ``N`` runs."""
    mx = _mx()
    ctx = ctx or default_context()
    grad_req = grad_req or "write"
    if location is None:
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx, **kwargs)
        location = {k: np.random.normal(size=arr.shape, scale=1.0)
                    for k, arr in exe.arg_dict.items()}
    else:
        assert isinstance(location, dict), f'Expect dict, get "location"={location}'
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx,
                              **{k: v.shape for k, v in location.items()})
    for name, iarr in location.items():
        exe.arg_dict[name][:] = iarr.astype(exe.arg_dict[name].dtype)
    if typ not in ("whole", "forward"):
        raise ValueError('typ can only be "whole" or "forward".')
    train = typ == "whole"

    def step():
        exe.forward(is_train=train)
        if train:
            exe.backward(out_grads=exe.outputs)
    step()
    mx.nd.waitall()
    tic = time.time()
    for _ in range(N):
        step()
    mx.nd.waitall()
    return (time.time() - tic) / N


def same_symbol_structure(sym1, sym2):
    """Whether two symbols run the same operator at every node."""
    nodes1 = json.loads(sym1.tojson())["nodes"]
    nodes2 = json.loads(sym2.tojson())["nodes"]
    return all(n1["op"] == n2["op"] for n1, n2 in zip(nodes1, nodes2))


def check_consistency(sym, ctx_list, scale=1.0, grad_req="write", arg_params=None,
                      aux_params=None, rtol=None, atol=None, raise_on_err=True,
                      ground_truth=None, equal_nan=False, use_uniform=False,
                      rand_type=np.float64):
    """Check that ``sym`` gives the same outputs and gradients on every entry of
    ``ctx_list`` (dicts of ``simple_bind`` arguments: ctx, shapes, ``type_dict``);
    the most precise entry is the reference. Returns the reference values."""
    from ._consistency import run_consistency
    return run_consistency(sym, ctx_list, scale, grad_req, arg_params, aux_params, rtol,
                           atol, raise_on_err, ground_truth, equal_nan, use_uniform,
                           rand_type)


def _report(message, err, raise_on_err):
    print(message)
    traceback.print_exc()
    if raise_on_err:
        raise err
    print(str(err))

