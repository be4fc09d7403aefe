"""One worker of test_dist.py: trains a linear model on its half of every batch.

Run as ``mpiexec -n 2 python dist_worker.py KIND OUT MOMENTUM``; rank 0 saves the
final weight to OUT (a .npy file). Run alone with KIND=local it trains on whole batches.
"""
import sys

import numpy as np

import mxnet as mx


def main(kind, out_path, momentum):
    kv = mx.kv.create(kind)
    rng = np.random.RandomState(0)
    x_all = rng.randn(8, 16, 5).astype(np.float32)       # 8 batches of 16
    y_all = rng.randn(8, 16, 1).astype(np.float32)
    start = rng.randn(1, 5).astype(np.float32)
    # every rank starts from a different weight: init takes rank 0's
    weight = mx.nd.array(start + kv.rank)
    kv.init(0, weight)
    kv.pull(0, out=weight)
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=momentum,
                                      rescale_grad=1.0 / 16))
    half = 16 // kv.num_workers
    for x, y in zip(x_all, y_all):
        x = mx.nd.array(x[kv.rank * half:(kv.rank + 1) * half])
        y = mx.nd.array(y[kv.rank * half:(kv.rank + 1) * half])
        weight.attach_grad()
        with mx.autograd.record():
            loss = ((mx.nd.dot(x, weight, transpose_b=True) - y) ** 2).sum()
        loss.backward()
        kv.push(0, weight.grad)
        kv.pull(0, out=weight)
    kv._barrier()
    if kv.rank == 0:
        np.save(out_path, weight.asnumpy())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
