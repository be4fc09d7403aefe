"""The GPU kernels, by operator name: ``KERNELS[op_name] = fn(xp, *arrays, **params)``.

Each has the signature and results of mx-core's generic forward for that operator and
is registered for the ``gpu`` backend only; every other operator runs mx-core's generic
``xp`` code on CuPy.
"""
from . import batch_norm, conv, pooling, softmax

KERNELS = {}
for _mod in (conv, pooling, batch_norm, softmax):
    KERNELS.update(_mod.KERNELS)
