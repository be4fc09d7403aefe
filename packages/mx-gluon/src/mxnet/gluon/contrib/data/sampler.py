"""IntervalSampler: indices of [0, length) visited at a fixed stride."""
from ...data import sampler

__all__ = ["IntervalSampler"]


class IntervalSampler(sampler.Sampler):
    """Yields 0, interval, 2*interval, ...; with ``rollover`` it then starts again from
    1, 2, ... until every index in [0, length) has been visited once.

    >>> list(IntervalSampler(7, 3))
    [0, 3, 6, 1, 4, 2, 5]
    """

    def __init__(self, length, interval, rollover=True):
        if interval > length:
            raise ValueError(f"IntervalSampler: interval {interval} must be smaller than "
                             f"or equal to length {length}")
        self._length = length
        self._interval = interval
        self._rollover = rollover

    def __iter__(self):
        for start in range(self._interval if self._rollover else 1):
            yield from range(start, self._length, self._interval)

    def __len__(self):
        # MXNet 1.9.1 compat: the full length even when rollover=False yields fewer
        return self._length
