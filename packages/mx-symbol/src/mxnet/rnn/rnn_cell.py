"""``mxnet.rnn.rnn_cell``: the legacy symbolic RNN cells (MXNet 1.x)."""
from ._base import BaseRNNCell, RNNParams
from ._cells import FusedRNNCell, GRUCell, LSTMCell, RNNCell
from ._conv_cells import BaseConvRNNCell, ConvGRUCell, ConvLSTMCell, ConvRNNCell
from ._compose import (BidirectionalCell, DropoutCell, ModifierCell, ResidualCell,
                       SequentialRNNCell, ZoneoutCell)

__all__ = ["RNNParams", "BaseRNNCell", "RNNCell", "LSTMCell", "GRUCell", "FusedRNNCell",
           "SequentialRNNCell", "DropoutCell", "ModifierCell", "ZoneoutCell",
           "ResidualCell", "BidirectionalCell", "BaseConvRNNCell", "ConvRNNCell",
           "ConvLSTMCell", "ConvGRUCell"]
