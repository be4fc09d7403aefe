"""Gluon behaviours MXNet 1.9.1's own unit tests rely on."""
import warnings

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
