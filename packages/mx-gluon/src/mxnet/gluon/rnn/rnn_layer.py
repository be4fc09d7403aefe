"""Fused recurrent layers (MXNet's ``gluon/rnn/rnn_layer.py``): RNN, LSTM, GRU.

Each layer keeps one Parameter per layer, direction and matrix (``l0_i2h_weight``,
``r1_h2h_bias``...) and packs them, in MXNet's order, into the flat vector the fused
``RNN`` operator takes: all weights (per layer, per direction: i2h then h2h), then all
biases in the same order.
"""
import re

from ... import ndarray, symbol
from ..block import HybridBlock
from . import rnn_cell
from ._layer_graph import anchor_input_size, symbol_begin_state
from ._projection import lstmp_forward

__all__ = ["RNN", "LSTM", "GRU"]

_GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}
_KEY = re.compile(r"(l|r)(\d)_(i2h|h2h|h2r)_(weight|bias)\Z")


class _RNNLayer(HybridBlock):
    """Implementation of recurrent layers."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size, h2r_weight_initializer,
                 lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):
        super().__init__(**kwargs)
        assert layout in ("TNC", "NTC"), \
            f"Invalid layout {layout}; must be one of ['TNC' or 'NTC']"
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._i2h_weight_initializer = i2h_weight_initializer
        self._h2h_weight_initializer = h2h_weight_initializer
        self._i2h_bias_initializer = i2h_bias_initializer
        self._h2h_bias_initializer = h2h_bias_initializer
        self._h2r_weight_initializer = h2r_weight_initializer
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self.skip_states = None
        self._seq_len = None      # the unrolled projection path needs it (see _projection)
        self._gates = _GATES[mode]
        self._register_all(input_size)

    def _register_all(self, input_size):
        ng, nh, proj = self._gates, self._hidden_size, self._projection_size
        ni, rec = input_size, proj or nh
        for i in range(self._num_layers):
            for j in "lr"[:self._dir]:
                self._register_param(f"{j}{i}_i2h_weight", (ng * nh, ni),
                                     self._i2h_weight_initializer)
                self._register_param(f"{j}{i}_h2h_weight", (ng * nh, rec),
                                     self._h2h_weight_initializer)
                self._register_param(f"{j}{i}_i2h_bias", (ng * nh,),
                                     self._i2h_bias_initializer)
                self._register_param(f"{j}{i}_h2h_bias", (ng * nh,),
                                     self._h2h_bias_initializer)
                if proj:
                    self._register_param(f"{j}{i}_h2r_weight", (proj, nh),
                                         self._h2r_weight_initializer)
            ni = rec * self._dir

    def _register_param(self, name, shape, init):
        p = self.params.get(name, shape=shape, init=init, allow_deferred_init=True,
                            dtype=self._dtype)
        setattr(self, name, p)
        return p

    def __repr__(self):
        s = f"{type(self).__name__}({{mapping}}, {self._layout}"
        if self._num_layers != 1:
            s += f", num_layers={self._num_layers}"
        if self._dropout != 0:
            s += f", dropout={self._dropout}"
        if self._dir == 2:
            s += ", bidirectional"
        shape = self.l0_i2h_weight.shape
        mapping = f"{shape[1] if shape[1] else None} -> {shape[0] // self._gates}"
        return s.format(mapping=mapping) + ")"

    def _collect_params_with_prefix(self, prefix=""):
        # MXNet 1.9.1 compat: structural names keep the pre-fusion layout of a stack of
        # cells (``_unfused.0.l0_i2h_weight`` style), so old ``.params`` files load
        if prefix:
            prefix += "."
        bidirectional = any(_KEY.match(k).group(1) == "r" for k in self._reg_params)

        def convert(key):
            d, layer, g, t = _KEY.match(key).groups()
            if bidirectional:
                return f"_unfused.{layer}.{d}_cell.{g}_{t}"
            return f"_unfused.{layer}.{g}_{t}"

        ret = {prefix + convert(k): v for k, v in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def _unfuse(self):
        """Unfuses the fused RNN in to a stack of rnn cells."""
        assert not self._projection_size, "_unfuse does not support projection layer yet!"
        assert not self._lstm_state_clip_min and not self._lstm_state_clip_max, \
            "_unfuse does not support state clipping yet!"
        make = {"rnn_relu": lambda **kw: rnn_cell.RNNCell(self._hidden_size, "relu", **kw),
                "rnn_tanh": lambda **kw: rnn_cell.RNNCell(self._hidden_size, "tanh", **kw),
                "lstm": lambda **kw: rnn_cell.LSTMCell(self._hidden_size, **kw),
                "gru": lambda **kw: rnn_cell.GRUCell(self._hidden_size, **kw)}[self._mode]
        stack = rnn_cell.HybridSequentialRNNCell(prefix=self.prefix, params=self.params)
        with stack.name_scope():
            ni = self._input_size
            for i in range(self._num_layers):
                kwargs = {"input_size": ni,
                          "i2h_weight_initializer": self._i2h_weight_initializer,
                          "h2h_weight_initializer": self._h2h_weight_initializer,
                          "i2h_bias_initializer": self._i2h_bias_initializer,
                          "h2h_bias_initializer": self._h2h_bias_initializer}
                if self._dir == 2:
                    stack.add(rnn_cell.BidirectionalCell(make(prefix=f"l{i}_", **kwargs),
                                                         make(prefix=f"r{i}_", **kwargs)))
                else:
                    stack.add(make(prefix=f"l{i}_", **kwargs))
                if self._dropout > 0 and i != self._num_layers - 1:
                    stack.add(rnn_cell.DropoutCell(self._dropout))
                ni = self._hidden_size * self._dir
        return stack

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial states: one ``func(name=..., shape=..., dtype=..., **kwargs)`` each.

        ``func`` may be ``ndarray.zeros``/``ones``, ``symbol.zeros``, ``symbol.var``...
        """
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info = dict(info, **kwargs) if info is not None else dict(kwargs)
            if func is not symbol.var:
                info.pop("__layout__", None)
            states.append(func(name=f"{self.prefix}h0_{i}", **info))
        return states

    def __call__(self, inputs, states=None, sequence_length=None, **kwargs):
        self.skip_states = states is None
        if self._projection_size is not None:
            length = inputs.shape[self._layout.find("T")] \
                if isinstance(inputs, ndarray.NDArray) else None
            if length != self._seq_len:
                self._seq_len = length
                self._clear_cached_op()
        if states is None:
            if isinstance(inputs, ndarray.NDArray):
                batch_size = inputs.shape[self._layout.find("N")]
                states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
            else:
                states = symbol_begin_state(self, inputs)
        if isinstance(states, (ndarray.NDArray, symbol.Symbol)):
            states = [states]
        if self._use_sequence_length:
            return super().__call__(inputs, states, sequence_length, **kwargs)
        return super().__call__(inputs, states, **kwargs)

    def infer_shape(self, inputs, *args):
        """Fill the deferred input size of the first layer from ``inputs``."""
        ni = inputs.shape[self._layout.find("C")]
        for j in "lr"[:self._dir]:
            weight = self._reg_params[f"{j}0_i2h_weight"]
            weight.shape = (weight.shape[0], ni)

    def hybrid_forward(self, F, inputs, states, sequence_length=None, **kwargs):
        if F is ndarray:
            batch_size = inputs.shape[self._layout.find("N")]
            for state, info in zip(states, self.state_info(batch_size)):
                if state.shape != info["shape"]:
                    raise ValueError(f"Invalid recurrent state shape. Expecting "
                                     f"{info['shape']}, got {state.shape}.")
        out = self._forward_kernel(F, inputs, states, sequence_length, **kwargs)
        return out[0] if self.skip_states else out

    def _packed_params(self, F, kwargs):
        """The flat parameter vector of the fused operator, in MXNet's order."""
        names = [f"{d}{layer}_{g}_{t}" for t in ("weight", "bias")
                 for layer in range(self._num_layers) for d in "lr"[:self._dir]
                 for g in ("i2h", "h2h")]
        return F.Concat(*[kwargs[n].reshape(-1) for n in names], dim=0,
                        num_args=len(names))

    def _forward_kernel(self, F, inputs, states, sequence_length, **kwargs):
        """Forward through the fused RNN operator."""
        if self._layout == "NTC":
            inputs = F.swapaxes(inputs, 0, 1)
        if self._projection_size is not None:
            # the fused operator here has no projection: run the unrolled equivalent
            outputs, states = lstmp_forward(F, self, inputs, states, kwargs)
        else:
            extra = [sequence_length] if self._use_sequence_length else []
            packed = self._packed_params(F, kwargs)
            if F is symbol:
                packed = anchor_input_size(self, F, inputs, packed, kwargs)
            rnn = F.RNN(inputs, packed, *states, *extra,
                        use_sequence_length=self._use_sequence_length,
                        state_size=self._hidden_size, projection_size=None,
                        num_layers=self._num_layers, bidirectional=self._dir == 2,
                        p=self._dropout, state_outputs=True, mode=self._mode,
                        lstm_state_clip_min=self._lstm_state_clip_min,
                        lstm_state_clip_max=self._lstm_state_clip_max,
                        lstm_state_clip_nan=self._lstm_state_clip_nan)
            outputs = rnn[0]
            states = [rnn[1], rnn[2]] if self._mode == "lstm" else [rnn[1]]
        if self._layout == "NTC":
            outputs = F.swapaxes(outputs, 0, 1)
        return outputs, states


def _states(layer, batch_size, sizes):
    return [{"shape": (layer._num_layers * layer._dir, batch_size, size),
             "__layout__": "LNC", "dtype": layer._dtype} for size in sizes]


class RNN(_RNNLayer):
    r"""Applies a multi-layer Elman RNN with `tanh` or `ReLU` non-linearity to a sequence.

    ``h_t = activation(w_ih x_t + b_ih + w_hh h_{t-1} + b_hh)`` per layer.

    Parameters
    ----------
    hidden_size: int
        The number of features in the hidden state h.
    num_layers: int, default 1
        Number of recurrent layers.
    activation: {'relu' or 'tanh'}, default 'relu'
        The activation function to use.
    layout : str, default 'TNC'
        The format of input and output tensors. T, N and C stand for
        sequence length, batch size, and feature dimensions respectively.
    dropout: float, default 0
        If non-zero, introduces a dropout layer on the outputs of each
        RNN layer except the last layer.
    bidirectional: bool, default False
        If `True`, becomes a bidirectional RNN.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers for the input and recurrent weight matrices.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer
        Initializers for the bias vectors.
    input_size: int, default 0
        The number of expected features in the input x; inferred from input if 0.
    dtype : str, default 'float32'
        Type to initialize the parameters and default states to

    Inputs: ``data`` (T, N, C) in ``layout``; optional ``states``, each
    (num_layers * directions, N, hidden_size). Outputs: ``out`` (T, N, directions *
    hidden_size) and, when states were given, the final states.
    """

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC",
                 dropout=0, bidirectional=False, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", input_size=0, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "rnn_" + activation,
                         None, None, None, None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return _states(self, batch_size, [self._hidden_size])


class LSTM(_RNNLayer):
    r"""Applies a multi-layer long short-term memory (LSTM) RNN to an input sequence.

    Gates i, f, g, o; ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``; with
    ``projection_size`` the recurrent state is ``r_t = W_hr h_t`` (LSTMP).

    Parameters
    ----------
    hidden_size: int
        The number of features in the hidden state h.
    num_layers: int, default 1
        Number of recurrent layers.
    layout : str, default 'TNC'
        The format of input and output tensors.
    dropout: float, default 0
        If non-zero, introduces a dropout layer on the outputs of each
        RNN layer except the last layer.
    bidirectional: bool, default False
        If `True`, becomes a bidirectional RNN.
    input_size: int, default 0
        The number of expected features in the input x; inferred from input if 0.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers for the input and recurrent weight matrices.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer, default 'zeros'
        Initializers for the bias vectors.
    projection_size: int, default None
        The number of features after projection.
    h2r_weight_initializer : str or Initializer, default None
        Initializer for the projection weights.
    state_clip_min, state_clip_max : float or None, default None
        Clip range of LSTM cell states (used by cuDNN only, as in MXNet 1.9.1).
    state_clip_nan : boolean, default False
        Whether to stop NaN from propagating in state by clipping it to min/max.
    dtype : str, default 'float32'
        Type to initialize the parameters and default states to
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0,
                 bidirectional=False, input_size=0, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", projection_size=None,
                 h2r_weight_initializer=None, state_clip_min=None, state_clip_max=None,
                 state_clip_nan=False, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "lstm",
                         projection_size, h2r_weight_initializer, state_clip_min,
                         state_clip_max, state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return _states(self, batch_size,
                       [self._projection_size or self._hidden_size, self._hidden_size])


class GRU(_RNNLayer):
    r"""Applies a multi-layer gated recurrent unit (GRU) RNN to an input sequence.

    cuDNN's variant: ``n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))``,
    ``h_t = (1 - z_t) * n_t + z_t * h_{t-1}``; gates r, z, n.

    Parameters
    ----------
    hidden_size: int
        The number of features in the hidden state h
    num_layers: int, default 1
        Number of recurrent layers.
    layout : str, default 'TNC'
        The format of input and output tensors.
    dropout: float, default 0
        If non-zero, introduces a dropout layer on the outputs of each
        RNN layer except the last layer
    bidirectional: bool, default False
        If True, becomes a bidirectional RNN.
    input_size: int, default 0
        The number of expected features in the input x; inferred from input if 0.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers for the input and recurrent weight matrices.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer
        Initializers for the bias vectors.
    dtype : str, default 'float32'
        Type to initialize the parameters and default states to
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0,
                 bidirectional=False, input_size=0, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "gru", None, None, None,
                         None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return _states(self, batch_size, [self._hidden_size])
