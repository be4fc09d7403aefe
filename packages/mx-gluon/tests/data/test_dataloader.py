"""Datasets, samplers and the DataLoader (in-process, threads and worker processes)."""
import pathlib
import sys

import numpy as np
import pytest

import mxnet as mx
from mxnet import gluon
from mxnet.base import MXNetError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _datasets import DiesAtFive, Squares  # noqa: E402


def test_array_dataset_and_transforms():
    ds = gluon.data.ArrayDataset(np.arange(6).reshape(3, 2), [10, 11, 12])
    assert len(ds) == 3 and ds[1][1] == 11
    doubled = ds.transform_first(lambda x: x * 2)
    assert doubled[2][0].tolist() == [8, 10] and doubled[2][1] == 12
    assert [s[1] for s in ds.filter(lambda s: s[1] != 11)] == [10, 12]
    assert len(ds.shard(2, 0)) == 2 and len(ds.shard(2, 1)) == 1
    assert len(ds.take(2)) == 2


def test_batch_sampler_last_batch_modes():
    seq = gluon.data.SequentialSampler(7)
    assert list(gluon.data.BatchSampler(seq, 3, "keep")) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(gluon.data.BatchSampler(seq, 3, "discard")) == [[0, 1, 2], [3, 4, 5]]
    roll = gluon.data.BatchSampler(seq, 3, "rollover")
    assert list(roll) == [[0, 1, 2], [3, 4, 5]]
    assert list(roll)[0] == [6, 0, 1]
    assert sorted(gluon.data.RandomSampler(5)) == [0, 1, 2, 3, 4]
    assert list(gluon.data.IntervalSampler(5, 2)) == [0, 2, 4, 1, 3]


@pytest.mark.parametrize("workers,threads", [(0, False), (2, True), (2, False)])
def test_dataloader_batches_in_order(workers, threads):
    loader = gluon.data.DataLoader(Squares(), batch_size=4, num_workers=workers,
                                   thread_pool=threads)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    data = np.concatenate([b[0].asnumpy() for b in batches])
    labels = np.concatenate([b[1].asnumpy() for b in batches])
    np.testing.assert_array_equal(labels, np.arange(10))
    np.testing.assert_array_equal(data[:, 0], np.arange(10) ** 2)
    assert all(b[0].context == mx.cpu() for b in batches)
    assert list(loader)[2][1].shape == (2,)         # iterate twice


def test_worker_crash_raises_instead_of_hanging():
    loader = gluon.data.DataLoader(DiesAtFive(), batch_size=2, num_workers=2, timeout=60)
    with pytest.raises(MXNetError, match="worker process died"):
        list(loader)


def test_unpicklable_dataset_still_loads_with_workers():
    # as in MXNet 1.9.1 (forked workers) a dataset that does not pickle still loads;
    # here by worker threads, since forking a multi-threaded process can deadlock
    ds = gluon.data.SimpleDataset([1, 2, 3]).transform(lambda x: x * 2)
    loader = gluon.data.DataLoader(ds, batch_size=2, num_workers=1)
    assert [b.asnumpy().tolist() for b in loader] == [[2, 4], [6]]


def test_argument_errors():
    with pytest.raises(ValueError, match="batch_size must be specified"):
        gluon.data.DataLoader(Squares())
    with pytest.raises(ValueError, match="shuffle must not be specified"):
        gluon.data.DataLoader(Squares(), 2, shuffle=True,
                              sampler=gluon.data.SequentialSampler(10))


def test_custom_batchify_and_private_import_path():
    from mxnet.gluon.data.dataloader import _MultiWorkerIter  # noqa: F401  (clients use it)
    loader = gluon.data.DataLoader(Squares(), batch_size=5,
                                   batchify_fn=lambda samples: len(samples))
    assert list(loader) == [5, 5]


def test_pin_memory_puts_batches_on_cpu_pinned():
    ds = gluon.data.ArrayDataset(np.arange(12.0).reshape(6, 2))
    plain = next(iter(gluon.data.DataLoader(ds, 4)))
    assert plain.context == mx.cpu(0)
    pinned = next(iter(gluon.data.DataLoader(ds, 4, pin_memory=True, pin_device_id=1)))
    assert pinned.context == mx.cpu_pinned(1)
    assert pinned.asnumpy().tolist() == [[0, 1], [2, 3], [4, 5], [6, 7]]
    threaded = gluon.data.DataLoader(ds, 4, pin_memory=True, num_workers=1, thread_pool=True)
    assert next(iter(threaded)).context == mx.cpu_pinned(0)
