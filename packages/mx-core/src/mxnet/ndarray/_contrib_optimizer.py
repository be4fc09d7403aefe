"""Python wrappers of ``mx.nd.contrib``'s optimizer updates, as in MXNet 1.9.1's
``python/mxnet/ndarray/contrib.py``: they accept a float ``rescale_grad`` and flatten
lists of weights/states into the multi-tensor operators' inputs.
"""
from . import _internal
from .ndarray import NDArray

__all__ = ["adamw_update", "mp_adamw_update", "multi_adamw_update",
           "multi_mp_adamw_update", "multi_lamb_update", "multi_mp_lamb_update"]


def _get_rescale_grad(rescale_grad, ctx):
    if not isinstance(rescale_grad, NDArray):
        from . import full
        return full(shape=(1,), val=rescale_grad, ctx=ctx)
    return rescale_grad.as_in_context(ctx)


def _flatten_list(nested):
    return [item for group in nested for item in group]


def adamw_update(weight, grad, mean, var, rescale_grad, lr, eta, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, wd=0, clip_gradient=-1, out=None, name=None, **kwargs):
    """AdamW update (``_adamw_update``); ``rescale_grad`` may be a float or an array."""
    rescale_grad = _get_rescale_grad(rescale_grad, weight.context)
    return _internal._adamw_update(weight, grad, mean, var, rescale_grad, lr=lr, eta=eta,
                                   beta1=beta1, beta2=beta2, epsilon=epsilon, wd=wd,
                                   clip_gradient=clip_gradient, out=out, name=name,
                                   **kwargs)


def mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad, lr, eta, beta1=0.9,
                    beta2=0.999, epsilon=1e-8, wd=0, clip_gradient=-1, out=None,
                    name=None, **kwargs):
    """Mixed-precision AdamW update (``_mp_adamw_update``)."""
    rescale_grad = _get_rescale_grad(rescale_grad, weight.context)
    return _internal._mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad,
                                      lr=lr, eta=eta, beta1=beta1, beta2=beta2,
                                      epsilon=epsilon, wd=wd, clip_gradient=clip_gradient,
                                      out=out, name=name, **kwargs)


def multi_adamw_update(weights, grads, mean, var, rescale_grad, lrs, wds, etas,
                       out=None, name=None, size=0, **kwargs):
    """AdamW on lists of weights, grads, means and vars."""
    size = size or len(weights)
    rescale_grad = _get_rescale_grad(rescale_grad, weights[0].context)
    data = _flatten_list(zip(weights, grads, mean, var)) + [rescale_grad]
    return _internal._multi_adamw_update(*data, out=out, num_weights=size, lrs=lrs,
                                         wds=wds, etas=etas, name=name, **kwargs)


def multi_mp_adamw_update(weights, grads, mean, var, weights32, rescale_grad, lrs, wds,
                          etas, out=None, name=None, size=0, **kwargs):
    """Mixed-precision AdamW on lists (float32 master copies ``weights32``)."""
    size = size or len(weights)
    rescale_grad = _get_rescale_grad(rescale_grad, weights[0].context)
    data = _flatten_list(zip(weights, grads, mean, var, weights32)) + [rescale_grad]
    return _internal._multi_mp_adamw_update(*data, out=out, num_weights=size, lrs=lrs,
                                            wds=wds, etas=etas, name=name, **kwargs)


def multi_lamb_update(weights, grads, mean, var, step_count, lrs, wds, out=None,
                      num_tensors=0, **kwargs):
    """LAMB on lists of weights, grads, means and vars (``step_count`` per tensor)."""
    num_tensors = num_tensors or len(weights)
    data = _flatten_list(zip(weights, grads, mean, var))
    return _internal._multi_lamb_update(*data, out=out, num_tensors=num_tensors,
                                        step_count=step_count, learning_rates=lrs,
                                        wds=wds, **kwargs)


def multi_mp_lamb_update(weights, grads, mean, var, weights32, step_count, lrs, wds,
                         out=None, num_tensors=0, **kwargs):
    """Mixed-precision LAMB on lists (float32 master copies ``weights32``)."""
    num_tensors = num_tensors or len(weights)
    data = _flatten_list(zip(weights, grads, mean, var, weights32))
    return _internal._multi_mp_lamb_update(*data, out=out, num_tensors=num_tensors,
                                           step_count=step_count, learning_rates=lrs,
                                           wds=wds, **kwargs)
