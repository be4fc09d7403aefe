# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1, recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx, numpy as np
for mode, bi in [("lstm", False), ("gru", True), ("rnn_tanh", False)]:
    L, H, I = 2, 3, 4
    b = 2 if bi else 1; m = {"lstm": 4, "gru": 3, "rnn_tanh": 1}[mode]
    size = (I + H + 2) * H * m * b + (L - 1) * (b * H + H + 2) * H * m * b
    arr = mx.nd.zeros((size,))
    mx.init.FusedRNN(mx.init.Constant(0.5), H, L, mode, bi, forget_bias=5.0)(mx.init.InitDesc("rnn_weight"), arr)
    print(mode, size, arr.asnumpy().tolist())
