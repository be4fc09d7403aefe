"""Random test data of :mod:`mxnet.test_utils`: shapes, dense and sparse arrays, matrices.

NumPy's global random state is used (as in MXNet), so ``np.random.seed`` or
``with_seed`` makes the data reproducible. Sparse arrays need ``mx.nd.sparse``; it is
only touched when a sparse storage type is asked for.
"""
import os
from collections import OrderedDict

import numpy as np
import numpy.random as rnd

__all__ = ["default_context", "set_default_context", "default_dtype", "random_arrays",
           "random_uniform_arrays", "random_sample", "rand_shape_2d", "rand_shape_3d",
           "rand_shape_nd", "rand_coord_2d", "rand_ndarray", "rand_sparse_ndarray",
           "create_sparse_array", "create_sparse_array_zd", "shuffle_csr_column_indices",
           "assign_each", "assign_each2", "create_2d_tensor", "create_vector",
           "get_identity_mat", "get_identity_mat_batch", "new_matrix_with_real_eigvals_2d",
           "new_matrix_with_real_eigvals_nd", "new_orthonormal_matrix_2d",
           "new_sym_matrix_with_real_eigvals_2d", "new_sym_matrix_with_real_eigvals_nd"]


def _mx():
    import mxnet
    return mxnet


_CHOSEN = [False]     # set_default_context was called: it wins over MXNET_TEST_CTX


def default_context():
    """The context tests run on: ``MXNET_TEST_CTX`` (``cpu``, ``gpu``, ``gpu(1)``) if set
    and no context was chosen with :func:`set_default_context`, else the current one."""
    from ..context import Context, current_context
    spec = os.environ.get("MXNET_TEST_CTX", "").strip().lower()
    if spec and not _CHOSEN[0]:
        dev, _, idx = spec.rstrip(")").partition("(")
        return Context(dev, int(idx or 0))
    return current_context()


def set_default_context(ctx):
    """Make ``ctx`` the default context (of tests and of array creation)."""
    from ..context import Context
    Context._default.value = ctx
    _CHOSEN[0] = True


def default_dtype():
    """The default data type of test data."""
    return np.float32


def random_arrays(*shapes):
    """Standard normal NumPy arrays (float32) of the given shapes; one array if one shape."""
    arrays = [np.array(np.random.randn(), dtype=default_dtype()) if len(s) == 0
              else np.random.randn(*s).astype(default_dtype()) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, **kwargs):
    """Uniform NumPy arrays in [low, high) (keywords ``low``, ``high``, ``dtype``)."""
    low = kwargs.pop("low", 0.0)
    high = kwargs.pop("high", 1.0)
    dtype = kwargs.pop("dtype", default_dtype())
    if kwargs:
        raise TypeError("Got unexpected argument/s : " + str(kwargs.keys()))
    return [np.random.uniform(low, high, size=s).astype(dtype) for s in shapes]


def random_sample(population, k):
    """``k`` distinct elements of the sequence ``population``, in random order."""
    assert 0 <= k <= len(population)
    population_copy = population[:]
    np.random.shuffle(population_copy)
    return population_copy[0:k]


def _sorted_items(d):
    return sorted(d.items(), key=lambda t: t[0])


def _sorted_dict(d):
    return OrderedDict(_sorted_items(d))


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return int(rnd.randint(low, dim0 + 1)), int(rnd.randint(low, dim1 + 1))


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return (int(rnd.randint(low, dim0 + 1)), int(rnd.randint(low, dim1 + 1)),
            int(rnd.randint(low, dim2 + 1)))


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return tuple(int(d) for d in rnd.randint(low, dim + 1, size=num_dim))


def rand_coord_2d(x_low, x_high, y_low, y_high):
    x = np.random.randint(x_low, x_high, dtype=np.int64)
    y = np.random.randint(y_low, y_high, dtype=np.int64)
    return x, y


def rand_ndarray(shape, stype="default", density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A random NDArray: standard normal values, or a sparse one of ``density``."""
    ctx = ctx if ctx else default_context()
    if stype == "default":
        return _mx().nd.array(random_arrays(shape), dtype=dtype, ctx=ctx)
    arr, _ = rand_sparse_ndarray(shape, stype, density=density, modifier_func=modifier_func,
                                 dtype=dtype, shuffle_csr_indices=shuffle_csr_indices,
                                 distribution=distribution, ctx=ctx)
    return arr


def _validate_csr_generation_inputs(num_rows, num_cols, density, distribution="uniform"):
    if density < 0 or density > 1:
        raise ValueError("density has to be between 0 and 1")
    if num_rows <= 0 or num_cols <= 0:
        raise ValueError("num_rows or num_cols should be greater than 0")
    if distribution == "powerlaw" and int(num_rows * num_cols * density) < 2 * num_rows:
        raise ValueError(f"not supported for this density: {density} for this shape "
                         f"({num_rows}, {num_cols}) Please keep : num_rows * num_cols * "
                         "density >= 2 * num_rows")


def shuffle_csr_column_indices(csr):
    """Shuffle the column indices inside each row of a (scipy-like) CSR matrix."""
    for i in range(len(csr.indptr) - 1):
        start, end = csr.indptr[i], csr.indptr[i + 1]
        sub = np.array(csr.indices[start:end])
        np.random.shuffle(sub)
        csr.indices[start:end] = sub


def _get_uniform_dataset_csr(num_rows, num_cols, density=0.1, dtype=None, data_init=None,
                             shuffle_csr_indices=False):
    """CSR with ``density * size`` nonzeros at distinct uniformly chosen positions."""
    _validate_csr_generation_inputs(num_rows, num_cols, density, "uniform")
    dtype = default_dtype() if dtype is None else dtype
    nnz = int(round(num_rows * num_cols * density))
    flat = np.sort(np.random.choice(num_rows * num_cols, nnz, replace=False))
    rows, cols = np.divmod(flat, num_cols)
    data = np.random.rand(nnz).astype(dtype)
    if data_init is not None:
        data.fill(data_init)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=num_rows))])
    if shuffle_csr_indices:
        for i in range(num_rows):
            np.random.shuffle(cols[indptr[i]:indptr[i + 1]])
    return _mx().nd.sparse.csr_matrix((data, cols, indptr), shape=(num_rows, num_cols),
                                      dtype=dtype)


def _get_powerlaw_dataset_csr(num_rows, num_cols, density=0.1, dtype=None):
    """CSR whose rows hold 1, 2, 4, 8... nonzeros until ``density * size`` are used."""
    _validate_csr_generation_inputs(num_rows, num_cols, density, "powerlaw")
    unused = int(num_rows * num_cols * density)
    out = np.zeros((num_rows, num_cols), dtype=dtype)
    for row in range(num_rows):      # one value first in each row: no row is empty
        out[row][0] = 1 + rnd.uniform(0.001, 2)
        unused -= 1
        if unused <= 0:
            return _mx().nd.array(out).tostype("csr")
    col_max = 2
    for row in range(num_rows):
        col_limit = min(num_cols, col_max)
        if col_limit == num_cols and unused > col_limit:
            out[row] = 1 + rnd.uniform(0.001, 2)
            unused -= col_limit - 1
            if unused <= 0:
                return _mx().nd.array(out).tostype("csr")
            continue
        for col in range(1, col_limit):
            out[row][col] = 1 + rnd.uniform(0.001, 2)
            unused -= 1
            if unused <= 0:
                return _mx().nd.array(out).tostype("csr")
        col_max *= 2
    if unused > 0:
        raise ValueError(f"not supported for this density: {density} for this shape "
                         f"({num_rows},{num_cols})")
    return _mx().nd.array(out).tostype("csr")


def rand_sparse_ndarray(shape, stype, density=None, dtype=None, distribution=None,
                        data_init=None, rsp_indices=None, modifier_func=None,
                        shuffle_csr_indices=False, ctx=None):
    """A random sparse NDArray and its parts: ``(arr, (values, indices))`` for
    row_sparse, ``(arr, (indptr, indices, data))`` for csr."""
    mx = _mx()
    ctx = ctx if ctx else default_context()
    density = rnd.rand() if density is None else density
    dtype = default_dtype() if dtype is None else dtype
    distribution = "uniform" if distribution is None else distribution
    if stype == "row_sparse":
        assert distribution == "uniform", f"Distribution {distribution} not supported " \
            "for row_sparse"
        if rsp_indices is not None:
            indices = np.asarray(rsp_indices)
            assert len(indices) <= shape[0]
        else:
            indices = np.argwhere(rnd.rand(shape[0]) < density).flatten()
        if indices.shape[0] == 0:
            result = mx.nd.sparse.zeros("row_sparse", shape, dtype=dtype, ctx=ctx)
            return result, (np.array([], dtype=dtype), np.array([]))
        val = rnd.rand(indices.shape[0], *shape[1:]).astype(dtype)
        if data_init is not None:
            val.fill(data_init)
        if modifier_func is not None:
            val = assign_each(val, modifier_func)
        arr = mx.nd.sparse.row_sparse_array((val, indices), shape=shape, dtype=dtype,
                                            ctx=ctx)
        return arr, (val, indices)
    if stype == "csr":
        assert len(shape) == 2
        if distribution == "uniform":
            csr = _get_uniform_dataset_csr(shape[0], shape[1], density, dtype, data_init,
                                           shuffle_csr_indices)
        elif distribution == "powerlaw":
            csr = _get_powerlaw_dataset_csr(shape[0], shape[1], density, dtype)
        else:
            raise AssertionError(f"Distribution not supported: {distribution}")
        csr = csr.as_in_context(ctx)
        return csr, (csr.indptr, csr.indices, csr.data)
    raise AssertionError(f"unknown storage type {stype!r}")


def create_sparse_array(shape, stype, data_init=None, rsp_indices=None, dtype=None,
                        modifier_func=None, density=.5, shuffle_csr_indices=False):
    """A random sparse array; row_sparse indices are sorted (canonical)."""
    if stype not in ("row_sparse", "csr"):
        raise AssertionError("Unknown storage type: " + stype)
    if stype == "row_sparse" and rsp_indices is not None:
        rsp_indices = np.sort(np.asarray(rsp_indices))
    arr, _ = rand_sparse_ndarray(shape, stype, density=density, data_init=data_init,
                                 rsp_indices=rsp_indices if stype == "row_sparse" else None,
                                 dtype=dtype, modifier_func=modifier_func,
                                 shuffle_csr_indices=shuffle_csr_indices)
    return arr


def create_sparse_array_zd(shape, stype, density, data_init=None, rsp_indices=None,
                           dtype=None, modifier_func=None, shuffle_csr_indices=False):
    """A random sparse array; for row_sparse only ``rsp_indices`` decide the density."""
    if stype == "row_sparse":
        density = 0.0
        if rsp_indices is not None:
            assert len(rsp_indices) <= shape[0]
    return create_sparse_array(shape, stype, data_init=data_init, rsp_indices=rsp_indices,
                               dtype=dtype, modifier_func=modifier_func, density=density,
                               shuffle_csr_indices=shuffle_csr_indices)


def assign_each(the_input, function):
    """NumPy array of ``function(x)`` for each element (a copy when ``function`` is None)."""
    if function is None:
        return np.array(the_input)
    return np.vectorize(function, otypes=[np.float64])(the_input).reshape(the_input.shape)


def assign_each2(input1, input2, function):
    """NumPy array of ``function(x, y)`` for each pair of elements."""
    if function is None:
        return np.array(input1)
    assert input1.shape == input2.shape
    return np.vectorize(function, otypes=[np.float64])(input1, input2).reshape(input1.shape)


def create_2d_tensor(rows, columns, dtype=np.int64):
    """``rows x columns`` NDArray whose row ``i`` is filled with ``i``."""
    a = _mx().nd.arange(0, rows, dtype=dtype).reshape(rows, 1)
    return _mx().nd.broadcast_to(a, shape=(a.shape[0], columns))


def create_vector(size, dtype=np.int64):
    return _mx().nd.arange(0, size, dtype=dtype)


def get_identity_mat(size):
    return _mx().nd.array(np.eye(size, dtype=np.float32))


def get_identity_mat_batch(size):
    eye = np.eye(size, dtype=np.float32)
    return _mx().nd.array(np.stack([eye, eye]))


def new_matrix_with_real_eigvals_2d(n):
    """A well-conditioned ``n x n`` matrix with small real eigenvalues."""
    while True:
        d = np.diag(np.random.uniform(-1.0, 1.0, n))
        v = np.random.uniform(-1., 1., n).reshape(n, 1)
        v = v / np.linalg.norm(v, axis=-2, keepdims=True)
        q = np.matmul(np.eye(n) - 2 * np.matmul(v, v.T), d)   # Householder times diagonal
        if np.linalg.cond(q, 2) < 3:
            break
    d = np.diag(np.random.uniform(-10.0, 10.0, n))
    return np.matmul(np.matmul(np.linalg.inv(q), d), q)


def new_matrix_with_real_eigvals_nd(shape):
    n = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return np.array([new_matrix_with_real_eigvals_2d(shape[-1])
                     for _ in range(n)]).reshape(shape)


def new_orthonormal_matrix_2d(n):
    x = np.random.randn(n, n)
    return np.linalg.qr(np.matmul(x.T, x))[0]


def new_sym_matrix_with_real_eigvals_2d(n):
    q = new_orthonormal_matrix_2d(n)
    d = np.diag(np.random.uniform(-10.0, 10.0, n))
    return np.matmul(np.matmul(q.T, d), q)


def new_sym_matrix_with_real_eigvals_nd(shape):
    n = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return np.array([new_sym_matrix_with_real_eigvals_2d(shape[-1])
                     for _ in range(n)]).reshape(shape)
