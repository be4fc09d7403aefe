"""Gluon behaviours MXNet 1.9.1's own unit tests rely on."""
import warnings

import numpy as np
import pytest

import mxnet as mx
from mxnet import gluon
from mxnet.gluon import nn


def test_parameter_storage_types_are_checked():
    with pytest.raises(AssertionError, match="stype"):
        gluon.Parameter("weight", shape=(2, 2), stype="invalid")
    with pytest.raises(AssertionError, match="grad_stype"):
        gluon.Parameter("weight", shape=(2, 2), grad_stype="invalid")


def test_nn_reexports_the_block_classes():
    assert nn.HybridBlock is gluon.HybridBlock
    assert nn.Block is gluon.Block and nn.SymbolBlock is gluon.SymbolBlock


def test_parameters_on_several_cpu_contexts():
    p = gluon.Parameter("weight", shape=(3, 3))
    p.initialize(init="xavier", ctx=[mx.cpu(0), mx.cpu(1)])
    assert p.data(mx.cpu(1)).context == mx.cpu(1)
    assert len(p.list_grad()) == 2


def test_unregistered_blocks_in_containers_warn():
    class Listed(gluon.Block):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Dense(2), nn.Dense(2)]

    class Registered(gluon.Block):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential()
            self.layers.add(nn.Dense(2))
            self.table = {"a": 1}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Listed().collect_params()
    assert any("unregistered container" in str(w.message) for w in caught)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Registered().collect_params()
    assert not caught


def test_hybridizing_an_all_hybrid_sequential_warns():
    net = nn.Sequential()
    net.add(nn.Dense(3))
    with pytest.warns(UserWarning, match="Consider using HybridSequential"):
        net.hybridize()


def test_hybrid_forward_may_use_symbol_fluent_methods():
    class SumAll(nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.add_n(*[x.sum(), x.mean()])

    net = SumAll()
    net.hybridize()
    assert net(mx.nd.ones((2, 3))).asscalar() == 7


def test_blocks_are_named_per_thread():
    import threading
    from mxnet.gluon import block as _block

    names = []

    def other():
        names.append(mx.gluon.nn.Dense(2).prefix)

    first = mx.gluon.nn.Dense(2).prefix
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert names == ["dense0_"]                    # the thread counts from zero
    assert first.startswith("dense")
    assert _block._BlockScope.create(None, None, "hi")[0].startswith("hi")


def test_hybrid_block_takes_nested_inputs():
    class Net(mx.gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.dense = mx.gluon.nn.Dense(3)

        def hybrid_forward(self, F, xs, y):
            return self.dense(xs[0]) + self.dense(xs[1]) * y

    net = Net()
    net.initialize()
    xs, y = [mx.nd.ones((2, 4)), mx.nd.ones((2, 4)) * 2], mx.nd.ones((2, 3))
    imperative = net(xs, y).asnumpy()
    net.hybridize()
    np.testing.assert_allclose(net(xs, y).asnumpy(), imperative, rtol=1e-6)
    with pytest.raises(ValueError, match="mixed NDArrays and Symbols"):
        net([mx.sym.var("a"), mx.nd.ones((1,))], y)
    with pytest.raises(ValueError, match="must be one NDArray or one Symbol"):
        net([1, 2], 3)


def test_parameter_internals_libraries_use():
    # GluonNLP's WeightDropParameter copies _ctx_map; GluonCV passes an Initializer
    # instance nobody registered as a weight_initializer
    class Ones(mx.init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 1

    layer = nn.Dense(3, in_units=2, weight_initializer=Ones())
    layer.initialize(ctx=[mx.cpu(0), mx.cpu(2)])
    np.testing.assert_array_equal(layer.weight.data().asnumpy(), 1)
    assert layer.weight._ctx_map == [[], [0, None, 1]]     # cpu is device type 1
    layer.weight._ctx_map = layer.weight._ctx_map      # assignable, as MXNet's was
