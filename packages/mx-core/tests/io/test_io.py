"""mx.io against MXNet 1.9.1: NDArrayIter golden batches, CSVIter, Resize/Prefetching."""
import json
import pathlib

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "io"
GOLDEN = json.loads((DATA / "ndarrayiter.json").read_text())
ARRAYS = np.load(DATA / "ndarrayiter.npz")
RUNS = {run["id"]: run for run in GOLDEN["runs"]}
EPOCH_RUNS = [r for r in GOLDEN["runs"] if r["id"].startswith(("pad", "discard", "roll_over"))]


def _descs(descs):
    return [[d.name, list(d.shape), np.dtype(d.dtype).name, d.layout] for d in descs]


@pytest.mark.parametrize("run", EPOCH_RUNS, ids=lambda r: r["id"])
def test_ndarrayiter_golden_epochs(run):
    it = mx.io.NDArrayIter(ARRAYS["data"], ARRAYS["label"], **run["kwargs"])
    assert _descs(it.provide_data) == run["provide_data"]
    assert _descs(it.provide_label) == run["provide_label"]
    for epoch in run["epochs"]:
        batches = list(it)
        assert len(batches) == len(epoch)
        for batch, expect in zip(batches, epoch):
            assert batch.pad == expect["pad"] and batch.index == expect["index"]
            np.testing.assert_array_equal(batch.data[0].asnumpy(),
                                          ARRAYS[expect["key"] + ".data"])
            np.testing.assert_array_equal(batch.label[0].asnumpy(),
                                          ARRAYS[expect["key"] + ".label"])
        it.reset()


def test_ndarrayiter_dict_inputs_sorted_by_name():
    run = RUNS["dict-inputs"]
    data, label = ARRAYS["data"], ARRAYS["label"]
    it = mx.io.NDArrayIter({"zeta": data, "alpha": data * 2}, {"lbl": label}, batch_size=5)
    assert [[d.name, list(d.shape), np.dtype(d.dtype).name] for d in it.provide_data] \
        == run["provide_data"]
    assert [[d.name, list(d.shape), np.dtype(d.dtype).name] for d in it.provide_label] \
        == run["provide_label"]
    batch = next(it)
    assert batch.pad == 0
    np.testing.assert_array_equal(batch.data[0].asnumpy(), ARRAYS["dict-inputs.b0.data0"])
    np.testing.assert_array_equal(batch.data[1].asnumpy(), ARRAYS["dict-inputs.b0.data1"])


def test_ndarrayiter_without_label_and_list_names():
    it = mx.io.NDArrayIter(ARRAYS["data"], batch_size=4)
    assert [(d.name, d.shape) for d in it.provide_data] == [("data", (4, 3))]
    assert it.provide_label == []
    assert [b.label for b in it] == [[], [], []]
    it = mx.io.NDArrayIter([np.zeros((4, 2)), np.ones((4, 1))], batch_size=2, data_name="x")
    assert [d.name for d in it.provide_data] == ["_0_x", "_1_x"]


def test_ndarrayiter_pad_wraps_more_than_the_data():
    it = mx.io.NDArrayIter(np.arange(3).reshape(3, 1), batch_size=8)
    (batch,) = list(it)
    assert batch.pad == 5
    assert batch.data[0].asnumpy().ravel().tolist() == [0, 1, 2, 0, 1, 2, 0, 1]


def test_ndarrayiter_shuffle_and_hard_reset():
    np.random.seed(0)
    data = np.arange(10, dtype="float32").reshape(10, 1)
    it = mx.io.NDArrayIter(data, data.ravel(), batch_size=5, shuffle=True)
    for _ in range(2):
        batches = list(it)
        seen = np.concatenate([b.data[0].asnumpy().ravel() for b in batches])
        label = np.concatenate([b.label[0].asnumpy() for b in batches])
        assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
        np.testing.assert_array_equal(seen, label)     # rows stay paired with labels
        it.reset()
    rolled = mx.io.NDArrayIter(data, batch_size=4, last_batch_handle="roll_over")
    list(rolled)
    rolled.hard_reset()
    assert next(rolled).data[0].asnumpy().ravel().tolist() == [0, 1, 2, 3]


def test_ndarrayiter_layout_and_errors():
    it = mx.io.NDArrayIter(np.zeros((3, 6)), batch_size=2, layout="TN",
                           last_batch_handle="discard")
    assert it.provide_data[0].shape == (3, 2)
    with pytest.raises(ValueError, match="last_batch_handle"):
        mx.io.NDArrayIter(np.zeros((3, 1)), last_batch_handle="keep")
    with pytest.raises(ValueError, match="samples"):
        mx.io.NDArrayIter(np.zeros((3, 1)), np.zeros(2))
    # MXNet accepts a label longer than the data and batches it by the data's rows
    longer = mx.io.NDArrayIter(np.zeros((3, 1)), np.arange(4), batch_size=1)
    assert [b.label[0].asnumpy().tolist() for b in longer] == [[0], [1], [2]]


def test_datadesc_and_databatch():
    desc = mx.io.DataDesc("data", (128, 100), layout="NT")
    assert desc == ("data", (128, 100)) and desc.layout == "NT"
    assert repr(desc) == "DataDesc[data,(128, 100),<class 'numpy.float32'>,NT]"
    assert mx.io.DataDesc.get_batch_axis("TNC") == 1
    assert mx.io.DataDesc.get_batch_axis(None) == 0
    descs = mx.io.DataDesc.get_list([("a", (1, 2))], [("a", np.int32)])
    assert descs[0].dtype is np.int32
    batch = mx.io.DataBatch([mx.nd.zeros((2, 3))], [mx.nd.zeros((2,))])
    assert str(batch) == "DataBatch: data shapes: [(2, 3)] label shapes: [(2,)]"


def test_resize_iter_restarts_the_inner_iterator():
    inner = mx.io.NDArrayIter(np.arange(6).reshape(6, 1), batch_size=2)
    resized = mx.io.ResizeIter(inner, 5)
    firsts = [b.data[0].asnumpy()[0, 0] for b in resized]
    assert firsts == [0, 2, 4, 0, 2]
    assert resized.provide_data == inner.provide_data


def test_prefetching_iter_joins_iterators():
    a = mx.io.NDArrayIter(np.arange(6).reshape(6, 1), batch_size=2, data_name="a",
                          label_name="la")
    b = mx.io.NDArrayIter(np.arange(6).reshape(6, 1) * 10, batch_size=2, data_name="b",
                          label_name="lb")
    it = mx.io.PrefetchingIter([a, b], rename_data=[{"a": "x"}, {"b": "y"}])
    try:
        for _ in range(2):
            batches = list(it)
            assert len(batches) == 3
            assert [d.asnumpy()[0, 0] for d in batches[1].data] == [2, 20]
            it.reset()
        assert [d.name for d in it.provide_data] == ["x", "y"]
        assert it.batch_size == 2
    finally:
        it.close()


CSV_ROWS = "1,2,3\n2,3,4\n3,4,5\n4,5,6\n"


def _csv_epochs(it, epochs=3):
    out = []
    for _ in range(epochs):
        out.append([(b.data[0].asnumpy()[:, 0].tolist(), b.pad, b.index.tolist()) for b in it])
        it.reset()
    return out


def test_csviter_round_batch_matches_mxnet(tmp_path):
    (tmp_path / "d.csv").write_text(CSV_ROWS)
    it = mx.io.CSVIter(data_csv=str(tmp_path / "d.csv"), data_shape=(3,), batch_size=3)
    # values printed by MXNet 1.9.1 for the same file and arguments
    assert _csv_epochs(it) == [
        [([1, 2, 3], 0, [0, 1, 2]), ([4, 1, 2], 2, [3, 0, 1])],
        [([3, 4, 1], 1, [2, 3, 0])],
        [([2, 3, 4], 0, [1, 2, 3])]]
    it = mx.io.CSVIter(data_csv=str(tmp_path / "d.csv"), data_shape=(3,), batch_size=5)
    assert [e[0][1] for e in _csv_epochs(it)] == [1, 2, 3]
    assert [(d.name, d.shape) for d in it.provide_label] == [("softmax_label", (5,))]


def test_csviter_no_round_batch_and_labels(tmp_path):
    (tmp_path / "d.csv").write_text(CSV_ROWS)
    (tmp_path / "l.csv").write_text("1\n2\n3\n4\n")
    it = mx.io.CSVIter(data_csv=str(tmp_path / "d.csv"), data_shape=(3,), batch_size=3,
                       round_batch=False, label_csv=str(tmp_path / "l.csv"), dtype="int32")
    epochs = _csv_epochs(it, 2)
    assert epochs[0] == epochs[1] == [([1, 2, 3], 0, [0, 1, 2]), ([4, 2, 3], 2, [3, 1, 2])]
    batch = next(it)
    assert batch.data[0].dtype == np.int32 and batch.label[0].asnumpy().tolist() == [1, 2, 3]


def test_csviter_bad_files(tmp_path):
    (tmp_path / "bad.csv").write_text("1,2\n3,4,5\n")
    with pytest.raises(MXNetError, match="bad.csv"):
        mx.io.CSVIter(data_csv=str(tmp_path / "bad.csv"), data_shape=(2,), batch_size=1)
    (tmp_path / "d.csv").write_text(CSV_ROWS)
    with pytest.raises(MXNetError, match="needs 4"):
        mx.io.CSVIter(data_csv=str(tmp_path / "d.csv"), data_shape=(2, 2), batch_size=1)
    with pytest.raises(MXNetError, match="cannot read"):
        mx.io.CSVIter(data_csv=str(tmp_path / "none.csv"), data_shape=(3,), batch_size=1)


def test_ndarrayiter_batches_do_not_alias_the_data():
    source = mx.nd.array(np.arange(8).reshape(4, 2))
    it = mx.io.NDArrayIter(source, batch_size=2)
    batch = next(it)
    batch.data[0][:] = -1
    assert source.asnumpy().min() == 0


def test_ndarrayiter_shuffle_and_edge_cases_match_mxnet():
    golden = np.load(DATA / "ndarrayiter_shuffle.npz")
    data = np.arange(30, dtype="float32").reshape(10, 3)
    label = np.arange(10, dtype="float32")
    seen = set()
    for lbh in ("pad", "discard", "roll_over"):
        np.random.seed(7)
        it = mx.io.NDArrayIter(data, label, batch_size=4, shuffle=True, last_batch_handle=lbh)
        for ep in range(3):
            for b, batch in enumerate(it):
                key = f"{lbh}-{ep}-{b}"
                got = np.concatenate([batch.data[0].asnumpy().ravel(),
                                      batch.label[0].asnumpy(), [batch.pad]])
                np.testing.assert_array_equal(got, golden[key])
                seen.add(key)
            it.reset()
    it = mx.io.NDArrayIter(np.arange(3, dtype="float32"), batch_size=7)
    (batch,) = list(it)
    np.testing.assert_array_equal(np.append(batch.data[0].asnumpy(), batch.pad), golden["big-0"])
    it = mx.io.NDArrayIter(data, batch_size=4, last_batch_handle="roll_over")
    list(it)
    it.reset()
    batch = next(it)
    np.testing.assert_array_equal(np.append(batch.data[0].asnumpy().ravel(), batch.pad),
                                  golden["nolabel-roll"])
    assert seen == {k for k in golden.files if k.startswith(("pad", "discard", "roll"))}


def test_prefetching_iter_threads_stop_when_collected():
    import gc
    it = mx.io.PrefetchingIter(mx.io.NDArrayIter(np.zeros((4, 1)), batch_size=2))
    threads = list(it.prefetch_threads)
    del it
    gc.collect()
    assert not any(t.is_alive() for t in threads)


def test_csviter_directory_and_label_shape(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text("1,2\n3,4\n")
    (folder / "b.csv").write_text("5,6\n")
    (tmp_path / "l.csv").write_text("1,0\n0,1\n1,1\n")
    it = mx.io.CSVIter(data_csv=str(folder), data_shape="(2,)", label_csv=str(tmp_path / "l.csv"),
                       label_shape=(2,), batch_size=2)
    assert [(d.name, d.shape) for d in it.provide_label] == [("softmax_label", (2, 2))]
    # values printed by MXNet 1.9.1 for the same files
    assert [(b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist(), b.pad) for b in it] \
        == [([[1, 2], [3, 4]], [[1, 0], [0, 1]], 0), ([[5, 6], [1, 2]], [[1, 1], [1, 0]], 1)]


LIBSVM = "1 0:1.5 3:2\n0 1:3\n2 2:4 3:5\n1 0:7\n0\n"


def test_libsvmiter_matches_mxnet(tmp_path):
    (tmp_path / "d.libsvm").write_text(LIBSVM)
    it = mx.io.LibSVMIter(data_libsvm=str(tmp_path / "d.libsvm"), data_shape=(4,), batch_size=3)
    # values printed by MXNet 1.9.1 for the same file and arguments
    expect = [
        [([[1.5, 0, 0, 2], [0, 3, 0, 0], [0, 0, 4, 5]], [1, 0, 2], 0),
         ([[7, 0, 0, 0], [0, 0, 0, 0], [1.5, 0, 0, 2]], [1, 0, 1], 1)],
        [([[0, 3, 0, 0], [0, 0, 4, 5], [7, 0, 0, 0]], [0, 2, 1], 0),
         ([[0, 0, 0, 0], [1.5, 0, 0, 2], [0, 3, 0, 0]], [0, 1, 0], 2)],
        [([[0, 0, 4, 5], [7, 0, 0, 0], [0, 0, 0, 0]], [2, 1, 0], 0)]]
    for epoch in expect:
        got = [(b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist(), b.pad) for b in it]
        assert got == epoch
        it.reset()
    assert next(it).data[0].stype == "csr"


def test_libsvmiter_label_file_and_errors(tmp_path):
    (tmp_path / "d.libsvm").write_text(LIBSVM)
    (tmp_path / "l.libsvm").write_text("0 0:1 2:3\n0 1:2\n0 0:5\n0 2:1\n0 1:1\n")
    it = mx.io.LibSVMIter(data_libsvm=str(tmp_path / "d.libsvm"), data_shape=(4,),
                          label_libsvm=str(tmp_path / "l.libsvm"), label_shape=(3,),
                          batch_size=2)
    assert [(d.name, d.shape) for d in it.provide_label] == [("softmax_label", (2, 3))]
    labels = [(b.label[0].stype, b.label[0].asnumpy().tolist(), b.index.tolist()) for b in it]
    assert labels == [("csr", [[1, 0, 3], [0, 2, 0]], [0, 1]),
                      ("csr", [[5, 0, 0], [0, 0, 1]], [2, 3]),
                      ("csr", [[0, 1, 0], [1, 0, 3]], [4, 0])]
    with pytest.raises(MXNetError, match="round_batch"):
        mx.io.LibSVMIter(data_libsvm=str(tmp_path / "d.libsvm"), data_shape=(4,),
                         batch_size=2, round_batch=False)
    with pytest.raises(MXNetError, match="line 1: feature index 3"):
        mx.io.LibSVMIter(data_libsvm=str(tmp_path / "d.libsvm"), data_shape=(3,), batch_size=2)
    (tmp_path / "bad.libsvm").write_text("1 0:1\n2 x\n")
    with pytest.raises(MXNetError, match="line 2"):
        mx.io.LibSVMIter(data_libsvm=str(tmp_path / "bad.libsvm"), data_shape=(3,),
                         batch_size=2)


def test_backend_iters_return_single_arrays(tmp_path):
    # CSVIter/LibSVMIter/MNISTIter/ImageRecordIter are MXNet's C++ iterators: their
    # getdata/getlabel give one NDArray and getindex a uint64 NumPy array.
    path = tmp_path / "d.csv"
    path.write_text("1,2\n3,4\n5,6\n")
    it = mx.io.CSVIter(data_csv=str(path), data_shape=(2,), batch_size=2)
    assert isinstance(it, mx.io.MXDataIter)
    next(it)
    assert isinstance(it.getdata(), mx.nd.NDArray)
    assert it.getdata().asnumpy().tolist() == [[1, 2], [3, 4]]
    assert it.getlabel().asnumpy().tolist() == [0, 0]
    assert it.getindex().dtype == np.uint64 and it.getpad() == 0
    next(it)
    assert it.getdata().asnumpy().tolist() == [[5, 6], [1, 2]] and it.getpad() == 1


def test_ndarrayiter_accepts_scipy_csr():
    spsp = pytest.importorskip("scipy.sparse")
    dense = np.array([[0, 1.0], [2, 0], [0, 0], [3, 4]])
    with pytest.raises(NotImplementedError):
        mx.io.NDArrayIter({"data": spsp.csr_matrix(dense)}, dense[:, 0], 2)
    it = mx.io.NDArrayIter({"data": spsp.csr_matrix(dense)}, None, 2,
                           last_batch_handle="discard")
    batches = [b.data[0] for b in it]
    assert [b.stype for b in batches] == ["csr", "csr"]
    assert np.array_equal(np.concatenate([b.asnumpy() for b in batches]), dense)
