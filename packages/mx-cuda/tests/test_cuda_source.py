"""The CUDA C++ of every elementwise kernel, compiled with NVRTC: no GPU needed.

CuPy compiles an ElementwiseKernel at its first call, on a GPU. Here each body is put
in a kernel of the same shape (each parameter a local of its type, outputs references)
and compiled for float, float16 and double, so a typo or a missing float16 conversion
shows on any machine with CuPy, NVRTC (``nvidia-cuda-nvrtc-cu12``) and the CUDA
headers (``nvidia-cuda-runtime-cu12``) installed; elsewhere it is skipped.
"""
import os

import pytest

cupy = pytest.importorskip("cupy", reason="CuPy is not installed")


def _cuda_include():
    try:
        import nvidia.cuda_runtime as rt
    except ImportError:
        return None
    path = os.path.join(list(rt.__path__)[0], "include")
    return path if os.path.exists(os.path.join(path, "cuda_fp16.h")) else None


def _nvrtc():
    try:
        from cupy_backends.cuda.libs import nvrtc
        nvrtc.getVersion()
    except Exception:
        return None
    return nvrtc


NVRTC, INCLUDE = _nvrtc(), _cuda_include()
pytestmark = pytest.mark.skipif(NVRTC is None or INCLUDE is None,
                                reason="NVRTC or the CUDA headers are not installed")


def _source(name, in_params, out_params, body, t, s):
    params, locals_ = [], []
    for spec, out in [(p, False) for p in in_params.split(",")] + \
            [(p, True) for p in out_params.split(",")]:
        typ, var = spec.split()
        typ = {"float32": "float", "float16": "float16"}.get(typ, typ)
        params.append(f"{'' if out else 'const '}{typ}* p_{var}")
        locals_.append(f"{typ} &{var} = p_{var}[i];" if out
                       else f"const {typ} {var} = p_{var}[i];")
    return (f"#include <cupy/carray.cuh>\n#include <cupy/float16.cuh>\n"
            f"typedef {t} T; typedef {s} S;\n"
            f'extern "C" __global__ void {name}({", ".join(params)}, int n) {{\n'
            f"  int i = blockIdx.x * blockDim.x + threadIdx.x; if (i >= n) return;\n"
            f"  {' '.join(locals_)}\n{body}\n}}\n")


def _specs():
    from mxnet_cuda import fusion
    from mxnet_cuda.kernels import batch_norm, lstm, softmax
    chain = [("_mul_scalar", {"scalar": 2.0}, [("in", 0)]),
             ("broadcast_add", {}, [("node", 0), ("in", 1)])]
    chain += [(op, {}, [("node", j + 1)]) for j, op in enumerate(
        ["relu", "sigmoid", "tanh", "exp", "log", "sqrt", "square", "negative", "abs",
         "softsign"])]
    chain += [("broadcast_maximum", {}, [("node", 11), ("in", 0)]),
              ("_rdiv_scalar", {"scalar": 1e-05}, [("node", 12)])]
    fused = fusion.fuse(chain, 2, [2, 13])
    return {"affine": batch_norm.AFFINE, "shifted_exp": softmax.SHIFTED_EXP,
            "lstm_cell": lstm.CELL,
            "fused": ("fused",) + fused.signature() + (fused.source,)}


@pytest.mark.parametrize("types", [("float", "float"), ("float16", "float"),
                                   ("double", "double")])
@pytest.mark.parametrize("kernel", ["affine", "shifted_exp", "lstm_cell", "fused"])
def test_kernel_source_compiles(kernel, types):
    src = _source(*_specs()[kernel], *types)
    include = os.path.join(os.path.dirname(cupy.__file__), "_core", "include")
    prog = NVRTC.createProgram(src, kernel + ".cu", [], [])
    try:
        NVRTC.compileProgram(prog, ["-I" + include, "-I" + INCLUDE, "--std=c++17"])
    except Exception:
        pytest.fail(f"{kernel} ({types[0]}) does not compile:\n"
                    f"{NVRTC.getProgramLog(prog)}\n{src}")
