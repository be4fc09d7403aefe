"""AttrScope.current / NameManager.current: per-thread class properties, as in 1.9.1."""
import threading

import pytest

import mxnet as mx
from mxnet.attribute import AttrScope
from mxnet.name import NameManager


def _in_thread(fn):
    out = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def test_name_manager_current_is_per_thread_and_assignable():
    def other():
        NameManager.current = NameManager()      # (MXNet warns on reading it only)
        return mx.sym.var("x").relu().name

    assert _in_thread(other) == "relu0"
    with NameManager():
        first = mx.sym.var("x").relu().name
        assert _in_thread(lambda: mx.sym.var("x").relu().name) == "relu0"
        assert mx.sym.var("x").relu().name != first
    with pytest.warns(DeprecationWarning, match="NameManager.current has been deprecated"):
        assert isinstance(NameManager.current, NameManager)


def test_attr_scope_current_is_per_thread():
    with AttrScope(group="a"):
        assert _in_thread(lambda: mx.sym.var("v").attr("group")) is None
        assert mx.sym.var("v").attr("group") == "a"
        with pytest.warns(DeprecationWarning):
            assert AttrScope.current._attr == {"group": "a"}
    with pytest.warns(DeprecationWarning):
        AttrScope.current = AttrScope(group="b")
    try:
        assert mx.sym.var("w").attr("group") == "b"
    finally:
        with pytest.warns(DeprecationWarning):
            AttrScope.current = AttrScope()
