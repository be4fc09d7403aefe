"""Picklable datasets for the DataLoader worker tests (importable by worker processes)."""
import os

import numpy as np


class Squares:
    def __len__(self):
        return 10

    def __getitem__(self, idx):
        return np.full((2,), idx * idx, dtype="float32"), idx


class DiesAtFive(Squares):
    def __getitem__(self, idx):
        if idx == 5:
            os._exit(3)
        return super().__getitem__(idx)
