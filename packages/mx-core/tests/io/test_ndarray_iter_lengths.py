"""NDArrayIter with label sources longer than the data (MXNet 1.9.1 slices them)."""
import pytest

import mxnet as mx


def test_longer_labels_are_sliced_by_the_data_indices():
    it = mx.io.NDArrayIter(mx.nd.ones((4, 2)), {"label": mx.nd.arange(8), "w": mx.nd.arange(8)},
                           batch_size=2)
    batches = [[lab.asnumpy().tolist() for lab in b.label] for b in it]
    assert batches == [[[0, 1], [0, 1]], [[2, 3], [2, 3]]]


def test_shorter_labels_are_refused():
    with pytest.raises(ValueError, match="samples"):
        mx.io.NDArrayIter(mx.nd.ones((4, 2)), mx.nd.arange(3), batch_size=2)
