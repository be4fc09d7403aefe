"""mx.registry: the register/alias/create factories libraries build their own tables with."""
import pytest

import mxnet as mx
from mxnet import registry
from mxnet.base import MXNetError


class Shape:
    def __init__(self, size=1):
        self.size = size


def test_register_alias_create():
    class Base:
        pass

    register = registry.get_register_func(Base, "thing")
    alias = registry.get_alias_func(Base, "thing")
    create = registry.get_create_func(Base, "thing")

    @alias("sq", "box")
    class Square(Base):
        def __init__(self, size=1):
            self.size = size

    register(Square)
    assert set(registry.get_registry(Base)) == {"sq", "box", "square"}
    assert create("Square", 3).size == 3
    assert create('["sq", {"size": 4}]').size == 4
    assert create('{"thing": "box", "size": 5}').size == 5
    assert create({"thing": "box", "size": 6}).size == 6
    made = Square(7)
    assert create(made) is made
    with pytest.raises(MXNetError, match="circle is not registered"):
        create("circle")
    with pytest.raises(MXNetError, match="already an instance"):
        create(made, 1)
    with pytest.raises(MXNetError, match="Can only register subclass of Base"):
        register(Shape)
    with pytest.warns(UserWarning, match="overriding"):
        register(type("Square", (Base,), {}))
    assert mx.registry is registry
