"""How ndarrayiter_shuffle.npz was made: run with MXNet 1.9.1's Python from this folder
(``python make_shuffle_golden.py ndarrayiter_shuffle.npz``)."""
import sys

import numpy as np

import mxnet as mx


def _flat(batch, with_label=True):
    parts = [batch.data[0].asnumpy().ravel()]
    if with_label:
        parts.append(batch.label[0].asnumpy())
    return np.concatenate(parts + [[batch.pad]])


def main(path):
    out = {}
    data = np.arange(30, dtype="float32").reshape(10, 3)
    label = np.arange(10, dtype="float32")
    for lbh in ("pad", "discard", "roll_over"):
        np.random.seed(7)
        it = mx.io.NDArrayIter(data, label, batch_size=4, shuffle=True, last_batch_handle=lbh)
        for ep in range(3):
            for b, batch in enumerate(it):
                out["%s-%d-%d" % (lbh, ep, b)] = _flat(batch)
            it.reset()
    it = mx.io.NDArrayIter(np.arange(3, dtype="float32"), batch_size=7)
    for b, batch in enumerate(it):
        out["big-%d" % b] = _flat(batch, with_label=False)
    it = mx.io.NDArrayIter(data, batch_size=4, last_batch_handle="roll_over")
    list(it)
    it.reset()
    out["nolabel-roll"] = _flat(next(it), with_label=False)
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
