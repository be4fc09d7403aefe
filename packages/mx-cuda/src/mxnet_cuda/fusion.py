"""Elementwise fusion: a chain of elementwise operators as ONE GPU kernel.

Interface for a graph executor (mx-symbol's, when it learns to fuse)::

    from mxnet_cuda import fusion
    if all(fusion.can_fuse(op, attrs) for op, attrs, _ in nodes):
        kernel = fusion.fuse(nodes, num_inputs=2, outputs=[3])
        (y,) = kernel(xp, a, b)             # xp: cupy on the GPU, numpy elsewhere

``nodes`` is the subgraph in topological order, each ``(op_name, attrs, args)`` where
``args`` refers to graph inputs as ``("in", k)`` and to earlier nodes as ``("node", j)``;
``outputs`` lists the node indices to return. Inputs broadcast as NumPy does (so the
``broadcast_*`` operators fuse too). The values are computed in float32 (float64 for
float64 inputs) and stored in the inputs' dtype: float16 chains keep float32 accuracy.

On CuPy the result is a cached ``cupy.ElementwiseKernel`` generated from the chain
(:attr:`FusedKernel.source`); on NumPy the same chain is evaluated operator by operator,
which is the reference the tests compare the generated code's structure with.
"""
import numpy as np

from .kernels._xp import is_cupy

__all__ = ["can_fuse", "fuse", "FusedKernel", "FUSIBLE"]

# op -> (CUDA expression, NumPy function); {0}, {1} are arguments, {s} the scalar
_UNARY = {
    "relu": ("max({0}, (S)0)", lambda a: np.maximum(a, 0)),
    "sigmoid": ("(S)1 / ((S)1 + exp(-{0}))", lambda a: 1 / (1 + np.exp(-a))),
    "tanh": ("tanh({0})", np.tanh), "exp": ("exp({0})", np.exp),
    "log": ("log({0})", np.log), "sqrt": ("sqrt({0})", np.sqrt),
    "square": ("({0} * {0})", np.square), "negative": ("(-{0})", np.negative),
    "abs": ("fabs({0})", np.abs), "softsign": ("({0} / ((S)1 + fabs({0})))",
                                               lambda a: a / (1 + np.abs(a))),
}
_BINARY = {
    "elemwise_add": ("({0} + {1})", np.add), "elemwise_sub": ("({0} - {1})", np.subtract),
    "elemwise_mul": ("({0} * {1})", np.multiply), "elemwise_div": ("({0} / {1})", np.divide),
    "broadcast_add": ("({0} + {1})", np.add), "broadcast_sub": ("({0} - {1})", np.subtract),
    "broadcast_mul": ("({0} * {1})", np.multiply),
    "broadcast_div": ("({0} / {1})", np.divide),
    "broadcast_maximum": ("max({0}, {1})", np.maximum),
    "broadcast_minimum": ("min({0}, {1})", np.minimum),
}
_SCALAR = {
    "_plus_scalar": ("({0} + {s})", lambda a, s: a + s),
    "_minus_scalar": ("({0} - {s})", lambda a, s: a - s),
    "_rminus_scalar": ("({s} - {0})", lambda a, s: s - a),
    "_mul_scalar": ("({0} * {s})", lambda a, s: a * s),
    "_div_scalar": ("({0} / {s})", lambda a, s: a / s),
    "_rdiv_scalar": ("({s} / {0})", lambda a, s: s / a),
    "_maximum_scalar": ("max({0}, {s})", lambda a, s: np.maximum(a, s)),
    "_minimum_scalar": ("min({0}, {s})", lambda a, s: np.minimum(a, s)),
}
_ACT = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "softsign": "softsign"}
FUSIBLE = set(_UNARY) | set(_BINARY) | set(_SCALAR) | {"Activation"}


def can_fuse(op_name, attrs=None):
    """Whether :func:`fuse` accepts this operator (with these attributes)."""
    if op_name == "Activation":
        return (attrs or {}).get("act_type") in _ACT
    return op_name in FUSIBLE


def _resolve(op_name, attrs):
    if op_name == "Activation":
        return _ACT[attrs["act_type"]]
    return op_name


def _scalar(attrs):
    return float(attrs["scalar"])


class FusedKernel:
    """A fused chain; call it as ``kernel(xp, *inputs) -> tuple of outputs``."""

    def __init__(self, nodes, num_inputs, outputs):
        for op_name, attrs, _ in nodes:
            if not can_fuse(op_name, attrs):
                raise ValueError(f"fusion: operator {op_name} is not elementwise-fusible")
        self.nodes = [(_resolve(o, a), a, list(args)) for o, a, args in nodes]
        self.num_inputs = num_inputs
        self.outputs = list(outputs)
        self.source = self._generate()
        self._kernel = None

    def _ref(self, arg):
        kind, k = arg
        return f"x{k}" if kind == "in" else f"v{k}"

    def _generate(self):
        lines = [f"S x{k} = (S)in{k};" for k in range(self.num_inputs)]
        for j, (op, attrs, args) in enumerate(self.nodes):
            refs = [self._ref(a) for a in args]
            if op in _SCALAR:
                expr = _SCALAR[op][0].format(*refs, s=f"(S){_scalar(attrs)!r}")
            else:
                expr = (_UNARY.get(op) or _BINARY[op])[0].format(*refs)
            lines.append(f"S v{j} = {expr};")
        lines += [f"out{i} = (T)v{j};" for i, j in enumerate(self.outputs)]
        return "\n".join(lines)

    def signature(self):
        """(in_params, out_params) of the ElementwiseKernel; ``S`` is the compute type."""
        ins = ", ".join(f"T in{k}" for k in range(self.num_inputs))
        outs = ", ".join(f"T out{i}" for i in range(len(self.outputs)))
        return ins + ", S zero", outs

    def _numpy(self, *inputs):
        dtype = np.result_type(*inputs)
        acc = np.float64 if dtype == np.float64 else np.float32
        xs = [np.asarray(x, dtype=acc) for x in inputs]
        vals = []
        for op, attrs, args in self.nodes:
            a = [xs[k] if kind == "in" else vals[k] for kind, k in args]
            if op in _SCALAR:
                vals.append(_SCALAR[op][1](a[0], acc(_scalar(attrs))))
            else:
                vals.append((_UNARY.get(op) or _BINARY[op])[1](*a).astype(acc, copy=False))
        return tuple(vals[j].astype(dtype) for j in self.outputs)

    def __call__(self, xp, *inputs):
        if len(inputs) != self.num_inputs:
            raise ValueError(f"fusion: expected {self.num_inputs} inputs, got {len(inputs)}")
        if not is_cupy(xp):
            return self._numpy(*inputs)
        if self._kernel is None:
            self._kernel = xp.ElementwiseKernel(*self.signature(), self.source,
                                                "mxnet_cuda_fused")
        dtype = inputs[0].dtype
        acc = np.float64 if dtype == np.float64 else np.float32
        res = self._kernel(*inputs, acc(0))
        return res if isinstance(res, tuple) else (res,)


def fuse(nodes, num_inputs, outputs):
    """A :class:`FusedKernel` for the chain ``nodes`` (see the module docstring)."""
    return FusedKernel(nodes, num_inputs, outputs)
