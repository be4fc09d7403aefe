"""LSTM with a projection (LSTMP) unrolled from registered operators.

The fused ``RNN`` operator of mx-core has no ``projection_size`` yet; MXNet 1.9.1's CPU
kernel has one. Until it lands, ``LSTM(projection_size=...)`` runs these equations step by
step (same parameters, same results, gradients through autograd):
``c_t = f * c_{t-1} + i * g``, ``r_t = W_hr (o * tanh(c_t))``; ``r_t`` is the layer's
output and recurrent state.
"""
from ...base import MXNetError
from ._cell_base import _as_steps

__all__ = ["lstmp_forward"]


def _step(F, x, h, c, weights, hidden, proj):
    i2h_w, h2h_w, i2h_b, h2h_b, h2r_w = weights
    gates = F.elemwise_add(F.FullyConnected(x, i2h_w, i2h_b, num_hidden=4 * hidden),
                           F.FullyConnected(h, h2h_w, h2h_b, num_hidden=4 * hidden))
    i, f, g, o = _as_steps(F.SliceChannel(gates, num_outputs=4, axis=1))
    c = F.sigmoid(f) * c + F.sigmoid(i) * F.tanh(g)
    h = F.FullyConnected(F.sigmoid(o) * F.tanh(c), h2r_w, num_hidden=proj, no_bias=True)
    return h, c


def lstmp_forward(F, layer, inputs, states, params):
    """(outputs (T, N, D*P), [h (L*D, N, P), c (L*D, N, H)]) for TNC ``inputs``."""
    length = layer._seq_len
    if length is None:
        raise MXNetError("gluon.rnn.LSTM: projection_size needs a concrete sequence length; "
                         "call the layer on NDArrays (hybridized or not), not on Symbols")
    hidden, dirs, nlayers = layer._hidden_size, layer._dir, layer._num_layers
    steps = _as_steps(F.split(inputs, num_outputs=length, axis=0, squeeze_axis=True))
    h0 = _as_steps(F.split(states[0], num_outputs=nlayers * dirs, axis=0, squeeze_axis=True))
    c0 = _as_steps(F.split(states[1], num_outputs=nlayers * dirs, axis=0, squeeze_axis=True))
    h_n, c_n = [], []
    for lay in range(nlayers):
        per_dir = []
        for d, tag in enumerate("lr"[:dirs]):
            weights = [params[f"{tag}{lay}_{n}"] for n in
                       ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias", "h2r_weight")]
            h, c = h0[lay * dirs + d], c0[lay * dirs + d]
            outs = []
            for x in (steps if d == 0 else steps[::-1]):
                h, c = _step(F, x, h, c, weights, hidden, layer._projection_size)
                outs.append(h)
            per_dir.append(outs if d == 0 else outs[::-1])
            h_n.append(h)
            c_n.append(c)
        steps = [F.concat(*o, dim=1) for o in zip(*per_dir)] if dirs == 2 else per_dir[0]
        if layer._dropout and lay < nlayers - 1:
            steps = [F.Dropout(s, p=layer._dropout) for s in steps]
    return F.stack(*steps, axis=0), [F.stack(*h_n, axis=0), F.stack(*c_n, axis=0)]
