"""Per-thread state: the default context and the numpy-array flag, as in MXNet 1.9.1."""
import threading

import pytest

import mxnet as mx
from mxnet.context import Context
from mxnet.util import _NumpyArrayScope


def _in_thread(fn):
    result = []
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    thread.join()
    return result[0]


def test_default_context_is_per_thread_and_assignable():
    def other():
        with pytest.warns(DeprecationWarning):
            Context.default_ctx = mx.gpu(11)
        return mx.current_context()

    assert _in_thread(other) == mx.gpu(11)
    assert mx.current_context() == mx.cpu(0)          # the main thread kept its own
    with mx.cpu(3):
        assert _in_thread(mx.current_context) == mx.cpu(0)
        with pytest.warns(DeprecationWarning):
            assert Context.default_ctx == mx.cpu(3)


def test_numpy_array_flag_is_per_thread():
    def other():
        _NumpyArrayScope._current.value = _NumpyArrayScope(True)
        return mx.is_np_array()

    assert _in_thread(other) is True
    assert mx.is_np_array() is False
    with mx.np_array(True):
        assert mx.is_np_array() and not _in_thread(mx.is_np_array)
    assert not mx.is_np_array()
