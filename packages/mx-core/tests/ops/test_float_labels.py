"""Float labels as MXNet 1.9.1 reads them (values recorded from it): CTCLoss rounds
labels and lengths to the nearest integer; SoftmaxOutput truncates labels and compares
them with a truncated ignore_label."""
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


@pytest.mark.parametrize("kwargs, expected", [
    ({"use_ignore": True, "ignore_label": 1},
     [[0, 0, 0], [-0.42145, 0.39829, 0.02316], [0.59482, 0.19771, -0.79254],
      [0.21712, 0.16632, 0.61655]]),
    ({"use_ignore": True, "ignore_label": -1.5},
     [[0.58424, -0.85063, 0.2664], [-0.42145, 0.39829, 0.02316],
      [0.59482, 0.19771, -0.79254], [0, 0, 0]]),
])
def test_softmax_output_truncates_labels_and_ignore_label(kwargs, expected):
    x = mx.nd.array(np.random.RandomState(0).randn(4, 3))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.SoftmaxOutput(x, mx.nd.array([1.09, 0.93, 2.5, -1.2]), **kwargs)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), expected, atol=2e-5)
