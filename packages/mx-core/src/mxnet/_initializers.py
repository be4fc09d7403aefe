"""The concrete initializers of ``mx.init`` (re-exported by ``mxnet.initializer``)."""
import json

import numpy as np

from . import random
from .base import MXNetError, string_types
from .initializer import InitDesc, Initializer, alias, create, register

__all__ = ["Zero", "One", "Constant", "Uniform", "Normal", "Orthogonal", "Xavier",
           "MSRAPrelu", "Bilinear", "LSTMBias", "FusedRNN"]


@register
@alias("zeros")
class Zero(Initializer):
    """Fill with 0."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0


@register
@alias("ones")
class One(Initializer):
    """Fill with 1."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1


@register
class Constant(Initializer):
    """Fill with ``value`` (a scalar, or an array broadcast to the parameter's shape)."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        val = self._kwargs["value"]
        if not np.isscalar(val):
            self._kwargs["value"] = val.tolist() if isinstance(val, np.ndarray) \
                else val.asnumpy().tolist()
        return json.dumps([type(self).__name__.lower(), self._kwargs])


@register
class Uniform(Initializer):
    """Draw from U(-scale, scale)."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        random.uniform(-self.scale, self.scale, arr.shape, out=arr)


@register
class Normal(Initializer):
    """Draw from N(0, sigma**2)."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        random.normal(0, self.sigma, arr.shape, out=arr)


@register
class Orthogonal(Initializer):
    """A random (semi-)orthogonal matrix times ``scale`` (Saxe et al. 2013).

    The weight, seen as ``(shape[0], prod(shape[1:]))``, has orthonormal rows (or
    columns, whichever are fewer) scaled by ``scale``.
    """

    def __init__(self, scale=1.414, rand_type="uniform"):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, name, arr):
        nout, nin = arr.shape[0], int(np.prod(arr.shape[1:]))
        if self.rand_type == "uniform":
            tmp = random.uniform(-1.0, 1.0, shape=(nout, nin)).asnumpy()
        elif self.rand_type == "normal":
            tmp = random.normal(0.0, 1.0, shape=(nout, nin)).asnumpy()
        else:
            raise MXNetError(f"Orthogonal: rand_type must be 'uniform' or 'normal', got "
                             f"{self.rand_type!r}")
        u, _, v = np.linalg.svd(tmp, full_matrices=False)
        res = u if u.shape == tmp.shape else v
        arr[:] = self.scale * res.reshape(arr.shape)


def _fans(name, shape):
    if len(shape) < 2:
        raise ValueError(f"Xavier initializer cannot be applied to vector {name}. It "
                         "requires at least 2D.")
    hw_scale = float(np.prod(shape[2:])) if len(shape) > 2 else 1.
    return shape[1] * hw_scale, shape[0] * hw_scale


@register
class Xavier(Initializer):
    """Glorot & Bengio's initializer, scaled by the fans of the weight.

    ``scale = sqrt(magnitude / factor)`` with ``factor`` the average of fan-in and
    fan-out ('avg'), fan-in ('in') or fan-out ('out'); draws U(-scale, scale)
    ('uniform') or N(0, scale**2) ('gaussian'). For conv weights the fans include the
    kernel area ``prod(shape[2:])``.
    """

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        fan_in, fan_out = _fans(name, arr.shape)
        factor = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in,
                  "out": fan_out}.get(self.factor_type)
        if factor is None:
            raise ValueError("Incorrect factor type")
        scale = float(np.sqrt(self.magnitude / factor))
        if self.rnd_type == "uniform":
            random.uniform(-scale, scale, arr.shape, out=arr)
        elif self.rnd_type == "gaussian":
            random.normal(0, scale, arr.shape, out=arr)
        else:
            raise ValueError("Unknown random type")


@register
class MSRAPrelu(Xavier):
    """He et al.'s initializer for PReLU nets: Gaussian Xavier, magnitude 2/(1+slope**2)."""

    def __init__(self, factor_type="avg", slope=0.25):
        super().__init__("gaussian", factor_type, 2. / (1 + slope ** 2))
        self._kwargs = {"factor_type": factor_type, "slope": slope}


def _bilinear(shape):
    """The bilinear up-sampling kernel over the last two axes (a float32 array)."""
    f = np.ceil(shape[3] / 2.)
    c = (2 * f - 1 - f % 2) / (2. * f)
    x = np.arange(shape[3])
    y = np.arange(shape[2])
    plane = (1 - np.abs(y[:, None] / f - c)) * (1 - np.abs(x[None, :] / f - c))
    return np.broadcast_to(plane.astype(np.float32), tuple(shape)).copy()


@register
class Bilinear(Initializer):
    """The bilinear interpolation kernel, for Deconvolution-based up-sampling."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = _bilinear(arr.shape)


@register
class LSTMBias(Initializer):
    """Zeros, except ``forget_bias`` on the forget gate (the second quarter, MXNet's order)."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr):
        arr[:] = 0.0
        num_hidden = int(arr.shape[0] / 4)
        arr[num_hidden:2 * num_hidden] = self.forget_bias


@register
class FusedRNN(Initializer):
    """Initialize a fused RNN's packed parameter vector gate by gate (the layout of
    MXNet's ``FusedRNNCell``: every layer's weights, then every layer's biases)."""

    def __init__(self, init, num_hidden, num_layers, mode, bidirectional=False,
                 forget_bias=1.0):
        if isinstance(init, string_types):
            init = create(init)
        super().__init__(init=init.dumps() if init is not None else None,
                         num_hidden=num_hidden, num_layers=num_layers, mode=mode,
                         bidirectional=bidirectional, forget_bias=forget_bias)
        self._init = init
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._forget_bias = forget_bias

    def _init_weight(self, desc, arr):
        from .ndarray.ndarray import _wrap
        flat = arr._data.reshape(-1)            # views into it are filled in place
        for name, start, shape in _fused_rnn_layout(
                flat.size, self._num_hidden, self._num_layers, self._mode,
                self._bidirectional):
            size = 1
            for d in shape:
                size *= d
            piece = _wrap(flat[start:start + size].reshape(shape), arr.context)
            arg_desc = InitDesc(name, global_init=desc.global_init)
            if self._mode == "lstm" and name.endswith("_f_bias"):
                piece[:] = self._forget_bias
            elif self._init is None:
                desc.global_init(arg_desc, piece)
            else:
                self._init(arg_desc, piece)


_GATES = {"lstm": ("_i", "_f", "_c", "_o"), "gru": ("_r", "_z", "_o"), "rnn_relu": ("",),
          "rnn_tanh": ("",)}


def _fused_rnn_layout(size, num_hidden, num_layers, mode, bidirectional):
    """``[(name, offset, shape)]`` of each gate's piece of a packed RNN parameter vector."""
    if mode not in _GATES:
        raise MXNetError(f"FusedRNN: mode must be one of {sorted(_GATES)}, got {mode!r}")
    gates, h = _GATES[mode], num_hidden
    dirs = ("l", "r") if bidirectional else ("l",)
    b, m = len(dirs), len(gates)
    num_input = size // b // h // m - (num_layers - 1) * (h + b * h + 2) - h - 2
    out, p = [], 0
    for layer in range(num_layers):
        for d in dirs:
            cols = num_input if layer == 0 else b * h
            for gate in gates:
                out.append((f"{d}{layer}_i2h{gate}_weight", p, (h, cols)))
                p += h * cols
            for gate in gates:
                out.append((f"{d}{layer}_h2h{gate}_weight", p, (h, h)))
                p += h * h
    for layer in range(num_layers):
        for d in dirs:
            for kind in ("i2h", "h2h"):
                for gate in gates:
                    out.append((f"{d}{layer}_{kind}{gate}_bias", p, (h,)))
                    p += h
    if p != size or num_input <= 0:
        raise MXNetError(f"FusedRNN: a parameter vector of {size} values does not fit "
                         f"{num_layers} {mode} layer(s) of {num_hidden} hidden units")
    return out
