"""Helpers of the data iterators: normalising the ``data``/``label`` arguments."""
from collections import OrderedDict

import numpy as np

from ..ndarray import NDArray, array

__all__ = []


def _init_data(data, allow_empty, default_name):
    """``[(name, NDArray)]`` sorted by name, from an array, a list or a dict of arrays.

    A single array is named ``default_name``; list entries are named
    ``_<i>_<default_name>``; everything that is not an NDArray is converted with
    ``mx.nd.array`` (float32, as MXNet).
    """
    if data is None:
        if not allow_empty:
            raise ValueError("NDArrayIter: data must not be None")
        data = []
    if isinstance(data, (np.ndarray, NDArray)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not allow_empty and not data:
            raise ValueError("NDArrayIter: data must not be an empty list")
        if len(data) == 1:
            data = OrderedDict([(default_name, data[0])])
        else:
            data = OrderedDict((f"_{i}_{default_name}", d) for i, d in enumerate(data))
    if not isinstance(data, dict):
        raise TypeError("Input must be NDArray, numpy.ndarray, h5py.Dataset "
                        "a list of them or dict with them as values")
    out = {}
    for key, value in data.items():
        if isinstance(value, NDArray):
            out[key] = value
            continue
        if _is_scipy_csr(value):
            from ..ndarray import sparse
            out[key] = sparse.array(value)
            continue
        try:
            out[key] = array(value)
        except Exception as err:
            raise TypeError(f"Invalid type '{type(value)}' for {key}, should be NDArray, "
                            "numpy.ndarray or h5py.Dataset") from err
    return sorted(out.items())


def _is_scipy_csr(value):
    # Duck-typed so that SciPy stays optional, as in MXNet.
    return type(value).__module__.startswith("scipy.sparse") and \
        getattr(value, "format", None) == "csr"


def _has_instance(data, dtype):
    return any(isinstance(arr, dtype) for _, arr in data)


def _getdata_by_idx(data, idx):
    """The ``(name, array)`` pairs with their rows reordered by ``idx``."""
    out = []
    for key, value in data:
        if value.stype == "csr":
            out.append((key, _csr_rows(value, idx)))
        else:
            out.append((key, array(value.asnumpy()[idx], value.context, dtype=value.dtype)))
    return out


def _csr_rows(value, idx):
    from ..ndarray import sparse
    dense = value.asnumpy()[idx]
    return sparse.csr_matrix(dense, ctx=value.context, dtype=value.dtype)


def _slice_along_batch_axis(data, s, batch_axis):
    """A copy of ``data[s]`` along ``batch_axis`` (rows of a CSR array).

    A copy, as MXNet's ``slice_axis``: a batch modified in place must not change the data.
    """
    if data.stype == "csr":
        return data[s.start:s.stop]
    if batch_axis == 0:
        return data[s.start:s.stop].copy()
    np_data = data.asnumpy()
    index = [slice(None)] * np_data.ndim
    index[batch_axis] = s
    return array(np_data[tuple(index)], data.context, dtype=data.dtype)
