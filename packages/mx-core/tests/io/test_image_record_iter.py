"""mx.io.ImageRecordIter with worker processes, against mx.image.ImageIter, over a .rec of
2000 small JPEGs made here with mx.recordio.pack_img."""
import gc
import os
import signal

import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

pytest.importorskip("cv2")

N = 2000
MEAN, STD = (120.0, 110.0, 100.0), (50.0, 60.0, 70.0)


@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    """``(path_imgrec, path_imgidx)``: N random 32x32 JPEGs (some 40x32), labels i % 10."""
    folder = tmp_path_factory.mktemp("imagerec")
    path_rec, path_idx = str(folder / "img.rec"), str(folder / "img.idx")
    rng = np.random.default_rng(0)
    writer = mx.recordio.MXIndexedRecordIO(path_idx, path_rec, "w")
    for i in range(N):
        # Smooth content (a coarse grid, upsampled) keeps JPEG artefacts small.
        coarse = rng.integers(0, 256, (4, 5 if i % 7 == 0 else 4, 3)).astype(np.uint8)
        img = np.kron(coarse, np.ones((8, 8, 1), np.uint8))
        header = mx.recordio.IRHeader(0, float(i % 10), i, 0)
        writer.write_idx(i, mx.recordio.pack_img(header, img, quality=90))
    writer.close()
    return path_rec, path_idx


def _batches(it):
    return [(b.data[0].asnumpy(), b.label[0].asnumpy(), b.pad) for b in it]


def _record_iter(rec, batch_size, **kwargs):
    kwargs.setdefault("preprocess_threads", 2)
    return mx.io.ImageRecordIter(path_imgrec=rec[0], data_shape=(3, 24, 24),
                                 batch_size=batch_size, resize=28, inter_method=1,
                                 mean_r=MEAN[0], mean_g=MEAN[1], mean_b=MEAN[2],
                                 std_r=STD[0], std_g=STD[1], std_b=STD[2], **kwargs)


@pytest.mark.parametrize("batch_size", [100, 96])
def test_matches_image_iter(rec, batch_size):
    ours = _batches(_record_iter(rec, batch_size))
    theirs = _batches(mx.image.ImageIter(batch_size, (3, 24, 24), path_imgrec=rec[0],
                                         resize=28, inter_method=1, mean=np.array(MEAN),
                                         std=np.array(STD)))
    assert len(ours) == len(theirs) == -(-N // batch_size)
    for (data, label, pad), (data2, label2, pad2) in zip(ours, theirs):
        assert data.shape == (batch_size, 3, 24, 24) and data.dtype == np.float32
        # Same decoder and resize: equal up to float rounding of the normalisation.
        np.testing.assert_allclose(data, data2, rtol=1e-6, atol=1e-5)
        np.testing.assert_array_equal(label, label2)
        assert pad == pad2
    assert ours[-1][2] == (-N) % batch_size
    # Spot-check the pipeline itself: record 5 decoded, resized and cropped by hand.
    img = mx.image.imdecode(mx.recordio.unpack(mx.recordio.MXIndexedRecordIO(
        rec[1], rec[0], "r").read_idx(5))[1])
    img = mx.image.center_crop(mx.image.resize_short(img, 28, 1), (24, 24), 1)[0]
    want = ((img.asnumpy().astype(np.float32) - MEAN) / STD).transpose(2, 0, 1)
    np.testing.assert_allclose(ours[0][0][5], want, rtol=1e-6, atol=1e-5)


def test_random_augmentation_is_seeded_and_independent_of_workers(rec):
    def run(threads, seed=3):
        it = _record_iter(rec, 128, path_imgidx=rec[1], shuffle=True, seed=seed,
                          rand_crop=True, rand_mirror=True, preprocess_threads=threads,
                          dtype="uint8")
        epochs = [_batches(it)]
        # Resets mid-epoch, and just before the batch that completes the epoch from the
        # start (reshuffling): what follows must not depend on the batches decoded ahead.
        for stop in (5, 15, None):
            it.reset()
            epochs.append([(b.data[0].asnumpy(), b.label[0].asnumpy(), b.pad)
                           for _, b in zip(range(stop or N), it)])
        return epochs

    sync, pooled = run(1), run(2)
    for epoch, epoch2 in zip(sync, pooled):
        assert len(epoch) == len(epoch2)
        for (data, label, pad), (data2, label2, pad2) in zip(epoch, epoch2):
            assert data.dtype == np.uint8
            np.testing.assert_array_equal(data, data2)
            np.testing.assert_array_equal(label, label2)
            assert pad == pad2
    # Crops and flips vary from epoch to epoch and with the seed.
    assert not np.array_equal(sync[0][0][0], sync[1][0][0])
    other = _record_iter(rec, 128, path_imgidx=rec[1], shuffle=True, seed=3, seed_aug=4,
                         rand_crop=True, rand_mirror=True, preprocess_threads=1, dtype="uint8")
    assert not np.array_equal(next(other).data[0].asnumpy(), sync[0][0][0])


def test_dead_worker_raises_and_shutdown_is_clean(rec):
    it = _record_iter(rec, 50)
    next(it)
    processes = [proc for proc, _ in it._pool._workers]
    assert len(processes) == 2
    os.kill(processes[0].pid, signal.SIGKILL)
    with pytest.raises(MXNetError, match="worker process [01] died"):
        for _ in it:
            pass
    it.reset()      # a fresh pool takes over
    assert len(_batches(it)) == N // 50
    processes = [proc for proc, _ in it._pool._workers]
    del it
    gc.collect()
    assert not any(p.is_alive() for p in processes)


def test_sequential_file_without_index_and_short_batches(rec):
    it = _record_iter(rec, 300, round_batch=False, label_width=1)
    batches = _batches(it)
    assert [b[2] for b in batches] == [0] * 6 + [100]
    assert not batches[-1][0][200:].any() and not batches[-1][1][200:].any()
    np.testing.assert_array_equal(batches[-1][1][:200], np.arange(1800, 2000) % 10)
    with pytest.raises(MXNetError, match="cannot open"):
        mx.io.ImageRecordIter(path_imgrec=rec[0] + ".missing", data_shape=(3, 8, 8),
                              batch_size=1)


def test_worker_error_reaches_the_caller(tmp_path):
    path = str(tmp_path / "bad.rec")
    writer = mx.recordio.MXRecordIO(path, "w")
    img = np.zeros((8, 8, 3), np.uint8)
    for i in range(4):
        writer.write(mx.recordio.pack_img(mx.recordio.IRHeader(0, i, i, 0), img))
    writer.write(mx.recordio.pack(mx.recordio.IRHeader(0, 4, 4, 0), b"not a jpeg"))
    writer.close()
    it = mx.io.ImageRecordIter(path_imgrec=path, data_shape=(3, 8, 8), batch_size=2,
                               preprocess_threads=2)
    assert next(it).label[0].asnumpy().tolist() == [0, 1]
    with pytest.raises(MXNetError, match="Decoding failed"):
        for _ in it:
            pass
