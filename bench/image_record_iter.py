"""Images/s of mx.io.ImageRecordIter (1 and 2 worker processes) and mx.image.ImageIter.

Input: a .rec/.idx of ``--images`` random 64x64 JPEGs (made here with
``mx.recordio.pack_img``, in a temporary folder). Every iterator resizes the shorter edge
to 72, crops 56x56 at random, mirrors at random, normalises, and yields float32 NCHW batches
of 128. One epoch warms up (it starts the worker processes); then ``--rounds`` times,
interleaved, ``--epochs`` epochs of each iterator are timed and the best round is kept.
With ``REAL_MXNET_PYTHON`` set to an interpreter that has MXNet 1.9.1, its C++
ImageRecordIter is timed on the same file too (the script re-runs itself there).
"own CPU ms/batch" is this process's CPU time per batch: what decoding takes from training.

    python bench/image_record_iter.py [--images 4000] [--epochs 2] [--rounds 3]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ARGS = dict(data_shape=(3, 56, 56), batch_size=128, resize=72, rand_crop=True,
            rand_mirror=True, mean_r=123.68, mean_g=116.28, mean_b=103.53, std_r=58.395,
            std_g=57.12, std_b=57.375)


def make_rec(folder, count):
    import mxnet as mx
    rng = np.random.default_rng(0)
    path_rec, path_idx = os.path.join(folder, "b.rec"), os.path.join(folder, "b.idx")
    writer = mx.recordio.MXIndexedRecordIO(path_idx, path_rec, "w")
    for i in range(count):
        coarse = rng.integers(0, 256, (8, 8, 3)).astype(np.uint8)
        img = np.kron(coarse, np.ones((8, 8, 1), np.uint8))
        img = (img + rng.integers(0, 32, img.shape)).clip(0, 255).astype(np.uint8)
        writer.write_idx(i, mx.recordio.pack_img(mx.recordio.IRHeader(0, i % 1000, i, 0),
                                                 img, quality=90))
    writer.close()
    return path_rec, path_idx


def images_per_s(it, epochs):
    """``(images/s, CPU ms of this process per batch)``: what is left here for training."""
    count, batches = 0, 0
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        it.reset()
        for batch in it:
            batch.data[0].asnumpy()
            count += batch.data[0].shape[0] - batch.pad
            batches += 1
    return (count / (time.perf_counter() - start),
            (time.process_time() - cpu) * 1e3 / batches)


def best_of(iters, epochs, rounds):
    """Interleaved rounds, the best of each (the machine may be shared)."""
    for it in iters.values():
        for _ in it:            # warm-up epoch: starts the workers
            pass
    best = {}
    for _ in range(rounds):
        for name, it in iters.items():
            rate, cpu = images_per_s(it, epochs)
            if rate > best.get(name, (0, 0))[0]:
                best[name] = (rate, cpu)
    return best


def record_iters(path_rec, path_idx):
    import mxnet as mx
    return {f"ImageRecordIter, {n} worker{'s' if n > 1 else ''}":
            mx.io.ImageRecordIter(path_imgrec=path_rec, path_imgidx=path_idx,
                                  preprocess_threads=n, **ARGS) for n in (1, 2)}


def image_iter(path_rec, path_idx):
    import mxnet as mx
    args = dict(ARGS)
    mean = np.array([args.pop(k) for k in ("mean_r", "mean_g", "mean_b")])
    std = np.array([args.pop(k) for k in ("std_r", "std_g", "std_b")])
    it = mx.image.ImageIter(args.pop("batch_size"), args.pop("data_shape"),
                            path_imgrec=path_rec, path_imgidx=path_idx, mean=mean, std=std,
                            inter_method=1, **args)
    return {"mx.image.ImageIter": it}


def real_mxnet(path_rec, path_idx, epochs, rounds):
    python = os.environ.get("REAL_MXNET_PYTHON")
    if not python:
        return {}
    res = subprocess.run([python, __file__, "--only-record-iter", path_rec, path_idx,
                          "--epochs", str(epochs), "--rounds", str(rounds)],
                         capture_output=True, text=True, check=True)
    found = json.loads(res.stdout.strip().splitlines()[-1])
    return {f"real MXNet 1.9.1 {k}": tuple(v) for k, v in found.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only-record-iter", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_record_iter:
        print(json.dumps(best_of(record_iters(*args.only_record_iter), args.epochs,
                                 args.rounds)))
        return
    with tempfile.TemporaryDirectory() as folder:
        paths = make_rec(folder, args.images)
        iters = {**record_iters(*paths), **image_iter(*paths)}
        rows = {**best_of(iters, args.epochs, args.rounds),
                **real_mxnet(*paths, args.epochs, args.rounds)}
        del iters
    base = rows["ImageRecordIter, 1 worker"][0]
    print(f"{args.images} JPEGs 64x64 -> resize 72, random crop 56x56, mirror, normalise; "
          f"batch 128; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    print(f"{'iterator':<44}{'images/s':>9}{'vs 1 worker':>13}{'own CPU ms/batch':>19}")
    for name, (rate, cpu) in rows.items():
        print(f"{name:<44}{rate:>9.0f}{rate / base:>12.2f}x{cpu:>19.1f}")


if __name__ == "__main__":
    sys.exit(main())
