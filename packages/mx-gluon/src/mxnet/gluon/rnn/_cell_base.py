"""RecurrentCell, HybridRecurrentCell and the sequence helpers ``unroll`` is built on."""
from ... import ndarray, symbol
from ...base import _as_list
from ..block import Block, HybridBlock

__all__ = ["RecurrentCell", "HybridRecurrentCell"]

tensor_types = (symbol.Symbol, ndarray.NDArray)


def _as_steps(value):
    """A split result as a list (a multi-output Symbol iterates over its outputs)."""
    return list(value) if isinstance(value, symbol.Symbol) else _as_list(value)


def _cells_state_info(cells, batch_size):
    return sum([c.state_info(batch_size) for c in cells], [])


def _cells_begin_state(cells, **kwargs):
    return sum([c.begin_state(**kwargs) for c in cells], [])


def _symbol_zeros(like, batch_axis=0):
    """``func`` for begin_state on symbols: zeros whose batch size comes from ``like``.

    MXNet 1.9.1 compat: MXNet writes ``sym.zeros(shape=(0, H))`` and lets shape inference
    fill the 0 backwards; our graph inference only runs rules forward from known shapes,
    so the batch dimension (``batch_axis`` of ``like``) is taken from the input instead.
    """
    def zeros(shape, name=None, dtype=None, **_):
        src = symbol.swapaxes(like, dim1=0, dim2=batch_axis) if batch_axis else like
        batch = symbol.sum(symbol.zeros_like(src).reshape((0, -1)), axis=1)
        out = batch.reshape((-1,) + (1,) * (len(shape) - 1))
        if len(shape) > 1:
            out = symbol.broadcast_axis(out, axis=tuple(range(1, len(shape))),
                                        size=tuple(shape[1:]))
        return out if dtype is None else symbol.cast(out, dtype=dtype)
    return zeros


def _get_begin_state(cell, F, begin_state, inputs, batch_size, batch_axis=0):
    """The given begin state, or zeros shaped from the inputs.

    ``batch_axis`` locates the batch in ``inputs`` when it is one merged Symbol (a list
    of steps always has the batch first).
    """
    if begin_state is not None:
        return begin_state
    if F is ndarray:
        ctx = inputs.context if isinstance(inputs, tensor_types) else inputs[0].context
        with ctx:
            return cell.begin_state(func=F.zeros, batch_size=batch_size)
    if isinstance(inputs, symbol.Symbol):
        like = _symbol_zeros(inputs, batch_axis)
    else:
        like = _symbol_zeros(inputs[0])
    return cell.begin_state(func=like, batch_size=batch_size)


def _format_sequence(length, inputs, layout, merge, in_layout=None):
    """Turn ``inputs`` into a list of steps (merge False) or one tensor (merge True)."""
    assert inputs is not None, ("unroll(inputs=None) has been deprecated. Please create "
                                "input variables outside unroll.")
    axis, batch_axis = layout.find("T"), layout.find("N")
    batch_size = 0
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if isinstance(inputs, symbol.Symbol):
        F = symbol
        if merge is False:
            assert len(inputs.list_outputs()) == 1, (
                "unroll doesn't allow grouped symbol as input. Please convert to list with "
                "list(inputs) first or let unroll handle splitting.")
            inputs = list(symbol.split(inputs, axis=in_axis, num_outputs=length,
                                       squeeze_axis=1))
    elif isinstance(inputs, ndarray.NDArray):
        F = ndarray
        batch_size = inputs.shape[batch_axis]
        if merge is False:
            assert length is None or length == inputs.shape[in_axis]
            inputs = _as_list(ndarray.split(inputs, axis=in_axis,
                                            num_outputs=inputs.shape[in_axis],
                                            squeeze_axis=1))
    else:
        assert length is None or len(inputs) == length
        if isinstance(inputs[0], symbol.Symbol):
            F = symbol
        else:
            F = ndarray
            batch_size = inputs[0].shape[0]
        if merge is True:
            inputs = F.stack(*inputs, axis=axis)
            in_axis = axis
    if isinstance(inputs, tensor_types) and axis != in_axis:
        inputs = F.swapaxes(inputs, dim1=axis, dim2=in_axis)
    return inputs, axis, F, batch_size


def _mask_sequence_variable_length(F, data, length, valid_length, time_axis, merge):
    """Zero the outputs past each sequence's valid length."""
    assert valid_length is not None
    if not isinstance(data, tensor_types):
        data = F.stack(*data, axis=time_axis)
    outputs = F.SequenceMask(data, sequence_length=valid_length, use_sequence_length=True,
                             axis=time_axis)
    if not merge:
        outputs = _as_steps(F.split(outputs, num_outputs=length, axis=time_axis,
                                   squeeze_axis=True))
    return outputs


def _reverse_sequences(sequences, unroll_step, valid_length=None):
    """Reverse a list of steps in time (each sequence within its valid length)."""
    F = symbol if isinstance(sequences[0], symbol.Symbol) else ndarray
    if valid_length is None:
        return list(reversed(sequences))
    rev = F.SequenceReverse(F.stack(*sequences, axis=0), sequence_length=valid_length,
                            use_sequence_length=True)
    if unroll_step > 1 or F is symbol:
        return _as_steps(F.split(rev, axis=0, num_outputs=unroll_step, squeeze_axis=True))
    return [rev[0]]


class RecurrentCell(Block):
    """Abstract base class for RNN cells.

    Parameters
    ----------
    prefix : str, optional
        Prefix for names of `Block`s (this prefix is also used for names of weights if
        `params` is `None`, i.e. if `params` are being created and not reused)
    params : Parameter or None, default None
        Container for weight sharing between cells. A new Parameter container is created
        if `params` is `None`.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._modified = False
        self.reset()

    def reset(self):
        """Reset before re-using the cell for another graph."""
        self._init_counter = -1
        self._counter = -1
        for cell in self._children.values():
            cell.reset()

    def state_info(self, batch_size=0):
        """Shape and layout information of states."""
        raise NotImplementedError()

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial state for this cell: one ``func(name=..., shape=..., **kwargs)`` each."""
        assert not self._modified, (
            "After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be "
            "called directly. Call the modifier cell instead.")
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info, **kwargs) if info is not None else dict(kwargs)
            if func is not symbol.var:
                info.pop("__layout__", None)
            states.append(func(name=f"{self._prefix}begin_state_{self._init_counter}",
                               **info))
        return states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll the cell ``length`` steps over ``inputs``; returns (outputs, states).

        ``inputs`` is one tensor in ``layout`` or a list of ``length`` (N, C) steps;
        ``merge_outputs`` True stacks outputs into one tensor, False gives a list, None
        follows the input's form. With ``valid_length`` (N,), outputs past each
        sequence's length are zero and the states are those at its last valid step.
        """
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, F, begin_state, inputs, batch_size)
        outputs, all_states = [], []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [F.SequenceLast(F.stack(*steps, axis=0), sequence_length=valid_length,
                                     use_sequence_length=True, axis=0)
                      for steps in zip(*all_states)]
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length,
                                                     axis, True)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _get_activation(self, F, inputs, activation, **kwargs):
        """Apply ``activation`` given by name, LeakyReLU block or callable."""
        from ..nn import LeakyReLU
        func = {"tanh": F.tanh, "relu": F.relu, "sigmoid": F.sigmoid,
                "softsign": F.softsign}.get(activation)
        if func:
            return func(inputs, **kwargs)
        if isinstance(activation, str):
            return F.Activation(inputs, act_type=activation, **kwargs)
        if isinstance(activation, LeakyReLU):
            return F.LeakyReLU(inputs, act_type="leaky", slope=activation._alpha, **kwargs)
        return activation(inputs, **kwargs)

    def forward(self, inputs, states):
        """One step: (output, new states) from ``inputs`` (N, C) and ``states``."""
        self._counter += 1
        return super().forward(inputs, states)


class HybridRecurrentCell(RecurrentCell, HybridBlock):
    """HybridRecurrentCell supports hybridize."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError
