"""Iterators that build one ``DataBatch`` per step in ``iter_next`` share these."""
from .io import DataIter


class CurrentBatchIter(DataIter):
    """A DataIter whose ``iter_next`` stores the batch in ``self._current``."""

    _current = None

    def next(self):
        if self.iter_next():
            return self._current
        raise StopIteration

    def getdata(self):
        return self._current.data

    def getlabel(self):
        return self._current.label

    def getindex(self):
        return self._current.index

    def getpad(self):
        return self._current.pad
