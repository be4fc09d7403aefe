"""Train a LeNet-style Gluon network on scikit-learn's bundled digits, export it,
reload it with ``SymbolBlock.imports`` and predict: MXNet 1.x Gluon code, unchanged.

    pip install nox uv && nox -s demo
    # or, in an environment with mx-core, mx-symbol, mx-gluon and scikit-learn:
    python demo/train_digits.py

``demo/train_digits_nd.py`` is the same task in the lower-level ``mx.nd`` +
``mx.autograd`` style.
"""
import os
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import load_digits

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import nn

EPOCHS, BATCH, LR = 8, 32, 0.05


def load_data(seed=0):
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]   # N x 1 x 8 x 8
    y = digits.target.astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return (x[:split], y[:split]), (x[split:], y[split:])


def lenet():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(16, kernel_size=3, padding=1, activation="relu"),
                nn.MaxPool2D(pool_size=2),
                nn.Conv2D(32, kernel_size=3, padding=1, activation="relu"),
                nn.MaxPool2D(pool_size=2),
                nn.Flatten(),
                nn.Dense(64, activation="relu"),
                nn.Dropout(0.2),
                nn.Dense(10))
    return net


def progress(epoch, done, total, loss, width=30):
    if not sys.stdout.isatty() and done < total:
        return          # a log file gets one line per epoch, a terminal a live bar
    filled = int(width * done / total)
    bar = "=" * filled + "." * (width - filled)
    sys.stdout.write(f"\repoch {epoch + 1}/{EPOCHS} [{bar}] {done}/{total} loss {loss:.4f}")
    sys.stdout.flush()


def accuracy(net, x, y):
    pred = net(mx.nd.array(x)).argmax(axis=1).asnumpy()
    return float((pred == y).mean())


def main():
    mx.random.seed(0)
    np.random.seed(0)
    (xtr, ytr), (xte, yte) = load_data()
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(xtr, ytr), batch_size=BATCH,
                                   shuffle=True)
    net = lenet()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd",
                            {"learning_rate": LR, "momentum": 0.9})
    tic = time.time()
    for epoch in range(EPOCHS):
        total, seen = 0.0, 0
        for i, (data, label) in enumerate(loader):
            with autograd.record():
                loss = loss_fn(net(data), label)
            loss.backward()
            trainer.step(data.shape[0])
            total += loss.sum().asscalar()
            seen += data.shape[0]
            progress(epoch, i + 1, len(loader), total / seen)
        print(f"  test accuracy {accuracy(net, xte, yte):.3f}")
    print(f"trained in {time.time() - tic:.1f}s")

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "lenet-digits")
        sym_file, params_file = net.export(prefix, epoch=EPOCHS)
        print(f"exported {os.path.basename(sym_file)} and {os.path.basename(params_file)}")
        reloaded = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
        acc = accuracy(reloaded, xte, yte)
        print(f"reloaded with SymbolBlock.imports: test accuracy {acc:.3f}")
        sample = reloaded(mx.nd.array(xte[:8])).argmax(axis=1).asnumpy().astype(int)
        print(f"predictions {sample.tolist()} vs labels {yte[:8].astype(int).tolist()}")
    if acc < 0.9:
        raise SystemExit(f"demo accuracy too low: {acc:.3f}")


if __name__ == "__main__":
    main()
