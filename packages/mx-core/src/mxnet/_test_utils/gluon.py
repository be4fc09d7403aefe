"""``check_gluon_hybridize_consistency`` (needs mx-gluon; imported on first use)."""
from .compare import assert_almost_equal


def _param_init(np_params):
    import mxnet as mx

    class _NumpyParamDictInit(mx.init.Initializer):
        """Initializes parameters from a dict of cached NumPy arrays."""

        def _init_weight(self, name, arr):
            arr[()] = np_params[name]
    return _NumpyParamDictInit()


def _run(net_builder, data_l, hybridize, use_autograd, params_init):
    import mxnet as mx
    net = net_builder(prefix="net_")
    net.initialize(params_init) if params_init is not None else net.initialize()
    if hybridize:
        net.hybridize()
    inputs = [x.copy() for x in data_l]
    if use_autograd:
        for x in inputs:
            x.attach_grad()
        with mx.autograd.record():
            out = net(*inputs)
        out.backward(out)
    else:
        out = net(*inputs)
    return net, inputs, out


def check_gluon_hybridize_consistency(net_builder, data_l, numpy_func=None, test_grad=True,
                                      rtol=1E-4, atol=1E-4):
    """Check that a HybridBlock gives the same outputs (and input gradients) with and
    without ``hybridize()``, and, if given, the same as ``numpy_func``.

    ``net_builder(prefix=...)`` builds the block; it must not use random operators.
    """
    saved_out = saved_grads = params_init = None
    for hybridize in (False, True):
        for use_autograd in ((False, True) if test_grad else (False,)):
            net, inputs, out = _run(net_builder, data_l, hybridize, use_autograd,
                                    params_init)
            if params_init is None:
                params_init = _param_init({k: v.data().asnumpy()
                                           for k, v in net.collect_params().items()})
            if saved_out is None:
                saved_out = out.asnumpy()
            else:
                assert_almost_equal(out.asnumpy(), saved_out, rtol=rtol, atol=atol)
            if use_autograd:
                grads = [x.grad.asnumpy() for x in inputs]
                if saved_grads is None:
                    saved_grads = grads
                else:
                    for got, want in zip(grads, saved_grads):
                        assert_almost_equal(got, want, rtol=rtol, atol=atol)
    if numpy_func is not None:
        want = numpy_func(*[x.asnumpy() for x in data_l])
        assert_almost_equal(saved_out, want, rtol=rtol, atol=atol)
