"""GPU kernels against mx-core's generic code on CuPy: milliseconds per call.

    python packages/mx-cuda/benchmarks/kernels.py [--dtype float16] [--repeat 50]

Each operator runs through its registered ``gpu`` kernel and through mx-core's generic
forward, on the same CuPy arrays; times are CUDA-event medians after a warm-up. Needs a
GPU; prints one line per operator.
"""
import argparse
import statistics

import numpy as np

import mxnet as mx


def _time(fn, repeat):
    import cupy
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        start, stop = cupy.cuda.Event(), cupy.cuda.Event()
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(cupy.cuda.get_elapsed_time(start, stop))
    return statistics.median(times)


def _cases(cp, dtype):
    rng = np.random.default_rng(0)

    def arr(*shape):
        return cp.asarray(rng.standard_normal(shape).astype(dtype))
    x = arr(32, 64, 56, 56)
    return [
        ("Convolution 3x3 64->64", [x, arr(64, 64, 3, 3)],
         dict(kernel=(3, 3), pad=(1, 1), num_filter=64, no_bias=True)),
        ("_backward_Convolution 3x3", [arr(32, 64, 56, 56), x, arr(64, 64, 3, 3)],
         dict(kernel=(3, 3), pad=(1, 1), num_filter=64, no_bias=True)),
        ("Pooling max 3x3/2", [x], dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                                        pool_type="max")),
        ("BatchNorm (train)", [x] + [cp.ones(64, "float32")] * 4, dict(fix_gamma=False)),
        ("softmax (axis -1)", [arr(4096, 1000)], {}),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float16"])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    import cupy
    if mx.num_gpus() == 0:
        raise SystemExit("no GPU visible")
    ops = mx.plugins.get_registry("ops")
    print(f"{'operator':32s} {'generic ms':>11s} {'kernel ms':>10s}  ({args.dtype}, "
          f"{cupy.cuda.runtime.getDeviceProperties(0)['name'].decode()})")
    for name, arrays, params in _cases(cupy, args.dtype):
        op = ops.get(name.split()[0])
        attrs = op.parse(dict(params))
        extra = {"is_train": True} if op.needs_train else {}
        generic = _time(lambda: op.forward(cupy, *arrays, **attrs, **extra), args.repeat)
        kernel = _time(lambda: op.kernels["gpu"](cupy, *arrays, **attrs, **extra),
                       args.repeat)
        print(f"{name:32s} {generic:11.3f} {kernel:10.3f}")


if __name__ == "__main__":
    main()
