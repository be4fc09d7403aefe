"""``mx.contrib.io``: DataLoaderIter, a Gluon DataLoader seen as a Module DataIter."""
from .. import ndarray as nd
from ..io import DataDesc, DataIter

__all__ = ["DataLoaderIter"]


class DataLoaderIter(DataIter):
    """Iterates a ``gluon.data.DataLoader`` of ``(data, label)`` batches as DataBatches,
    so that a symbolic Module can train on it.

    The batch size and the shapes of ``provide_data`` / ``provide_label`` come from the
    loader's first batch; a shorter last batch (``last_batch='keep'``) is padded to the
    batch size, ``pad`` saying by how many rows (their content is unspecified).

    Parameters
    ----------
    loader : mxnet.gluon.data.DataLoader
        Yields ``(data, label)`` pairs.
    data_name, label_name : str
        The names in ``provide_data`` / ``provide_label``.
    dtype : str
        The dtype the batches are cast to (float32 or float16).
    """

    def __init__(self, loader, data_name="data", label_name="softmax_label",
                 dtype="float32"):
        super().__init__()
        self._loader = loader
        data, label = next(iter(loader))
        self.batch_size = data.shape[0]
        self.dtype = dtype
        self.provide_data = [DataDesc(data_name, data.shape, dtype)]
        self.provide_label = [DataDesc(label_name, label.shape, dtype)]
        self._current_batch = None
        self.reset()

    def reset(self):
        self._iter = iter(self._loader)

    def iter_next(self):
        self._current_batch = next(self._iter, None)
        return self._current_batch is not None

    def _padded(self, array):
        array = array.astype(self.dtype)
        if array.shape[0] == self.batch_size:
            return [array]
        out = nd.empty((self.batch_size,) + tuple(array.shape[1:]), ctx=array.context,
                       dtype=self.dtype)
        out[:array.shape[0]] = array
        return [out]

    def getdata(self):
        return self._padded(self._current_batch[0])

    def getlabel(self):
        return self._padded(self._current_batch[1])

    def getpad(self):
        return self.batch_size - self._current_batch[0].shape[0]

    def getindex(self):
        return None
