"""Sparse storage (row_sparse, csr): construction, conversion, saving and loading."""
import pathlib
import pickle

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.ndarray import sparse

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "params"
DOC_DENSE = np.array([[0, 1, 0], [2, 0, 0], [0, 0, 0], [0, 0, 3]], dtype="f4")


def _eq(arr, expected, dtype=None):
    got = arr.asnumpy() if hasattr(arr, "asnumpy") else np.asarray(arr)
    expected = np.asarray(expected, dtype=dtype or got.dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def _file_bytes(arrays, tmp_path):
    mx.nd.save(tmp_path / "s.params", arrays)
    return (tmp_path / "s.params").read_bytes()


def test_golden_sparse_file_components():
    z = np.load(DATA / "sparse_dict.npz")
    loaded = mx.nd.load(DATA / "sparse_dict.params")
    assert isinstance(loaded["rsp"], sparse.RowSparseNDArray)
    assert isinstance(loaded["csr"], sparse.CSRNDArray)
    assert type(loaded["dense"]) is mx.nd.NDArray
    for name in ("rsp", "rsp64", "rsp_empty", "csr"):
        arr = loaded[name]
        _eq(arr.data, z[f"{name}.data"])
        _eq(arr.indices, z[f"{name}.indices"])
        assert arr.dtype == z[f"{name}.data"].dtype.type
    _eq(loaded["csr"].indptr, z["csr.indptr"])
    assert repr(loaded["rsp"]) == "\n<RowSparseNDArray 6x4 @cpu(0)>"
    assert repr(loaded["csr"]) == "\n<CSRNDArray 4x5 @cpu(0)>"


def test_cast_storage_matches_mxnet_docs():
    csr = mx.nd.array(DOC_DENSE).tostype("csr")
    assert csr.stype == "csr" and csr.shape == (4, 3) and csr.dtype == np.float32
    _eq(csr.data, [1, 2, 3], "f4")
    _eq(csr.indices, [1, 0, 2], "i8")
    _eq(csr.indptr, [0, 1, 2, 2, 3], "i8")
    rsp = mx.nd.array([[1, 0], [0, 0], [0, 2]]).tostype("row_sparse")
    _eq(rsp.indices, [0, 2], "i8")
    _eq(rsp.data, [[1, 0], [0, 2]], "f4")
    _eq(rsp, [[1, 0], [0, 0], [0, 2]], "f4")
    back = sparse.cast_storage(csr, "default")
    assert type(back) is mx.nd.NDArray
    _eq(back, DOC_DENSE)
    dense = mx.nd.ones((2, 2))
    copy = dense.tostype("default")
    copy[0, 0] = 5
    assert dense.asnumpy()[0, 0] == 1


def test_cast_storage_errors():
    with pytest.raises(ValueError, match="2 Dimensional"):
        mx.nd.ones((2, 2, 2)).tostype("csr")
    rsp = mx.nd.ones((2, 2)).tostype("row_sparse")
    with pytest.raises(ValueError, match="row_sparse to csr"):
        rsp.tostype("csr")
    with pytest.raises(ValueError, match="csr to row_sparse"):
        rsp.tostype("default").tostype("csr").tostype("row_sparse")
    with pytest.raises(MXNetError, match="'foo'"):
        mx.nd.ones((2, 2)).tostype("foo")


def test_row_sparse_array_constructors():
    rsp = sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 4]), shape=(6, 2))
    assert rsp.dtype == np.float32 and rsp.indices.dtype == np.int64
    expected = np.zeros((6, 2), "f4")
    expected[[1, 4]] = [[1, 2], [3, 4]]
    _eq(rsp, expected)
    assert sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 4])).shape == (5, 2)
    assert sparse.row_sparse_array((np.ones((1, 2)), [0]), shape=(2, 2)).dtype == np.float64
    assert sparse.row_sparse_array((4, 3)).shape == (4, 3)
    assert sparse.row_sparse_array((2, 3, 4), dtype="float16").dtype == np.float16
    from_dense = sparse.row_sparse_array(np.array([[0, 0], [5, 0]], "f8"))
    assert from_dense.dtype == np.float64
    _eq(from_dense.indices, [1], "i8")
    assert sparse.row_sparse_array(from_dense).stype == "row_sparse"
    with pytest.raises(ValueError):
        sparse.row_sparse_array(mx.nd.ones((2, 2)).tostype("csr"))
    with pytest.raises(ValueError, match="Shape mismatch"):
        sparse.row_sparse_array(np.ones((2, 2)), shape=(3, 2))
    bad = sparse.row_sparse_array(([[1, 2]], [7]), shape=(3, 2))  # made, as by MXNet
    with pytest.raises(MXNetError, match="lie in"):
        bad.check_format()
    with pytest.raises(MXNetError, match="lie in"):
        bad.asnumpy()                       # never read out of bounds
    with pytest.raises(ValueError, match="invalid shape"):
        sparse.row_sparse_array(([[1, 2]], [[0]]), shape=(3, 2))


def test_explicit_zero_rows_are_kept(tmp_path):
    rsp = sparse.row_sparse_array((np.zeros((2, 2)), [0, 2]), shape=(3, 2))
    _eq(rsp.indices, [0, 2], "i8")
    raw = _file_bytes([rsp], tmp_path)
    # bytes written by MXNet 1.9.1 for the same array
    assert raw.hex() == (
        "120100000000000000000000000000000100000000000000c9fa93f90100000002000000"
        "020000000000000002000000000000000200000003000000000000000200000000000000"
        "010000000000000001000000060000000100000002000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000002000000"
        "000000000000000000000000")
    _eq(mx.nd.load(tmp_path / "s.params")[0].indices, [0, 2], "i8")


def test_csr_matrix_constructors():
    csr = sparse.csr_matrix(([1, 2, 3], [1, 0, 2], [0, 1, 2, 2, 3]), shape=(4, 3))
    assert csr.dtype == np.float32
    _eq(csr, DOC_DENSE)
    assert sparse.csr_matrix(([1, 2, 3], [1, 0, 2], [0, 1, 2, 2, 3])).shape == (4, 3)
    assert sparse.csr_matrix(np.array([[0, 1.5], [0, 0]])).dtype == np.float64
    assert sparse.csr_matrix([[0, 1.5], [0, 0]]).dtype == np.float32
    empty = sparse.csr_matrix((2, 3))
    _eq(empty.indptr, [0, 0, 0], "i8")
    _eq(empty, np.zeros((2, 3), "f4"))
    with pytest.raises(ValueError):
        sparse.csr_matrix(mx.nd.ones((2, 2)).tostype("row_sparse"))
    bad = sparse.csr_matrix(([1, 2], [0, 1], [0, 2, 1]), shape=(2, 2))
    for use in (bad.check_format, bad.asnumpy, lambda: bad + 1, lambda: bad.indices):
        with pytest.raises(MXNetError, match="indptr must rise"):
            use()
    with pytest.raises(ValueError, match="2 Dimensional"):
        sparse.csr_matrix(np.ones((2, 2, 2)))


def test_csr_from_scipy():
    spsp = pytest.importorskip("scipy.sparse")
    mat = spsp.csr_matrix(np.array([[0, 2.0], [3, 0]]))
    csr = sparse.csr_matrix(mat)
    assert csr.dtype == np.float64
    _eq(csr.indptr, [0, 1, 2], "i8")
    _eq(csr, [[0, 2], [3, 0]], "f8")
    assert type(sparse.array(mat)) is sparse.CSRNDArray
    coo = sparse.csr_matrix(([1.0, 2.0], ([0, 1], [1, 0])), shape=(2, 3))
    _eq(coo, [[0, 1, 0], [2, 0, 0]], "f8")
    back = csr.asscipy()
    assert (back != mat).nnz == 0


def test_zeros_and_empty():
    for stype, cls in (("row_sparse", sparse.RowSparseNDArray), ("csr", sparse.CSRNDArray)):
        arr = mx.nd.zeros((2, 3), stype=stype, dtype="int32")
        assert type(arr) is cls and arr.stype == stype and arr.dtype == np.int32
        assert arr.context == mx.cpu(0)
        _eq(arr, np.zeros((2, 3), "i4"))
        assert type(sparse.empty(stype, (2, 3))) is cls
    assert repr(sparse.zeros("row_sparse", (2, 3))) == "\n<RowSparseNDArray 2x3 @cpu(0)>"
    assert type(sparse.zeros("default", (2,))) is mx.nd.NDArray
    assert sparse.zeros("row_sparse", 4).shape == (4,)
    with pytest.raises(ValueError):
        sparse.zeros("coo", (2, 2))
    with pytest.raises(ValueError):
        sparse.zeros("csr", (2, 2, 2))


# files written by MXNet 1.9.1 for [sparse.zeros(stype, shape)]
ZEROS_FILES = {
    ("csr", (2, 3)): (
        "120100000000000000000000000000000100000000000000c9fa93f90200000001000000"
        "000000000000000002000000020000000000000003000000000000000100000000000000"
        "000000000600000001000000030000000000000006000000010000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"),
    ("row_sparse", (2, 3)): (
        "120100000000000000000000000000000100000000000000c9fa93f90100000002000000"
        "000000000000000003000000000000000200000002000000000000000300000000000000"
        "010000000000000000000000060000000100000000000000000000000000000000000000"),
    ("row_sparse", (4,)): (
        "120100000000000000000000000000000100000000000000c9fa93f90100000001000000"
        "000000000000000001000000040000000000000001000000000000000000000006000000"
        "0100000000000000000000000000000000000000"),
}


@pytest.mark.parametrize("stype, shape", sorted(ZEROS_FILES))
def test_zeros_saved_like_mxnet(stype, shape, tmp_path):
    raw = _file_bytes([sparse.zeros(stype, shape)], tmp_path)
    assert raw.hex() == ZEROS_FILES[stype, shape]


def test_copy_astype_and_contexts():
    rsp = mx.nd.array([[1, 0], [0, 0], [0, 2]]).tostype("row_sparse")
    for dup in (rsp.copy(), rsp.copyto(mx.cpu()), sparse.array(rsp)):
        assert type(dup) is sparse.RowSparseNDArray and dup is not rsp
        _eq(dup, rsp.asnumpy())
    half = rsp.astype("float16")
    assert type(half) is sparse.RowSparseNDArray and half.dtype == np.float16
    assert rsp.astype("float32", copy=False) is rsp
    dense = mx.nd.zeros((3, 2))
    rsp.copyto(dense)
    _eq(dense, rsp.asnumpy())
    target = sparse.zeros("row_sparse", (3, 2))
    rsp.copyto(target)
    _eq(target.indices, [0, 2], "i8")
    with pytest.raises(TypeError):
        rsp.copyto(sparse.zeros("csr", (3, 2)))
    assert rsp[:] is rsp
    assert rsp.ndim == 2 and len(rsp) == 3
    with pytest.raises(NotImplementedError):
        rsp.size


def test_csr_row_slices():
    csr = mx.nd.array(DOC_DENSE).tostype("csr")
    part = csr[1:3]
    assert type(part) is sparse.CSRNDArray
    _eq(part, DOC_DENSE[1:3])
    assert csr[1].shape == (1, 3) and csr[-1].shape == (1, 3)
    _eq(csr[-1], DOC_DENSE[3:])


def test_dense_fallback_and_resync():
    rsp = sparse.row_sparse_array(([[1, 2]], [1]), shape=(3, 2))
    doubled = rsp * 2
    _eq(doubled, [[0, 0], [2, 4], [0, 0]], "f4")
    assert float(mx.nd.sum(rsp).asscalar()) == 3.0
    rsp += 1                       # changes the dense copy in place
    _eq(rsp.indices, [0, 1, 2], "i8")
    _eq(rsp.data, [[1, 1], [2, 3], [1, 1]], "f4")
    rsp[:] = 0
    assert rsp.indices.shape == (0,)
    rsp[:] = np.array([[0, 0], [0, 0], [7, 0]], "f4")
    _eq(rsp.indices, [2], "i8")
    with pytest.raises(TypeError):
        rsp[1] = 3


def test_pickle_keeps_components():
    rsp = sparse.row_sparse_array((np.zeros((2, 2), "f4"), [0, 2]), shape=(3, 2))
    back = pickle.loads(pickle.dumps(rsp))
    assert type(back) is sparse.RowSparseNDArray
    _eq(back.indices, [0, 2], "i8")
    csr = pickle.loads(pickle.dumps(mx.nd.array(DOC_DENSE).tostype("csr")))
    _eq(csr, DOC_DENSE)


def test_sparse_round_trip_preserves_storage(tmp_path):
    arrays = {"rsp": sparse.row_sparse_array((np.arange(6, dtype="i4").reshape(3, 2), [0, 3, 4]),
                                             shape=(9, 2)),
              "csr": sparse.csr_matrix((np.ones(2, "f2"), [2, 0], [0, 1, 1, 2]), shape=(3, 4)),
              "empty": sparse.zeros("csr", (3, 3), dtype="float64")}
    first = _file_bytes(arrays, tmp_path)
    loaded = mx.nd.load(tmp_path / "s.params")
    for name, arr in arrays.items():
        assert loaded[name].stype == arr.stype and loaded[name].dtype == arr.dtype
        _eq(loaded[name], arr.asnumpy())
    assert _file_bytes(loaded, tmp_path) == first


def test_retain_and_check_format():
    rsp = sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 4]), shape=(6, 2))
    kept = rsp.retain(mx.nd.array([4, 5], dtype="int64"))
    _eq(kept.indices, [4], "i8")
    rsp.check_format()


# -- MXNet 1.9.1 behaviours its test_sparse_ndarray.py relies on ------------------------
@pytest.mark.parametrize("stype", ["csr", "row_sparse"])
def test_scalar_ops_keep_sparse_storage_when_zero_maps_to_zero(stype):
    x = mx.nd.array([[1, 0], [0, 2]]).tostype(stype)
    kept = [x + 0, 0 + x, x - 0, x * 2, 2 * x, x / 2, -x, x == 1, x != 0, x > 0, x >= 1,
            x < 0, 0 > x]
    assert [y.stype for y in kept] == [stype] * len(kept)
    dense = [x + 1, 1 + x, 0 - x, 2 / x, x ** 2, x == 0, x <= 0, x >= 0, 1 > x]
    assert [y.stype for y in dense] == ["default"] * len(dense)
    np.testing.assert_array_equal((x * 2).asnumpy(), [[2, 0], [0, 4]])
    np.testing.assert_array_equal((x > 1).asnumpy(), [[0, 0], [0, 1]])


def test_empty_and_array_create_sparse_arrays():
    assert mx.nd.empty((2, 3), stype="csr").stype == "csr"
    assert mx.nd.empty((2, 3), stype="row_sparse").asnumpy().sum() == 0
    rsp = mx.nd.ones((3, 2)).tostype("row_sparse")
    copy = mx.nd.array(rsp, dtype="int32")
    assert copy.stype == "row_sparse" and copy.dtype == np.int32
    scipy_sparse = pytest.importorskip("scipy.sparse")
    csr = mx.nd.array(scipy_sparse.csr_matrix(np.eye(3)), dtype="float64")
    assert csr.stype == "csr" and csr.dtype == np.float64
    np.testing.assert_array_equal(csr.asnumpy(), np.eye(3))


def test_sparse_namespace_names_sparse_capable_operators():
    x = mx.nd.array([[1, 2, 3], [4, 5, 6]]).tostype("csr")
    out = mx.nd.sparse.slice(x, begin=(0, 1), end=(2, 3))
    np.testing.assert_array_equal(out.asnumpy(), [[2, 3], [5, 6]])
    doubled = mx.nd.sparse.elemwise_add(x, x)
    np.testing.assert_array_equal(doubled.asnumpy(), [[2, 4, 6], [8, 10, 12]])
    with pytest.raises(AttributeError):
        mx.nd.sparse.Convolution      # no sparse kernel in MXNet either


def test_sparse_retain_and_getnnz():
    rsp = mx.nd.array([[1, 1], [2, 2], [3, 3]]).tostype("row_sparse")
    kept = mx.nd.sparse.retain(rsp, mx.nd.array([0, 2]))
    np.testing.assert_array_equal(kept.asnumpy(), [[1, 1], [0, 0], [3, 3]])
    with pytest.raises(MXNetError):
        mx.nd.sparse.retain(mx.nd.ones((2, 2)), invalid_arg="x")
    csr = mx.nd.array([[1, 0, 2], [0, 0, 0], [0, 3, 0]]).tostype("csr")
    assert mx.nd.contrib.getnnz(csr).asnumpy().tolist() == [3]
    per_row = mx.nd.contrib.getnnz(csr, axis=1)
    assert per_row.dtype == np.int64 and per_row.asnumpy().tolist() == [2, 0, 1]


def test_fully_connected_accepts_a_column_bias():
    x = mx.nd.ones((2, 3))
    w = mx.nd.ones((4, 3))
    out = mx.nd.FullyConnected(x, w, mx.nd.arange(4).reshape((4, 1)), num_hidden=4)
    np.testing.assert_array_equal(out.asnumpy(), [[3, 4, 5, 6]] * 2)


def test_check_format_full_check_wants_ascending_indices():
    rows_swapped = sparse.csr_matrix(([7, 8, 9], [2, 1, 1], [0, 2, 2, 3]), shape=(3, 4))
    with pytest.raises(MXNetError, match="ascending"):
        rows_swapped.check_format()
    rows_swapped.check_format(full_check=False)
    np.testing.assert_array_equal(rows_swapped.asnumpy()[0], [0, 8, 7, 0])
    next_row_restarts = sparse.csr_matrix(([1, 2, 3], [2, 3, 0], [0, 2, 3]), shape=(2, 4))
    next_row_restarts.check_format()
    with pytest.raises(MXNetError, match="ascending"):
        sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 0]), shape=(3, 2)).check_format()
