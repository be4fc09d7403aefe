"""Convolutional recurrent cells (MXNet's ``gluon/contrib/rnn/conv_rnn_cell.py``).

RNN, LSTM and GRU cells whose i2h and h2h transforms are convolutions (Shi et al,
2015, "Convolutional LSTM Network"). The state keeps the spatial shape of the i2h
convolution's output; h2h is padded to keep it.
"""
from math import floor

from ....base import numeric_types
from ...rnn import HybridRecurrentCell

__all__ = ["Conv1DRNNCell", "Conv2DRNNCell", "Conv3DRNNCell",
           "Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell",
           "Conv1DGRUCell", "Conv2DGRUCell", "Conv3DGRUCell"]


def _get_conv_out_size(dimensions, kernels, paddings, dilations):
    return tuple(int(floor(x + 2 * p - d * (k - 1) - 1) + 1) if x else 0
                 for x, k, p, d in zip(dimensions, kernels, paddings, dilations))


def _tuple(spec, dims):
    return (spec,) * dims if isinstance(spec, numeric_types) else tuple(spec)


class _BaseConvRNNCell(HybridRecurrentCell):
    """Abstract base class for convolutional RNNs."""

    _gate_names = ("",)

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                 i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout, activation,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_channels = hidden_channels
        self._input_shape = input_shape
        self._conv_layout = conv_layout
        self._activation = activation
        assert all(isinstance(spec, int) or len(spec) == dims
                   for spec in [i2h_kernel, i2h_pad, i2h_dilate, h2h_kernel, h2h_dilate]), (
            f"For {dims}D convolution, the convolution settings can only be either int or "
            f"list/tuple of length {dims}")
        self._i2h_kernel = _tuple(i2h_kernel, dims)
        self._stride = (1,) * dims
        self._i2h_pad = _tuple(i2h_pad, dims)
        self._i2h_dilate = _tuple(i2h_dilate, dims)
        self._h2h_kernel = _tuple(h2h_kernel, dims)
        assert all(k % 2 == 1 for k in self._h2h_kernel), \
            f"Only support odd number, get h2h_kernel= {h2h_kernel}"
        self._h2h_dilate = _tuple(h2h_dilate, dims)
        (self._channel_axis, self._in_channels, i2h_shape, h2h_shape, self._h2h_pad,
         self._state_shape) = self._decide_shapes()
        gates = hidden_channels * self._num_gates
        get = self.params.get
        self.i2h_weight = get("i2h_weight", shape=i2h_shape, init=i2h_weight_initializer,
                              allow_deferred_init=True)
        self.h2h_weight = get("h2h_weight", shape=h2h_shape, init=h2h_weight_initializer,
                              allow_deferred_init=True)
        self.i2h_bias = get("i2h_bias", shape=(gates,), init=i2h_bias_initializer,
                            allow_deferred_init=True)
        self.h2h_bias = get("h2h_bias", shape=(gates,), init=h2h_bias_initializer,
                            allow_deferred_init=True)

    def _decide_shapes(self):
        channel_axis = self._conv_layout.find("C")
        input_shape = self._input_shape          # without the batch axis
        in_channels = input_shape[channel_axis - 1]
        hidden = self._hidden_channels
        dimensions = input_shape[1:] if channel_axis == 1 else input_shape[:-1]
        total_out = hidden * self._num_gates
        conv_out = _get_conv_out_size(dimensions, self._i2h_kernel, self._i2h_pad,
                                      self._i2h_dilate)
        h2h_pad = tuple(d * (k - 1) // 2 for d, k in zip(self._h2h_dilate, self._h2h_kernel))
        if channel_axis == 1:
            i2h_shape = (total_out, in_channels) + self._i2h_kernel
            h2h_shape = (total_out, hidden) + self._h2h_kernel
            state_shape = (hidden,) + conv_out
        else:
            i2h_shape = (total_out,) + self._i2h_kernel + (in_channels,)
            h2h_shape = (total_out,) + self._h2h_kernel + (hidden,)
            state_shape = conv_out + (hidden,)
        return channel_axis, in_channels, i2h_shape, h2h_shape, h2h_pad, state_shape

    def __repr__(self):
        shape = self.i2h_weight.shape
        in_channels = shape[1 if self._channel_axis == 1 else -1]
        return (f"{type(self).__name__}({in_channels if in_channels else None} -> "
                f"{shape[0]}, {self._activation}, {self._conv_layout})")

    @property
    def _num_gates(self):
        return len(self._gate_names)

    def _conv_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias,
                      prefix):
        filters = self._hidden_channels * self._num_gates
        i2h = F.Convolution(data=inputs, num_filter=filters, kernel=self._i2h_kernel,
                            stride=self._stride, pad=self._i2h_pad, dilate=self._i2h_dilate,
                            weight=i2h_weight, bias=i2h_bias, layout=self._conv_layout,
                            name=prefix + "i2h")
        h2h = F.Convolution(data=states[0], num_filter=filters, kernel=self._h2h_kernel,
                            dilate=self._h2h_dilate, pad=self._h2h_pad, stride=self._stride,
                            weight=h2h_weight, bias=h2h_bias, layout=self._conv_layout,
                            name=prefix + "h2h")
        return i2h, h2h

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size,) + self._state_shape, "__layout__": self._conv_layout}
                for _ in range(self._num_states)]

    _num_states = 1

    def hybrid_forward(self, F, inputs, states):
        raise NotImplementedError("_BaseConvRNNCell is abstract class for convolutional RNN")


class _ConvRNNCell(_BaseConvRNNCell):
    def _alias(self):
        return "conv_rnn"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                       h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        output = self._get_activation(F, i2h + h2h, self._activation, name=prefix + "out")
        return output, [output]


class _ConvLSTMCell(_BaseConvRNNCell):
    _gate_names = ("_i", "_f", "_c", "_o")
    _num_states = 2

    def _alias(self):
        return "conv_lstm"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                       h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, name=prefix + "slice",
                               axis=self._channel_axis)
        in_gate = F.Activation(gates[0], act_type="sigmoid", name=prefix + "i")
        forget_gate = F.Activation(gates[1], act_type="sigmoid", name=prefix + "f")
        in_transform = self._get_activation(F, gates[2], self._activation, name=prefix + "c")
        out_gate = F.Activation(gates[3], act_type="sigmoid", name=prefix + "o")
        next_c = F.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                name=prefix + "state")
        next_h = F.elemwise_mul(out_gate, self._get_activation(F, next_c, self._activation),
                                name=prefix + "out")
        return next_h, [next_h, next_c]


class _ConvGRUCell(_BaseConvRNNCell):
    _gate_names = ("_r", "_z", "_o")

    def _alias(self):
        return "conv_gru"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                       h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=prefix + "i2h_slice",
                                           axis=self._channel_axis)
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=prefix + "h2h_slice",
                                           axis=self._channel_axis)
        reset_gate = F.Activation(i2h_r + h2h_r, act_type="sigmoid", name=prefix + "r_act")
        update_gate = F.Activation(i2h_z + h2h_z, act_type="sigmoid", name=prefix + "z_act")
        candidate = self._get_activation(F, i2h + reset_gate * h2h, self._activation,
                                         name=prefix + "h_act")
        next_h = F.elemwise_add((1. - update_gate) * candidate, update_gate * states[0],
                                name=prefix + "out")
        return next_h, [next_h]


def _kwargs(local, dims):
    """The constructor's arguments, for the family base class."""
    args = {k: v for k, v in local.items() if k != "self" and not k.startswith("__")}
    args["dims"] = dims
    return args


class Conv1DRNNCell(_ConvRNNCell):
    """1D Convolutional RNN cell: ``h_t = activation(conv(x_t) + conv(h_{t-1}))``.

    ``input_shape`` excludes the batch axis, e.g. (C, W) for 'NCW'.
    """

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0,),
                 i2h_dilate=(1,), h2h_dilate=(1,), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 1))


class Conv2DRNNCell(_ConvRNNCell):
    """2D Convolutional RNN cell; ``input_shape`` is (C, H, W) for 'NCHW'."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0, 0),
                 i2h_dilate=(1, 1), h2h_dilate=(1, 1), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCHW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 2))


class Conv3DRNNCell(_ConvRNNCell):
    """3D Convolutional RNN cell; ``input_shape`` is (C, D, H, W) for 'NCDHW'."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                 i2h_pad=(0, 0, 0), i2h_dilate=(1, 1, 1), h2h_dilate=(1, 1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 conv_layout="NCDHW", activation="tanh", prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 3))


class Conv1DLSTMCell(_ConvLSTMCell):
    """1D Convolutional LSTM cell (gates i, f, c, o along the channel axis)."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0,),
                 i2h_dilate=(1,), h2h_dilate=(1,), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 1))


class Conv2DLSTMCell(_ConvLSTMCell):
    """2D Convolutional LSTM cell (Shi et al, 2015)."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0, 0),
                 i2h_dilate=(1, 1), h2h_dilate=(1, 1), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCHW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 2))


class Conv3DLSTMCell(_ConvLSTMCell):
    """3D Convolutional LSTM cell."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                 i2h_pad=(0, 0, 0), i2h_dilate=(1, 1, 1), h2h_dilate=(1, 1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 conv_layout="NCDHW", activation="tanh", prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 3))


class Conv1DGRUCell(_ConvGRUCell):
    """1D Convolutional GRU cell (gates r, z, n along the channel axis)."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0,),
                 i2h_dilate=(1,), h2h_dilate=(1,), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 1))


class Conv2DGRUCell(_ConvGRUCell):
    """2D Convolutional GRU cell."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0, 0),
                 i2h_dilate=(1, 1), h2h_dilate=(1, 1), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCHW", activation="tanh",
                 prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 2))


class Conv3DGRUCell(_ConvGRUCell):
    """3D Convolutional GRU cell."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                 i2h_pad=(0, 0, 0), i2h_dilate=(1, 1, 1), h2h_dilate=(1, 1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 conv_layout="NCDHW", activation="tanh", prefix=None, params=None):
        super().__init__(**_kwargs(locals(), 3))
