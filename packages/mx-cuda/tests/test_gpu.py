"""On a real GPU: arrays, copies, contexts, random streams, the kernels against the CPU.

Marked ``gpu``: skipped with "no GPU visible" where CuPy sees no device. Run them on a
GPU machine with ``pytest packages/mx-cuda/tests -m gpu``.
"""
import numpy as np
import pytest

import mxnet as mx
from mxnet import autograd

pytestmark = pytest.mark.gpu
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _plugin(cuda_backend):
    return cuda_backend


def _close(a, b, dtype):
    tol = 2e-2 if dtype == "float16" else 1e-4
    np.testing.assert_allclose(np.asarray(a, "f8"), np.asarray(b, "f8"), rtol=tol,
                               atol=tol)


def test_devices_and_memory():
    import cupy
    assert mx.num_gpus() == cupy.cuda.runtime.getDeviceCount() >= 1
    free, total = mx.context.gpu_memory_info(0)
    assert 0 < free <= total
    mx.gpu(0).empty_cache()
    assert mx.runtime.Features().is_enabled("CUDA")


def test_arrays_copies_and_contexts():
    import cupy
    host = RNG.standard_normal((3, 4)).astype("float32")
    x = mx.nd.array(host, ctx=mx.gpu(0))
    assert isinstance(x._data, cupy.ndarray) and x.context == mx.gpu(0)
    np.testing.assert_array_equal(x.asnumpy(), host)
    back = x.as_in_context(mx.cpu())
    assert back.context == mx.cpu() and isinstance(back._data, np.ndarray)
    np.testing.assert_array_equal(back.asnumpy(), host)
    dst = mx.nd.zeros((3, 4), ctx=mx.gpu(0))
    back.copyto(dst)
    np.testing.assert_array_equal(dst.asnumpy(), host)
    assert x.copyto(mx.cpu()).context == mx.cpu()
    with mx.gpu(0):
        z = mx.nd.zeros((2, 2))
    assert z.context == mx.gpu(0)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_generic_operators_match_cpu(dtype):
    a = RNG.standard_normal((4, 5)).astype(dtype)
    b = RNG.standard_normal((5, 3)).astype(dtype)
    for f in (lambda m, n: mx.nd.dot(m, n), lambda m, n: mx.nd.relu(m).sum(axis=1),
              lambda m, n: mx.nd.broadcast_add(m, m[0:1]) * 2 - 1,
              lambda m, n: mx.nd.FullyConnected(m, n.T, num_hidden=3, no_bias=True),
              lambda m, n: mx.nd.sigmoid(m) / (1 + mx.nd.abs(m))):
        cpu = f(mx.nd.array(a, dtype=dtype), mx.nd.array(b, dtype=dtype))
        gpu = f(mx.nd.array(a, ctx=mx.gpu(0), dtype=dtype),
                mx.nd.array(b, ctx=mx.gpu(0), dtype=dtype))
        assert gpu.context == mx.gpu(0) and gpu.dtype == cpu.dtype
        _close(gpu.asnumpy(), cpu.asnumpy(), dtype)


def _both(fn, arrays, dtype):
    """``fn`` with its gradients, on the CPU and on gpu(0): (outputs, grads) each."""
    res = []
    for ctx in (mx.cpu(), mx.gpu(0)):
        xs = [mx.nd.array(a, ctx=ctx, dtype=dtype) for a in arrays]
        for x in xs:
            x.attach_grad()
        with autograd.record():
            out = fn(*xs)
            loss = (out.astype("float32") * out.astype("float32")).sum()
        loss.backward()
        res.append((out.asnumpy(), [x.grad.asnumpy() for x in xs]))
    return res


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("case", ["conv", "conv_group", "deconv", "pool_max", "pool_avg",
                                  "batchnorm", "softmax", "log_softmax"])
def test_gpu_kernels_match_cpu(case, dtype):
    x = RNG.standard_normal((2, 4, 9, 8)).astype(dtype)
    w = (RNG.standard_normal((6, 4, 3, 3)) * 0.2).astype(dtype)
    wg = (RNG.standard_normal((6, 2, 3, 3)) * 0.2).astype(dtype)
    bias = RNG.standard_normal(6).astype(dtype)
    gamma, beta = np.full(4, 1.5, "float32"), np.full(4, 0.1, "float32")
    cases = {
        "conv": (lambda d, k, b: mx.nd.Convolution(d, k, b, kernel=(3, 3), num_filter=6,
                                                   pad=(1, 1), stride=(2, 1)),
                 [x, w, bias]),
        "conv_group": (lambda d, k: mx.nd.Convolution(d, k, kernel=(3, 3), num_filter=6,
                                                      num_group=2, no_bias=True,
                                                      dilate=(2, 2)), [x, wg]),
        "deconv": (lambda d, k: mx.nd.Deconvolution(d, k, kernel=(3, 3), num_filter=6,
                                                    stride=(2, 2), pad=(1, 1), adj=(1, 1),
                                                    no_bias=True), [x, w.swapaxes(0, 1)]),
        "pool_max": (lambda d: mx.nd.Pooling(d, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                                             pool_type="max"), [x]),
        "pool_avg": (lambda d: mx.nd.Pooling(d, kernel=(2, 2), stride=(2, 2),
                                             pool_type="avg"), [x]),
        "batchnorm": (lambda d: mx.nd.BatchNorm(
            d, mx.nd.array(gamma, ctx=d.context), mx.nd.array(beta, ctx=d.context),
            mx.nd.zeros(4, ctx=d.context), mx.nd.ones(4, ctx=d.context),
            fix_gamma=False), [x]),
        "softmax": (lambda d: mx.nd.softmax(d, axis=1), [x]),
        "log_softmax": (lambda d: mx.nd.log_softmax(d, temperature=2.0), [x]),
    }
    fn, arrays = cases[case]
    (out_c, grads_c), (out_g, grads_g) = _both(fn, arrays, dtype)
    assert out_g.dtype == out_c.dtype
    _close(out_g, out_c, dtype)
    for gg, gc in zip(grads_g, grads_c):
        _close(gg, gc, dtype)


def test_per_device_random_streams():
    mx.random.seed(7, ctx=mx.gpu(0))
    a = mx.nd.random.uniform(shape=(100,), ctx=mx.gpu(0)).asnumpy()
    n1 = mx.nd.random.normal(shape=(50,), ctx=mx.gpu(0), dtype="float16").asnumpy()
    mx.random.seed(7, ctx=mx.gpu(0))
    b = mx.nd.random.uniform(shape=(100,), ctx=mx.gpu(0)).asnumpy()
    n2 = mx.nd.random.normal(shape=(50,), ctx=mx.gpu(0), dtype="float16").asnumpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(n1, n2)
    assert n1.dtype == np.float16 and 0 <= a.min() and a.max() < 1
    mx.random.seed(8)
    assert not np.array_equal(mx.nd.random.uniform(shape=(100,), ctx=mx.gpu(0))
                              .asnumpy(), a)
    with autograd.train_mode():
        drop = mx.nd.Dropout(mx.nd.ones((1000,), ctx=mx.gpu(0)), p=0.5).asnumpy()
    assert 300 < (drop == 0).sum() < 700


def test_waitall_and_wait_to_read():
    x = mx.nd.ones((256, 256), ctx=mx.gpu(0))
    y = mx.nd.dot(x, x)
    y.wait_to_read()
    mx.nd.waitall()
    assert float(y[0, 0].asscalar()) == 256.0


def test_params_saved_from_gpu_load_as_cpu_ones(tmp_path):
    host = {"w": RNG.standard_normal((3, 3)).astype("float32"),
            "h": RNG.standard_normal(4).astype("float16")}
    mx.nd.save(str(tmp_path / "cpu.params"), {k: mx.nd.array(v, dtype=v.dtype)
                                              for k, v in host.items()})
    mx.nd.save(str(tmp_path / "gpu.params"), {k: mx.nd.array(v, ctx=mx.gpu(0),
                                                              dtype=v.dtype)
                                              for k, v in host.items()})
    # as MXNet, the file records the device it was saved from; nothing else differs
    cpu_bytes, gpu_bytes = ((tmp_path / n).read_bytes() for n in ("cpu.params",
                                                                  "gpu.params"))
    assert len(cpu_bytes) == len(gpu_bytes)
    loaded = [mx.nd.load(str(tmp_path / n)) for n in ("cpu.params", "gpu.params")]
    for key, value in host.items():
        for arrays in loaded:
            assert arrays[key].dtype == value.dtype
            np.testing.assert_array_equal(arrays[key].asnumpy(), value)


def test_lstm_cell_and_fusion_kernels():
    import cupy
    from mxnet_cuda import fusion
    from mxnet_cuda.kernels import lstm
    a = RNG.standard_normal((3, 20)).astype("float32")
    c = RNG.standard_normal((3, 5)).astype("float32")
    for got, ref in zip(lstm.lstm_cell(cupy, cupy.asarray(a), cupy.asarray(c)),
                        lstm.lstm_cell(np, a, c)):
        _close(cupy.asnumpy(got), ref, "float32")
    chain = [("_mul_scalar", {"scalar": 2.0}, [("in", 0)]),
             ("broadcast_add", {}, [("node", 0), ("in", 1)]),
             ("Activation", {"act_type": "sigmoid"}, [("node", 1)])]
    kernel = fusion.fuse(chain, num_inputs=2, outputs=[2])
    for dtype in ("float32", "float16"):
        x = RNG.standard_normal((4, 3)).astype(dtype)
        y = RNG.standard_normal((1, 3)).astype(dtype)
        (got,) = kernel(cupy, cupy.asarray(x), cupy.asarray(y))
        (ref,) = kernel(np, x, y)
        assert got.dtype == np.dtype(dtype)
        _close(cupy.asnumpy(got), ref, dtype)


def test_amp_training_on_gpu():
    gluon = pytest.importorskip("mxnet.gluon")
    from mxnet.contrib import amp
    from mxnet.contrib.amp import amp as amp_impl
    amp.init()
    try:
        net = gluon.nn.Dense(1, in_units=3)
        net.initialize(mx.init.Constant(0.5), ctx=mx.gpu(0))
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
        amp.init_trainer(trainer)
        x = mx.nd.array(RNG.standard_normal((16, 3)), ctx=mx.gpu(0))
        y = mx.nd.dot(x, mx.nd.array([[1.0], [-2.0], [0.5]], ctx=mx.gpu(0)))
        first = None
        for _ in range(40):
            with autograd.record():
                loss = gluon.loss.L2Loss()(net(x).astype("float32"), y)
                with amp.scale_loss(loss, trainer) as scaled:
                    autograd.backward(scaled)
            trainer.step(16)
            first = first if first is not None else float(loss.mean().asscalar())
        assert net(x).dtype == np.float16
        assert float(loss.mean().asscalar()) < 0.2 * first
    finally:
        amp_impl._reset()


def test_two_gpus():
    if mx.num_gpus() < 2:
        pytest.skip("needs two GPUs")
    x = mx.nd.array([[1.0, 2.0], [3.0, 4.0]], ctx=mx.gpu(1))
    assert x._data.device.id == 1
    y = mx.nd.dot(x, x) + 1
    assert y.context == mx.gpu(1) and y._data.device.id == 1
    z = y.copyto(mx.gpu(0))
    assert z._data.device.id == 0
    np.testing.assert_array_equal(z.asnumpy(), [[8.0, 11.0], [16.0, 23.0]])
    with mx.gpu(1):
        w = mx.nd.ones((2,))
        w.attach_grad()
    assert w._data.device.id == 1 and w.grad._data.device.id == 1
    mx.random.seed(3, ctx=mx.gpu(1))
    assert mx.nd.random.uniform(shape=(4,), ctx=mx.gpu(1))._data.device.id == 1
