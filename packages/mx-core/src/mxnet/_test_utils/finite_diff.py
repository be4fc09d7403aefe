"""Finite-difference gradient checks (the project's operator tests use them).

``check_grad(fn, inputs, kwargs)`` runs ``fn(*arrays, **kwargs)`` under autograd in
float64, back-propagates fixed random head gradients and compares each input gradient
with central differences of ``sum(head * output)``. ``check_second_order`` does the
same for the gradient itself (recorded with ``create_graph=True``), which checks that
an operator's gradient is written with differentiable operators.
"""
import numpy as np

import mxnet as mx

__all__ = ["check_grad", "check_second_order"]


def _as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _prepare(inputs, wrt):
    arrays = [np.asarray(x) for x in inputs]
    if wrt is None:
        wrt = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
    arrays = [a.astype(np.float64) if i in wrt else a for i, a in enumerate(arrays)]
    return arrays, list(wrt)


def _heads(outs, seed):
    rng = np.random.RandomState(seed)
    return [rng.uniform(-1, 1, size=o.shape) if o.dtype.kind == "f" else None
            for o in outs]


def _objective(fn, arrays, kwargs, heads, train=True):
    """sum(head * output) over every floating output, in float64."""
    nds = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
    with mx.autograd.train_mode() if train else mx.autograd.predict_mode():
        outs = [o.asnumpy() for o in _as_list(fn(*nds, **kwargs))]
    return sum(float((h * o).sum()) for h, o in zip(heads, outs) if h is not None)


def _numeric(fn, arrays, kwargs, heads, wrt, eps, train=True):
    grads = []
    for i in wrt:
        grad = np.zeros_like(arrays[i])
        flat, gflat = arrays[i].reshape(-1), grad.reshape(-1)
        for j in range(flat.size):      # test inputs are small: one probe per element
            orig = flat[j]
            flat[j] = orig + eps
            up = _objective(fn, arrays, kwargs, heads, train)
            flat[j] = orig - eps
            down = _objective(fn, arrays, kwargs, heads, train)
            flat[j] = orig
            gflat[j] = (up - down) / (2 * eps)
        grads.append(grad)
    return grads


def check_grad(fn, inputs, kwargs=None, rtol=1e-5, atol=1e-7, eps=1e-6, wrt=None,
               seed=0, train=True):
    """Compare autograd's gradient of ``fn`` with central differences.

    Parameters
    ----------
    fn : callable
        ``fn(*ndarrays, **kwargs)`` returning an NDArray or a list of them.
    inputs : list of numpy arrays
        Floating inputs are checked (cast to float64); others (indices) pass unchanged.
    wrt : list of int, optional
        Positions of the inputs to check (default: every floating input).
    train : bool
        Training mode of the recorded call and of the finite differences.
    """
    kwargs = kwargs or {}
    arrays, wrt = _prepare(inputs, wrt)
    nds = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
    for i in wrt:
        nds[i].attach_grad()
    with mx.autograd.record(train_mode=train):
        outs = _as_list(fn(*nds, **kwargs))
    heads = _heads([o.asnumpy() for o in outs], seed)
    pairs = [(o, mx.nd.array(h, dtype=o.dtype)) for o, h in zip(outs, heads)
             if h is not None]
    mx.autograd.backward([p[0] for p in pairs], [p[1] for p in pairs])
    numeric = _numeric(fn, arrays, kwargs, heads, wrt, eps, train)
    for i, expected in zip(wrt, numeric):
        np.testing.assert_allclose(nds[i].grad.asnumpy(), expected, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {i}")


def check_second_order(fn, inputs, kwargs=None, rtol=1e-5, atol=1e-7, eps=1e-6, wrt=None,
                       seed=0):
    """check_grad applied to ``x -> d sum(head * fn(x)) / dx`` (one input at a time)."""
    kwargs = kwargs or {}
    arrays, wrt = _prepare(inputs, wrt)
    probe = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
    heads = _heads([o.asnumpy() for o in _as_list(fn(*probe, **kwargs))], seed)
    for i in wrt:
        def first(*nds, _i=i):
            nds = list(nds)
            nds[_i].attach_grad()
            with mx.autograd.record():
                outs = _as_list(fn(*nds, **kwargs))
                pairs = [(o, mx.nd.array(h, dtype=o.dtype)) for o, h in zip(outs, heads)
                         if h is not None]
                return mx.autograd.grad([p[0] for p in pairs], [nds[_i]],
                                        [p[1] for p in pairs], create_graph=True)[0]
        _check_recorded(first, arrays, i, rtol, atol, eps, seed + 1)


def _check_recorded(first, arrays, i, rtol, atol, eps, seed):
    """``first`` records its own graph; differentiate its output against FD."""
    nds = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
    nds[i].attach_grad()
    with mx.autograd.record():
        g = first(*nds)
    head = np.random.RandomState(seed).uniform(-1, 1, size=g.shape)
    g.backward(mx.nd.array(head, dtype=g.dtype))
    analytic = nds[i].grad.asnumpy()

    def objective(values):
        local = [a.copy() for a in arrays]
        local[i] = values
        out = first(*[mx.nd.array(a, dtype=a.dtype) for a in local]).asnumpy()
        return float((head * out).sum())

    x = arrays[i].copy()
    numeric = np.zeros_like(x)
    flat, nflat = x.reshape(-1), numeric.reshape(-1)
    for j in range(flat.size):
        orig = flat[j]
        flat[j] = orig + eps
        up = objective(x)
        flat[j] = orig - eps
        down = objective(x)
        flat[j] = orig
        nflat[j] = (up - down) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol,
                               err_msg=f"second-order gradient of input {i}")
