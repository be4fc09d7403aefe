"""Sizes and FLOP counts of the operator benchmarks, shared by ops_mx/ops_torch/ops_numpy.

FLOPs count 2 per multiply-add; forward + backward of a GEMM-like op = 3 GEMMs
(output, input gradient, weight gradient). Only conv, FC and the LSTM get a count.
``TARGETS`` are the issue's goals: our time / PyTorch's time at most this.
"""

OPS = {
    # LeNet's second convolution (20 -> 50, 5x5 on 12x12), batch 32
    "op_conv_lenet": dict(batch=32, cin=20, hw=12, cout=50, k=5, stride=1, pad=0),
    # a ResNet-18 stage-1 3x3 convolution (64 -> 64 on 56x56, pad 1), batch 32
    "op_conv_resnet3x3": dict(batch=32, cin=64, hw=56, cout=64, k=3, stride=1, pad=1),
    "op_fc1024": dict(batch=128, **{"in": 1024, "out": 1024}),
    # ResNet-18 after its first convolution: (32, 64, 56, 56), training mode
    "op_batchnorm": dict(shape=(32, 64, 56, 56)),
    # ResNet-18's stem max pooling: 3x3 stride 2 pad 1 on (32, 64, 112, 112) -> 56x56
    "op_pooling": dict(shape=(32, 64, 112, 112), k=3, stride=2, pad=1),
    "op_softmax": dict(shape=(1024, 1000)),
    # the RNN op in LSTM mode: the sizes of lstm_fwdbwd (2 layers, 256, seq 35)
    "op_rnn_lstm": dict(seq=35, batch=32, input=256, hidden=256, layers=2),
}

TARGETS = {"op_conv_lenet": 2.0, "op_conv_resnet3x3": 2.0, "op_fc1024": 1.3,
           "op_rnn_lstm": 2.0}


def conv_out(h, k, stride, pad):
    return (h + 2 * pad - k) // stride + 1


def conv_gemm_shape(name):
    """(M, K, N) of the im2col GEMM of a convolution's forward."""
    s = OPS[name]
    ho = conv_out(s["hw"], s["k"], s["stride"], s["pad"])
    return s["batch"] * ho * ho, s["cin"] * s["k"] * s["k"], s["cout"]


def op_flops(name):
    """FLOPs of one forward + backward, or None for memory-bound ops."""
    s = OPS[name]
    if name.startswith("op_conv"):
        m, k, n = conv_gemm_shape(name)
        return 3 * 2 * m * k * n
    if name == "op_fc1024":
        return 3 * 2 * s["batch"] * s["in"] * s["out"]
    if name == "op_rnn_lstm":
        macs = sum(s["seq"] * s["batch"] * 4 * s["hidden"] *
                   ((s["input"] if k == 0 else s["hidden"]) + s["hidden"])
                   for k in range(s["layers"]))
        return 3 * 2 * macs
    return None
