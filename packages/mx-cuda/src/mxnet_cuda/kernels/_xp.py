"""What the GPU kernels need beyond the array API, for both CuPy and NumPy.

Every kernel in this package takes the array namespace ``xp`` like mx-core's operators,
so its algorithm runs (and is tested) with NumPy on any machine; only the few lines
below tell the two apart.
"""
import numpy as np

_DEVICE_CONSTS = {}
_KERNELS = {}
_MAX_CONSTS = 512          # index arrays cached per (shape, device); a bound, not a tuning


def is_cupy(xp):
    return getattr(xp, "__name__", "") == "cupy"


def device_const(xp, key, build):
    """``build()`` (a NumPy array) as an array of ``xp``'s current device, cached."""
    if not is_cupy(xp):
        full = ("numpy",) + key
    else:
        full = (xp.cuda.runtime.getDevice(),) + key
    arr = _DEVICE_CONSTS.get(full)
    if arr is None:
        if len(_DEVICE_CONSTS) >= _MAX_CONSTS:
            _DEVICE_CONSTS.clear()
        arr = _DEVICE_CONSTS[full] = xp.asarray(build())
    return arr


def scatter_add(xp, target, index, values):
    """``target[index] += values`` with repeated indices accumulated (atomics on GPU)."""
    if is_cupy(xp):
        import cupyx
        cupyx.scatter_add(target, index, values)
    else:
        np.add.at(target, index, values)


def accum_dtype(dtype):
    """float16 sums accumulate in float32 (as MXNet's kernels do)."""
    return np.dtype("float32") if np.dtype(dtype) == np.float16 else np.dtype(dtype)


def elementwise(xp, name, in_params, out_params, body, numpy_fn):
    """A fused elementwise kernel: a cached ``cupy.ElementwiseKernel`` on the GPU,
    ``numpy_fn`` (the same formula in NumPy, the tested reference) otherwise."""
    if not is_cupy(xp):
        return numpy_fn
    kern = _KERNELS.get(name)
    if kern is None:
        kern = _KERNELS[name] = xp.ElementwiseKernel(in_params, out_params, body,
                                                     "mxnet_cuda_" + name)
    return kern
