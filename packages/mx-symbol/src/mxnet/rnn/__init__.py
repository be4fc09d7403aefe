"""``mx.rnn``: MXNet 1.x's symbolic RNN cells, bucketing iterator and checkpoints."""
from . import io, rnn, rnn_cell
from .io import BucketSentenceIter, encode_sentences
from .rnn import do_rnn_checkpoint, load_rnn_checkpoint, rnn_unroll, save_rnn_checkpoint
from .rnn_cell import (BaseConvRNNCell, BaseRNNCell, BidirectionalCell, ConvGRUCell,
                       ConvLSTMCell, ConvRNNCell, DropoutCell, FusedRNNCell, GRUCell,
                       LSTMCell, ModifierCell, ResidualCell, RNNCell, RNNParams,
                       SequentialRNNCell, ZoneoutCell)

__all__ = ["io", "rnn", "rnn_cell", "BucketSentenceIter", "encode_sentences",
           "do_rnn_checkpoint", "load_rnn_checkpoint", "rnn_unroll", "save_rnn_checkpoint",
           "BaseRNNCell", "BidirectionalCell", "DropoutCell", "FusedRNNCell", "GRUCell",
           "LSTMCell", "ModifierCell", "ResidualCell", "RNNCell", "RNNParams",
           "SequentialRNNCell", "ZoneoutCell", "BaseConvRNNCell", "ConvRNNCell",
           "ConvLSTMCell", "ConvGRUCell"]
