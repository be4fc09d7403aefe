"""Typed operator parameters parse Python values and MXNet's strings, and print back."""
import numpy as np
import pytest

from mxnet.base import MXNetError
from mxnet.plugins import Bool, DType, Enum, Float, FloatTuple, Int, Optional, Shape, Str

CASES = [
    (Int("n"), "3", 3, "3"),
    (Int("n"), 4, 4, "4"),
    (Float("f"), "0.5", 0.5, "0.5"),
    (Float("f"), "-inf", float("-inf"), "-inf"),
    (Bool("b"), "True", True, "True"),
    (Bool("b"), "false", False, "False"),
    (Bool("b"), "1", True, "True"),
    (Bool("b"), 0, False, "False"),
    (Str("s"), "abc", "abc", "abc"),
    (Shape("k"), "(3, 3)", (3, 3), "(3, 3)"),
    (Shape("k"), (2,), (2,), "(2,)"),
    (Shape("k"), 5, (5,), "(5,)"),
    (Shape("k"), "[1,2]", (1, 2), "(1, 2)"),
    (Shape("k", allow_none=True), "(None, 2)", (None, 2), "(None, 2)"),
    (FloatTuple("t"), "(0.5, 1)", (0.5, 1.0), "(0.5, 1.0)"),
    (DType("d"), np.float16, "float16", "float16"),
    (DType("d"), "int32", "int32", "int32"),
    (Enum("e", ("relu", "tanh")), "tanh", "tanh", "tanh"),
    (Optional(Int("o")), "None", None, "None"),
    (Optional(Int("o")), "7", 7, "7"),
    (Optional(Shape("a")), "(1, 2)", (1, 2), "(1, 2)"),
]


@pytest.mark.parametrize("spec,raw,value,text", CASES)
def test_parse_and_print(spec, raw, value, text):
    parsed = spec.parse(raw)
    assert parsed == value
    assert spec.to_str(parsed) == text
    assert spec.parse(spec.to_str(parsed)) == parsed     # the string form round-trips


@pytest.mark.parametrize("spec,raw", [
    (Int("n"), "1.5"), (Int("n"), "abc"), (Bool("b"), "maybe"), (Shape("k"), "(1, None)"),
    (Enum("e", ("a", "b")), "c"), (Float("f"), "x"),
])
def test_bad_values_name_the_parameter(spec, raw):
    with pytest.raises(MXNetError, match=f"{spec.name}=.*MyOp"):
        spec.parse(raw, "MyOp")
