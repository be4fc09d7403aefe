"""CTCLoss rounds float labels and lengths to the nearest integer, as MXNet 1.9.1 does
(values recorded from it)."""
import numpy as np
import pytest

import mxnet as mx

DATA = np.random.RandomState(0).randn(8, 1, 5)


@pytest.mark.parametrize("label, expected", [
    ([2.82, 3.41, 2.13], 10.709309),       # as [3, 3, 2]
    ([3, 0.3, 2], 13.415349),              # 0.3 -> 0: padding, one label
])
def test_labels_round(label, expected):
    out = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array([label]))
    np.testing.assert_allclose(out.asnumpy(), [expected], rtol=1e-5)


def test_padding_of_blank_last_rounds_too():
    out = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array([[3, -0.7, 2]]), blank_label="last")
    np.testing.assert_allclose(out.asnumpy(), [10.392467], rtol=1e-5)


@pytest.mark.parametrize("data_len, label_len, expected", [
    (5.6, 2.0, 6.0470686), (6.0, 2.6, 7.32917)])
def test_lengths_round(data_len, label_len, expected):
    out = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array([[3, 4, 2]]),
                        mx.nd.array([data_len]), mx.nd.array([label_len]),
                        use_data_lengths=True, use_label_lengths=True)
    np.testing.assert_allclose(out.asnumpy(), [expected], rtol=1e-5)
