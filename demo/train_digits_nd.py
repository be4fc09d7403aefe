"""Train a small MLP on scikit-learn's digits with ``mx.nd`` and ``mx.autograd``.

The MXNet 1.x imperative style, unchanged: NDArrays, ``attach_grad``, ``record``,
``backward`` and hand-written SGD updates; then the parameters go through
``mx.nd.save``/``mx.nd.load`` (MXNet's ``.params`` format) and predict again.

    pip install nox uv && nox -s demo
    # or, in an environment with mx-core and scikit-learn:
    python demo/train_digits.py
"""
import os
import tempfile
import time

import numpy as np
from sklearn.datasets import load_digits

import mxnet as mx
from mxnet import autograd, nd

HIDDEN, EPOCHS, BATCH, LR = 64, 20, 32, 0.1


def load_data(seed=0):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)          # 8x8 pixels in [0, 1]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return (x[:split], y[:split]), (x[split:], y[split:])


def init_params(n_in, n_hidden, n_out, seed=0):
    rng = np.random.default_rng(seed)
    params = {
        "fc1_weight": rng.normal(0, (2.0 / n_in) ** 0.5, (n_hidden, n_in)),
        "fc1_bias": np.zeros(n_hidden),
        "fc2_weight": rng.normal(0, (2.0 / n_hidden) ** 0.5, (n_out, n_hidden)),
        "fc2_bias": np.zeros(n_out),
    }
    params = {name: nd.array(value) for name, value in params.items()}
    for p in params.values():
        p.attach_grad()
    return params


def forward(params, x):
    h = nd.FullyConnected(x, params["fc1_weight"], params["fc1_bias"], num_hidden=HIDDEN)
    h = nd.Activation(h, act_type="relu")
    return nd.FullyConnected(h, params["fc2_weight"], params["fc2_bias"], num_hidden=10)


def cross_entropy(logits, onehot):
    return -(nd.log_softmax(logits) * onehot).sum(axis=1)


def accuracy(params, x, y):
    pred = forward(params, nd.array(x)).asnumpy().argmax(axis=1)
    return float((pred == y).mean())


def train(params, x, y, x_test, y_test):
    eye = np.eye(10, dtype=np.float32)
    rng = np.random.default_rng(1)
    for epoch in range(1, EPOCHS + 1):
        start, total = time.perf_counter(), 0.0
        order = rng.permutation(len(x))
        for i in range(0, len(x), BATCH):
            idx = order[i:i + BATCH]
            data, onehot = nd.array(x[idx]), nd.array(eye[y[idx]])
            with autograd.record():
                loss = cross_entropy(forward(params, data), onehot)
            loss.backward()
            for p in params.values():
                p[:] = p - LR / len(idx) * p.grad        # plain SGD on the mean loss
            total += float(loss.sum().asscalar())
        print(f"epoch {epoch:2d}  loss {total / len(x):.4f}  "
              f"train acc {accuracy(params, x, y):.3f}  "
              f"test acc {accuracy(params, x_test, y_test):.3f}  "
              f"({time.perf_counter() - start:.2f} s)")


def save_and_reload(params, x_test, y_test):
    with tempfile.TemporaryDirectory(prefix="mx-demo-") as tmp:
        path = os.path.join(tmp, "digits.params")
        try:
            nd.save(path, params)
            loaded = nd.load(path)
        except NotImplementedError as err:
            print(f"skipping save/load: {err}")
            return None
        print(f"saved {len(params)} arrays to digits.params "
              f"({os.path.getsize(path)} bytes) and loaded them back")
    acc = accuracy(loaded, x_test, y_test)
    print(f"test accuracy of the reloaded parameters {acc:.3f}")
    return acc


def main():
    (x, y), (x_test, y_test) = load_data()
    print(f"mxnet {mx.__version__} (mx-core); digits: {len(x)} train, {len(x_test)} test")
    params = init_params(x.shape[1], HIDDEN, 10)
    start = time.perf_counter()
    train(params, x, y, x_test, y_test)
    acc = accuracy(params, x_test, y_test)
    print(f"trained in {time.perf_counter() - start:.1f} s, test accuracy {acc:.3f}")
    reloaded = save_and_reload(params, x_test, y_test)
    if reloaded is not None and reloaded != acc:
        raise SystemExit("the reloaded parameters predict differently")
    if acc < 0.9:
        raise SystemExit(f"test accuracy {acc:.3f} is below 0.9")


if __name__ == "__main__":
    main()
