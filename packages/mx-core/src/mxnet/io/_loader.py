"""The batching rule of MXNet 1.9.1's C++ iterators (``BatchLoader``), shared by CSVIter
and ImageRecordIter."""
from ..base import MXNetError

__all__ = []


class _BatchLoader:
    """Groups samples of a sequential ``source`` into batches.

    ``source`` (passed to each call, so the loader holds no reference cycle) has
    ``next_sample()`` (None at the end) and ``rewind()``. With
    ``round_batch`` an incomplete last batch is completed from the start of the data
    (``pad`` = how many), and the next epoch goes on after those samples instead of
    rewinding; without it the batch is returned short, ``pad`` being the missing count.
    """

    def __init__(self, batch_size, round_batch):
        self.batch_size = batch_size
        self.round_batch = round_batch
        self._overflow = 0

    def reset(self, source):
        if not self.round_batch or not self._overflow:
            source.rewind()
        self._overflow = 0

    def _take(self, source, samples):
        while len(samples) < self.batch_size:
            sample = source.next_sample()
            if sample is None:
                return False
            samples.append(sample)
        return True

    def next_batch(self, source):
        """``(samples, pad)``, or None at the end of the epoch."""
        if self._overflow:
            return None
        samples = []
        if self._take(source, samples):
            return samples, 0
        if not samples:
            return None
        if not self.round_batch:
            return samples, self.batch_size - len(samples)
        have = len(samples)
        while True:
            source.rewind()
            before = len(samples)
            if self._take(source, samples):
                break
            if len(samples) == before:
                raise MXNetError("the data source is empty")
        self._overflow = self.batch_size - have
        return samples, self._overflow
