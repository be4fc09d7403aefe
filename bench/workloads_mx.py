"""Benchmark workloads written only against the public MXNet 1.x Python API.

The same file runs on the real MXNet 1.9.1 and on the re-implementation:
whichever package `import mxnet` resolves to is measured.

    python workloads_mx.py --workloads list
    python workloads_mx.py --workloads dispatch_add,gemm2048 [--out f.jsonl]

Prints one JSON line per workload (see _harness.py).
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import mxnet as mx  # noqa: E402
from mxnet import autograd, nd  # noqa: E402

try:
    from mxnet import gluon
    from mxnet.gluon import nn
except ImportError:   # this project without mx-gluon: the other workloads still run
    gluon = nn = None

import _harness as H  # noqa: E402

CTX = mx.cpu()
R = {}


def workload(fn):
    R[fn.__name__] = fn
    return fn


def sync():
    nd.waitall()


# ---------------------------------------------------------------- dispatch
def _small_pair():
    a = nd.array(np.random.rand(10).astype("float32"), ctx=CTX)
    b = nd.array(np.random.rand(10).astype("float32"), ctx=CTX)
    return a, b


@workload
def dispatch_add():
    a, b = _small_pair()
    n = H.DISPATCH_N

    def run():
        for _ in range(n):
            c = a + b
        sync()
        return c
    return H.Spec(run, n, "us/op", warmup=1, repeats=7)


@workload
def dispatch_add_record():
    a, b = _small_pair()
    a.attach_grad()
    b.attach_grad()
    n = H.DISPATCH_N

    def run():
        with autograd.record():
            for _ in range(n):
                c = a + b
        sync()
        return c
    return H.Spec(run, n, "us/op", warmup=1, repeats=7)


@workload
def dispatch_chain10():
    """10 different small ops per chain (elementwise, scalar, unary)."""
    a, b = _small_pair()
    chains = H.DISPATCH_N // 10

    def run():
        for _ in range(chains):
            c = a + b
            c = c * b
            c = c - a
            c = nd.relu(c)
            c = nd.sigmoid(c)
            c = nd.tanh(c)
            c = c * 2.0
            c = c + 1.0
            c = nd.sqrt(c)
            c = nd.square(c)
        sync()
        return c
    return H.Spec(run, chains * 10, "us/op", warmup=1, repeats=7)


# ---------------------------------------------------------------- training
def _train_spec(net, x, y, batch, steps, flops_fwd, warmup, repeats, extra):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd",
                            {"learning_rate": 0.01})

    def run():
        for _ in range(steps):
            with autograd.record():
                out = net(x)
                loss = loss_fn(out, y)
            loss.backward()
            trainer.step(batch)
        sync()
    return H.Spec(run, steps * batch, "samples/s", warmup=warmup,
                  repeats=repeats, flops=3 * flops_fwd * steps, extra=extra)


def _labels(batch, classes=10):
    return nd.array(np.random.randint(0, classes, size=batch)
                    .astype("float32"), ctx=CTX)


def _mlp(hybrid):
    net = nn.HybridSequential()
    net.add(nn.Dense(512, activation="relu"),
            nn.Dense(512, activation="relu"),
            nn.Dense(10))
    net.initialize(mx.init.Xavier(), ctx=CTX)
    if hybrid:
        net.hybridize()
    bs = H.MLP_BATCH
    x = nd.random.uniform(shape=(bs, 784), ctx=CTX)
    return _train_spec(net, x, _labels(bs), bs, 20, H.mlp_fwd_flops(bs),
                       warmup=1, repeats=7, extra={"hybridized": hybrid})


@workload
def mlp_train():
    return _mlp(False)


@workload
def mlp_train_hybrid():
    return _mlp(True)


def _lenet(hybrid):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(20, kernel_size=5, activation="relu"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(50, kernel_size=5, activation="relu"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Flatten(),
            nn.Dense(500, activation="relu"),
            nn.Dense(10))
    net.initialize(mx.init.Xavier(), ctx=CTX)
    if hybrid:
        net.hybridize()
    bs = H.LENET_BATCH
    x = nd.random.uniform(shape=(bs, 1, 28, 28), ctx=CTX)
    return _train_spec(net, x, _labels(bs), bs, 10, H.lenet_fwd_flops(bs),
                       warmup=1, repeats=7, extra={"hybridized": hybrid})


@workload
def lenet_train():
    return _lenet(False)


@workload
def lenet_train_hybrid():
    return _lenet(True)


# ---------------------------------------------------------------- resnet
def _resnet18():
    from mxnet.gluon.model_zoo import vision
    net = vision.resnet18_v1(classes=1000)
    net.initialize(mx.init.Xavier(), ctx=CTX)
    net.hybridize()
    return net


@workload
def resnet18_infer224():
    net = _resnet18()
    bs, s = H.RESNET_INFER_BATCH, H.RESNET_INFER_SIZE
    x = nd.random.uniform(shape=(bs, 3, s, s), ctx=CTX)

    def run():
        out = net(x)
        sync()
        return out
    return H.Spec(run, bs, "images/s", warmup=3, repeats=7,
                  flops=H.resnet18_fwd_flops(bs, s), extra={"hybridized": True})


def _resnet_train(size):
    net = _resnet18()
    bs = H.RESNET_TRAIN_BATCH
    x = nd.random.uniform(shape=(bs, 3, size, size), ctx=CTX)
    return _train_spec(net, x, _labels(bs, 1000), bs, 1,
                       H.resnet18_fwd_flops(bs, size), warmup=2, repeats=5,
                       extra={"hybridized": True})


@workload
def resnet18_train112():
    return _resnet_train(H.RESNET_TRAIN_SIZE)


@workload
def resnet18_train224():
    return _resnet_train(H.RESNET_INFER_SIZE)


# ---------------------------------------------------------------- lstm
@workload
def lstm_fwdbwd():
    layer = gluon.rnn.LSTM(H.LSTM_HIDDEN, num_layers=H.LSTM_LAYERS,
                           layout="TNC", input_size=H.LSTM_INPUT)
    layer.initialize(mx.init.Xavier(), ctx=CTX)
    x = nd.random.uniform(shape=(H.LSTM_SEQ, H.LSTM_BATCH, H.LSTM_INPUT),
                          ctx=CTX)

    def run():
        with autograd.record():
            out = layer(x)
            loss = out.mean()
        loss.backward()
        sync()
    f = H.lstm_fwd_flops(H.LSTM_SEQ, H.LSTM_BATCH, H.LSTM_INPUT,
                         H.LSTM_HIDDEN, H.LSTM_LAYERS)
    return H.Spec(run, H.LSTM_BATCH, "seqs/s", warmup=2, repeats=7,
                  flops=3 * f)


# ---------------------------------------------------------------- gemm
@workload
def gemm2048():
    n = H.GEMM_N
    a = nd.random.uniform(shape=(n, n), ctx=CTX)
    b = nd.random.uniform(shape=(n, n), ctx=CTX)

    def run():
        c = nd.dot(a, b)
        sync()
        return c
    f = 2 * n ** 3
    return H.Spec(run, f, "GFLOP/s", warmup=2, repeats=10, flops=f,
                  scale=1e9)


# ---------------------------------------------------------------- save/load
def _params():
    return {"p%02d" % i: nd.random.uniform(shape=H.SAVE_SHAPE, ctx=CTX)
            for i in range(H.SAVE_ARRAYS)}


def _nbytes():
    return H.SAVE_ARRAYS * int(np.prod(H.SAVE_SHAPE)) * 4


@workload
def save_100mb():
    params = _params()
    sync()
    d = tempfile.mkdtemp(prefix="bench_mx_")
    fname = os.path.join(d, "p.params")

    def run():
        nd.save(fname, params)
    return H.Spec(run, _nbytes(), "MB/s", warmup=1, repeats=5, scale=1e6,
                  teardown=lambda: shutil.rmtree(d, ignore_errors=True))


@workload
def load_100mb():
    params = _params()
    d = tempfile.mkdtemp(prefix="bench_mx_")
    fname = os.path.join(d, "p.params")
    nd.save(fname, params)

    def run():
        loaded = nd.load(fname)
        sync()
        assert len(loaded) == H.SAVE_ARRAYS
    return H.Spec(run, _nbytes(), "MB/s", warmup=1, repeats=5, scale=1e6,
                  teardown=lambda: shutil.rmtree(d, ignore_errors=True))


def _info():
    info = {"mxnet_version": getattr(mx, "__version__", "?"),
            # last path components only: no machine-specific paths in results
            "mxnet_location": "/".join(os.path.dirname(
                getattr(mx, "__file__", "") or "").split(os.sep)[-3:]),
            "numpy_version": np.__version__}
    try:
        feats = mx.runtime.Features()
        info["mxnet_features"] = sorted(k for k in feats.keys()
                                        if feats.is_enabled(k))
    except Exception as e:
        info["mxnet_features"] = "unavailable: %r" % (e,)
    return info


if __name__ == "__main__":
    H.main(R, os.environ.get("BENCH_SYSTEM_NAME", "mxnet"), _info)
