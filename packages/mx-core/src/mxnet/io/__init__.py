"""Data iterators (``mx.io``): NDArrayIter, CSVIter, ResizeIter, PrefetchingIter and the
DataDesc / DataBatch / DataIter interfaces that Module and Gluon code build on."""
from . import io, utils
from ._csv import CSVIter
from .io import DataBatch, DataDesc, DataIter, PrefetchingIter, ResizeIter
from ._ndarray_iter import NDArrayIter

__all__ = ["DataDesc", "DataBatch", "DataIter", "NDArrayIter", "ResizeIter",
           "PrefetchingIter", "CSVIter", "io", "utils"]
