"""RNN (MXNet's ``rnn.cc``): fused multi-layer (bidirectional) LSTM, GRU and vanilla RNN.

The weights come packed in one flat ``parameters`` vector in MXNet's layout: for each
layer and direction ``W_i2h (G*H, in)`` then ``W_h2h (G*H, H)``; after all weights, for
each layer and direction ``b_i2h (G*H,)`` then ``b_h2h (G*H,)``. Gates: LSTM i, f, g, o;
GRU r, z, n. Computation is vectorised over the batch, a Python loop over time steps.
"""
import weakref

from .... import autograd as _autograd
from ....base import MXNetError
from ...infer import check_shape
from ...params import Bool, Enum, Float, Int, Optional
from ...registry import register
from . import _rnn_cell as C

PARAMS = (Int("state_size"), Int("num_layers"), Bool("bidirectional", False),
          Enum("mode", ("gru", "lstm", "rnn_relu", "rnn_tanh")), Float("p", 0.0),
          Bool("state_outputs", False), Optional(Int("projection_size")),
          Optional(Float("lstm_state_clip_min")), Optional(Float("lstm_state_clip_max")),
          Bool("lstm_state_clip_nan", False), Bool("use_sequence_length", False))


def _inputs(attrs):
    names = ["data", "parameters", "state"]
    if attrs["mode"] == "lstm":
        names.append("state_cell")
    if attrs["use_sequence_length"]:
        names.append("sequence_length")
    return tuple(names)


def _n_states(attrs):
    """State outputs: hy (and cy for LSTM) with ``state_outputs``, none otherwise."""
    if not attrs["state_outputs"]:
        return 0
    return 2 if attrs["mode"] == "lstm" else 1


def _dropout_on(attrs):
    return attrs["p"] > 0 and attrs["num_layers"] > 1


def _n_out(attrs):
    # as MXNet's, plus a hidden last output holding the dropout masks when dropout is on
    return 1 + _n_states(attrs) + (1 if _dropout_on(attrs) else 0)


def _n_visible(attrs):
    return 1 + _n_states(attrs)


def param_size(attrs, input_size):
    """Length of the packed parameter vector MXNet expects."""
    h, dirs, g = attrs["state_size"], 2 if attrs["bidirectional"] else 1, C.gates(attrs["mode"])
    size = 0
    for layer in range(attrs["num_layers"]):
        in_l = input_size if layer == 0 else dirs * h
        size += dirs * g * h * (in_l + h + 2)
    return size


def _rnn_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, [None] * _n_out(attrs)
    t, n, i = data
    h, dirs = attrs["state_size"], 2 if attrs["bidirectional"] else 1
    psize = (param_size(attrs, i),)
    state = (attrs["num_layers"] * dirs, n, h)
    check_shape("RNN", "parameters", psize, in_shapes[1])
    check_shape("RNN", "state", state, in_shapes[2])
    shapes = [tuple(data), psize, state]
    if attrs["mode"] == "lstm":
        check_shape("RNN", "state_cell", state, in_shapes[3])
        shapes.append(state)
    if attrs["use_sequence_length"]:
        shapes.append((n,))
    masks = (max(attrs["num_layers"] - 1, 1), t, n, dirs * h)
    outs = [(t, n, dirs * h)] + [state] * _n_states(attrs)
    return shapes, outs + ([masks] if _dropout_on(attrs) else [])


def _check(attrs, data, parameters):
    if data.ndim != 3:
        raise MXNetError(f"Operator RNN: data must be (seq_len, batch, input_size), got "
                         f"shape {data.shape}")
    if attrs["projection_size"] is not None:
        raise MXNetError("Operator RNN: projection_size is not supported by this backend")
    expected = param_size(attrs, data.shape[2])
    if parameters.size != expected:
        raise MXNetError(f"Operator RNN: shape inconsistent for parameters: expected "
                         f"({expected},), got {parameters.shape}")


@register("RNN", inputs=("data", "parameters", "state", "state_cell", "sequence_length"),
          input_filter=_inputs, params=PARAMS, shape=_rnn_shape, num_outputs=_n_out,
          visible_outputs=_n_visible,
          output_names=("output", "state_output", "statecell_output"))
def rnn(xp, data, parameters, state, *rest, is_train, rng, **attrs):
    """Applies a fused recurrent network (LSTM, GRU, ReLU/tanh RNN) to (T, N, I) data.

    Returns the top layer's outputs (T, N, D*H) and, with ``state_outputs``, the final
    hidden state (L*D, N, H) (and cell state for LSTM).
    """
    _check(attrs, data, parameters)
    # MXNet 1.9.1 compat: the CPU kernel ignores sequence_length (it runs every step)
    cell = rest[0] if attrs["mode"] == "lstm" else None
    masks = _dropout_masks(xp, data, attrs, is_train, rng)
    out, hy, cy, cache = C.forward(xp, data, parameters, state, cell, attrs, keep=is_train,
                                   masks=masks)
    if is_train:
        _remember(out, cache)
    res = (out, hy, cy)[:1 + _n_states(attrs)]
    if _dropout_on(attrs):
        # inference: ones, so the output count does not depend on the mode
        res += (xp.ones((1,) * 4, dtype=data.dtype) if masks is None else masks,)
    return res if len(res) > 1 else out


def _dropout_masks(xp, data, attrs, is_train, rng):
    """Inverted-dropout masks for the outputs of every layer but the last."""
    p, layers = attrs["p"], attrs["num_layers"]
    if not (is_train and p > 0 and layers > 1):
        return None
    dirs = 2 if attrs["bidirectional"] else 1
    shape = (layers - 1,) + data.shape[:2] + (dirs * attrs["state_size"],)
    keep = rng.random(shape) >= p
    return (keep * (1 / (1 - p) if p < 1 else 0.0)).astype(data.dtype)


# The per-step intermediates of training forwards, by id of their output array (MXNet
# keeps them too, as the "reserve space"): the backward reuses them instead of running
# the forward again. An entry goes when the backward takes it or its output is freed.
_CACHE = {}


def _remember(out, cache):
    key = id(out)
    try:
        ref = weakref.ref(out, lambda _, key=key: _CACHE.pop(key, None))
    except TypeError:       # an array type without weak references: no cache
        return
    _CACHE[key] = (ref, cache)


def _recall(out):
    """The cache of the forward that returned ``out`` (taken out), or None."""
    entry = _CACHE.get(id(out))
    if entry is None or entry[0]() is not out:
        return None
    del _CACHE[id(out)]
    return entry[1]


@rnn.gradient
def _(F, inputs, outputs, ograds, **params):
    # backpropagation through time of the gate equations (see _rnn_cell)
    heads = list(ograds[:1 + _n_states(params)])
    given = dict(zip(_bw_inputs(params), heads + list(inputs)))
    if _dropout_on(params):
        given["masks"] = outputs[-1]
    given["output"] = outputs[0]
    if F.__name__.endswith("ndarray") and _autograd._gradient_dropped(inputs[0]):
        # imperative: data outside the recorded graph gets no gradient (compiled
        # training graphs set need_data_grad the same way)
        params = dict(params, need_data_grad=False)
    grads = list(F._internal._backward_RNN(**given, **params))
    if params["use_sequence_length"]:
        grads.append(None)
    return tuple(grads)


def _bw_inputs(attrs):
    heads = ("dout", "dhy", "dcy")[:1 + _n_states(attrs)]
    return heads + _inputs(attrs) + (("masks",) if _dropout_on(attrs) else ()) + ("output",)


@register("_backward_RNN", inputs=("dout", "dhy", "dcy", "data", "parameters", "state",
                                   "state_cell", "sequence_length", "masks", "output"),
          input_filter=_bw_inputs, params=PARAMS + (Bool("need_data_grad", True),),
          num_outputs=lambda a: 4 if a["mode"] == "lstm" else 3, differentiable=False)
def _backward_rnn(xp, *arrays, need_data_grad=True, **attrs):
    """Gradients of RNN with respect to data, parameters, state (and state_cell); with
    ``need_data_grad=False`` the data gradient is a zero view, not computed."""
    lstm = attrs["mode"] == "lstm"
    given = dict(zip(_bw_inputs(attrs), arrays))
    data, parameters, state = given["data"], given["parameters"], given["state"]
    cell = given.get("state_cell")
    masks = given.get("masks")
    if masks is not None and masks.ndim != 4:
        masks = None
    zero = xp.zeros(state.shape, dtype=state.dtype)     # heads of the hidden states
    heads = (given["dout"], given.get("dhy", zero), given.get("dcy", zero) if lstm else None)
    cache = _recall(given["output"])
    if cache is None:       # the forward ran elsewhere (or not in training): rerun it
        cache = C.forward(xp, data, parameters, state, cell, attrs, keep=True,
                          masks=masks)[3]
    grads = C.backward(xp, heads, data, parameters, cache, attrs, masks, need_data_grad)
    return grads if lstm else grads[:3]
