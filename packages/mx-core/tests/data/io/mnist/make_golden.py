"""How mnistiter.npz was made: run with MXNet 1.9.1's Python from this folder. The two idx
files hold 7 random 4x3 images and labels 0..6 (written with struct + NumPy)."""
import sys

import numpy as np

import mxnet as mx

RUNS = [("plain", dict(shuffle=False)), ("flat", dict(shuffle=False, flat=True)),
        ("s0", dict(shuffle=True)), ("s3", dict(shuffle=True, seed=3)),
        ("part", dict(shuffle=True, num_parts=2, part_index=1, batch_size=2))]


def main(path):
    out = {}
    for tag, kw in RUNS:
        kw.setdefault("batch_size", 3)
        it = mx.io.MNISTIter(image="images-idx3-ubyte", label="labels-idx1-ubyte",
                             silent=True, **kw)
        out[tag + "-desc"] = np.array([str(it.provide_data), str(it.provide_label)])
        for ep in range(2):
            for b, batch in enumerate(it):
                out["%s-%d-%d-data" % (tag, ep, b)] = batch.data[0].asnumpy()
                out["%s-%d-%d-label" % (tag, ep, b)] = batch.label[0].asnumpy()
            it.reset()
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mnistiter.npz")
