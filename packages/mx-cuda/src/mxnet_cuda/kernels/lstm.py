"""The LSTM cell step as ONE fused elementwise kernel.

Given the pre-activations ``a`` (N, 4H, gates i, f, g, o as MXNet's RNN packs them) and
the previous cell ``c``: ``i, f, o = sigmoid(.)``, ``g = tanh(.)``, ``c' = f c + i g``,
``h = o tanh(c')``. mx-core's generic step takes about twelve elementwise passes; this is
one launch that also returns what the backward needs (i, f, g, o, tanh(c')).

mx-core's RNN operator does not call it yet: it needs a per-backend cell hook in
``mxnet/_ops/defs/nn/_rnn_cell.py`` (see the README); :func:`lstm_cell` is the kernel
that hook will take, tested against the generic step.
"""
import numpy as np

from ._xp import elementwise

# ``i`` is the element index inside a CuPy ElementwiseKernel: no parameter takes it
_BODY = """
S ai = (S)a_i, af = (S)a_f, ag = (S)a_g, ao = (S)a_o;
S si = 1 / (1 + exp(-ai)), sf = 1 / (1 + exp(-af)), so = 1 / (1 + exp(-ao));
S tg = tanh(ag);
S cn = sf * (S)c + si * tg;
S tc = tanh(cn);
h = (T)(so * tc); c_new = (T)cn; gate_i = (T)si; gate_f = (T)sf; gate_g = (T)tg;
gate_o = (T)so; tanh_c = (T)tc;
"""


CELL = ("lstm_cell", "T a_i, T a_f, T a_g, T a_o, T c, S zero",
        "T h, T c_new, T gate_i, T gate_f, T gate_g, T gate_o, T tanh_c", _BODY)


def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def _numpy_cell(a_i, a_f, a_g, a_o, c, _zero):
    acc = np.float64 if c.dtype == np.float64 else np.float32
    si, sf, so = (_sigmoid(v.astype(acc)) for v in (a_i, a_f, a_o))
    tg = np.tanh(a_g.astype(acc))
    cn = sf * c.astype(acc) + si * tg
    tc = np.tanh(cn)
    return tuple(v.astype(c.dtype) for v in (so * tc, cn, si, sf, tg, so, tc))


def lstm_cell(xp, a, c):
    """(h, c_new, i, f, g, o, tanh(c_new)) from pre-activations ``a`` and cell ``c``."""
    hs = c.shape[-1]
    parts = [a[:, k * hs:(k + 1) * hs] for k in range(4)]
    acc = np.float64 if c.dtype == np.float64 else np.float32
    fn = elementwise(xp, *CELL, _numpy_cell)
    return fn(*parts, c, acc(0))
