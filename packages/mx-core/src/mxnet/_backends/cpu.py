"""The CPU backend: NumPy arrays, one NumPy random Generator."""
import numpy as np

from . import Backend


class CPUBackend(Backend):
    name = "cpu"
    xp = np

    def __init__(self):
        self._rng = np.random.default_rng(0)

    def device_count(self):
        return 1

    def asarray(self, data, dtype, device_id):
        return np.asarray(data, dtype=dtype)

    def to_numpy(self, array):
        return array

    def rng(self, device_id):
        return self._rng

    def seed(self, seed, device_id=None):
        self._rng = np.random.default_rng(seed)
