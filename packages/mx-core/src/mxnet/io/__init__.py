"""Data iterators (``mx.io``): NDArrayIter, CSVIter, LibSVMIter, MNISTIter, ImageRecordIter,
ResizeIter, PrefetchingIter, and the DataDesc / DataBatch / DataIter interfaces that Module
and Gluon code build on."""
from . import io, utils
from ._csv import CSVIter
from ._libsvm import LibSVMIter
from ._mnist import MNISTIter
from .io import DataBatch, DataDesc, DataIter, MXDataIter, PrefetchingIter, ResizeIter
from ._ndarray_iter import NDArrayIter

__all__ = ["DataDesc", "DataBatch", "DataIter", "MXDataIter", "NDArrayIter", "ResizeIter",
           "PrefetchingIter", "CSVIter", "LibSVMIter", "MNISTIter", "ImageRecordIter", "io",
           "utils"]


def __getattr__(name):
    # ImageRecordIter lives with mx.image (it decodes with OpenCV); mx.image imports mx.io,
    # so it is looked up on first use instead of at import.
    if name == "ImageRecordIter":
        from ..image._record_iter import ImageRecordIter
        return ImageRecordIter
    raise AttributeError(f"module 'mxnet.io' has no attribute {name!r}")
