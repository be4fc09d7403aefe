"""mx.contrib.amp on the CPU: casts by the 1.9.1 lists, dynamic loss scaling."""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd
from mxnet.base import MXNetError
from mxnet.contrib import amp
from mxnet.contrib.amp import amp as amp_impl

# scaled float16 gradients overflow to inf by design (that is what the scaler detects);
# NumPy warns where a GPU is silent
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")


@pytest.fixture
def amp_on():
    amp.init()
    yield amp
    amp_impl._reset()


def test_lists_are_mxnet_191():
    assert amp.list_lp16_ops("float16") == ["Convolution", "Deconvolution",
                                            "FullyConnected", "RNN"]
    assert ("Activation", "act_type", ["softrelu"]) in amp.list_conditional_fp32_ops(
        "float16")
    assert "softmax" in amp.list_fp32_ops("float16")
    assert "BatchNorm" in amp.list_lp16_fp32_ops("float16")
    assert "SoftmaxOutput" in amp.list_loss_output_functions("float16")
    with pytest.raises(MXNetError, match="float16"):
        amp.list_lp16_ops("bfloat16")


def test_init_casts_inputs(amp_on):
    x, w = mx.nd.ones((2, 3)), mx.nd.ones((4, 3))
    y = mx.nd.FullyConnected(x, w, num_hidden=4, no_bias=True)
    assert y.dtype == np.float16
    np.testing.assert_array_equal(y.asnumpy(), 3)
    assert mx.nd.softmax(x.astype("float16")).dtype == np.float32
    # conditional: softrelu in float32, relu left alone
    h = x.astype("float16")
    assert mx.nd.Activation(h, act_type="softrelu").dtype == np.float32
    assert mx.nd.Activation(h, act_type="relu").dtype == np.float16
    # widest type: float16 + float32 -> float32
    assert mx.nd.broadcast_add(h, x).dtype == np.float32


def test_reset_restores_functions(amp_on):
    amp_impl._reset()
    y = mx.nd.FullyConnected(mx.nd.ones((2, 3)), mx.nd.ones((4, 3)), num_hidden=4,
                             no_bias=True)
    assert y.dtype == np.float32


def test_loss_scaler_dynamics():
    scaler = amp.LossScaler()
    assert scaler.loss_scale == 2.0 ** 16

    class P:
        grad_req = "write"

        def __init__(self, value):
            self.g = mx.nd.array([1.0, value])

        def list_grad(self):
            return [self.g]
    assert scaler.has_overflow([P(np.inf)])
    # MXNet 1.9.1 compat: the halved scale shows from the next check on
    assert not scaler.has_overflow([P(1.0)])
    assert scaler.loss_scale == 2.0 ** 15
    for _ in range(2000):
        scaler.has_overflow([P(1.0)])
    assert scaler._next_loss_scale == 2.0 ** 16


def _net_and_trainer():
    gluon = pytest.importorskip("mxnet.gluon")
    net = gluon.nn.Dense(1, in_units=3)
    net.initialize(mx.init.Constant(0.5))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    return gluon, net, trainer


def test_init_trainer_needs_init():
    _, _, trainer = _net_and_trainer()
    with pytest.raises(MXNetError, match="amp.init"):
        amp.init_trainer(trainer)


def test_training_with_scale_loss(amp_on):
    gluon, net, trainer = _net_and_trainer()
    amp.init_trainer(trainer)
    rng = np.random.default_rng(0)
    x = mx.nd.array(rng.standard_normal((16, 3)))
    y = mx.nd.array(x.asnumpy() @ np.array([1.0, -2.0, 0.5]))
    loss_fn = gluon.loss.L2Loss()
    losses = []
    for _ in range(30):
        with autograd.record():
            out = net(x).astype("float32")
            loss = loss_fn(out, y.reshape((-1, 1)))
            with amp.scale_loss(loss, trainer) as scaled:
                autograd.backward(scaled)
        trainer.step(16)
        losses.append(float(loss.mean().asscalar()))
    assert net(x).dtype == np.float16             # Dense ran in float16
    assert net.weight.data().dtype == np.float32  # master weights stay float32
    assert losses[-1] < 0.2 * losses[0]
    # early steps overflowed (2**16 times the loss in float16) and lowered the scale
    assert trainer._amp_loss_scaler.loss_scale < 2.0 ** 16


def test_overflow_skips_step_and_halves_scale(amp_on):
    gluon, net, trainer = _net_and_trainer()
    amp.init_trainer(trainer)
    x = mx.nd.ones((2, 3))
    before = net.weight.data().asnumpy().copy()
    with autograd.record():
        loss = net(x).astype("float32").sum() * 1e30     # overflows once scaled
        with amp.scale_loss(loss, trainer) as scaled:
            autograd.backward(scaled)
    trainer.step(2)
    np.testing.assert_array_equal(net.weight.data().asnumpy(), before)
    scaler = trainer._amp_loss_scaler
    assert scaler._next_loss_scale == 2.0 ** 15
    with autograd.record():
        loss = net(x).astype("float32").sum() * 1e-3
        with amp.scale_loss(loss, trainer) as scaled:
            autograd.backward(scaled)
    trainer.step(2)
    assert scaler.loss_scale == 2.0 ** 15
    assert not np.array_equal(net.weight.data().asnumpy(), before)


def test_unscale(amp_on):
    _, net, trainer = _net_and_trainer()
    amp.init_trainer(trainer)
    with autograd.record():
        # half the loss: its scaled gradient 2**15 is exact in float16
        loss = net(mx.nd.ones((1, 3))).astype("float32").sum() * 0.5
        with amp.scale_loss(loss, trainer) as scaled:
            autograd.backward(scaled)
    np.testing.assert_array_equal(net.weight.grad().asnumpy(), 2.0 ** 15)
    amp.unscale(trainer)
    np.testing.assert_array_equal(net.weight.grad().asnumpy(), 0.5)
    assert trainer._scale == 1.0


def test_optimizer_is_rejected(amp_on):
    with pytest.raises(TypeError, match="Gluon Trainer"):
        amp.init_trainer(mx.optimizer.SGD())


def test_convert_hybrid_block_runs_the_graph_in_mixed_precision():
    gluon = pytest.importorskip("mxnet.gluon")
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(4, in_units=3), gluon.nn.BatchNorm(in_channels=4))
    net.initialize()
    with pytest.raises(RuntimeError, match="hybridize"):
        amp.convert_hybrid_block(net)
    net.hybridize()
    x = mx.nd.array(np.arange(6).reshape(2, 3) / 6)
    expected = net(x).asnumpy()
    converted = amp.convert_hybrid_block(net, cast_optional_params=True)
    params = converted.collect_params()
    # Dense runs in float16 (its parameters stored so); BatchNorm keeps float32
    assert params[net[0].weight.name].data().dtype == np.float16
    assert params[net[1].gamma.name].data().dtype == np.float32
    out = converted(x)          # float32 in, float32 out, as the original block
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy(), expected, atol=1e-2)
    assert net[0].weight.data().dtype == np.float32     # the original is untouched


def test_mx_contrib_namespace():
    assert mx.contrib.amp is amp
