# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1, recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx
from mxnet.gluon import nn
net = nn.HybridSequential()
net.add(nn.Dense(4, activation='relu', in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
net.initialize()
net.summary(mx.nd.ones((2,3)))
