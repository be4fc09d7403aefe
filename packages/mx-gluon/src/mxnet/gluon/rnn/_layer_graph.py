"""Graph-only pieces of the fused RNN layers (used when ``hybrid_forward`` gets Symbols).

Both work around shape inference that mx-symbol does not do (MXNet infers zeros of
shape (L, 0, H) and weights of shape (G*H, 0) backwards); neither changes any value.
"""
from ... import symbol

__all__ = ["symbol_begin_state", "anchor_input_size"]


def symbol_begin_state(layer, inputs):
    """Zero begin states for Symbol ``inputs`` (T, N, C) in ``layer``'s layout."""
    # MXNet 1.9.1 compat: MXNet uses sym.zeros with batch 0 and backward shape
    # inference; we derive the batch size from the input instead (same zeros)
    n_axis = layer._layout.find("N")
    batch = symbol.sum(symbol.zeros_like(inputs), axis=tuple(
        a for a in range(3) if a != n_axis))
    states = []
    for info in layer.state_info(0):
        shape = info["shape"]
        z = symbol.broadcast_axis(batch.reshape((1, -1, 1)), axis=(0, 2),
                                  size=(shape[0], shape[2]))
        states.append(symbol.cast(z, dtype=info["dtype"]))
    return states


def anchor_input_size(layer, F, inputs, packed, kwargs):
    """Let graph shape inference find a deferred input size (traced graphs only).

    MXNet's ``_rnn_param_concat`` infers a (G*H, 0) weight back from the packed
    size; mx-symbol's inference cannot (no partial shapes), so a parent block
    hybridized before the first call could not finish deferred init. A
    FullyConnected of the first step with each unknown weight lets its rule fill
    the weight from data; ``zeros_like`` of it adds an exact 0 to ``packed``.
    """
    unknown = [d for d in "lr"[:layer._dir]
               if 0 in (layer._reg_params[f"{d}0_i2h_weight"].shape or (0,))]
    if unknown:
        step = F.slice_axis(inputs, axis=0, begin=0, end=1)
        for d in unknown:
            proj = F.FullyConnected(step, kwargs[f"{d}0_i2h_weight"], no_bias=True,
                                    flatten=False, num_hidden=layer._gates * layer._hidden_size)
            packed = F.broadcast_add(packed, F.sum(F.zeros_like(proj)).reshape((1,)))
    return packed
