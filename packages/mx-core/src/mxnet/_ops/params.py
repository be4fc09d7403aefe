"""Typed operator parameters.

Each spec parses a Python value *or* MXNet's string form (``"(3, 3)"``, ``"True"``,
``"float32"``) and prints MXNet's string form back, so that ``-symbol.json``
attributes round-trip.  Specs are immutable and shared by every call.
"""
import ast

import numpy as np

from ..base import MXNetError

__all__ = ["Param", "Int", "Float", "Bool", "Str", "Shape", "FloatTuple", "DType", "Enum",
           "Optional", "Any", "REQUIRED"]


class _Required:
    def __repr__(self):
        return "REQUIRED"


REQUIRED = _Required()


class Param:
    """Base spec: ``parse`` turns a value into the canonical Python value."""

    kind = "any"

    def __init__(self, name, default=REQUIRED, doc=""):
        self.name = name
        self.default = default
        self.doc = doc

    @property
    def required(self):
        return self.default is REQUIRED

    def parse(self, value, op_name="?"):
        try:
            return self._parse(value)
        except MXNetError:
            raise
        except (ValueError, TypeError, SyntaxError) as err:
            raise MXNetError(
                f"Invalid parameter {self.name}={value!r} for operator {op_name}: "
                f"expected {self.kind} ({err})") from None

    def _parse(self, value):
        return value

    def to_str(self, value):
        """MXNet's string form of a parsed value."""
        return str(value)

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, default={self.default!r})"


def _literal(value):
    if isinstance(value, str):
        text = value.strip()
        if text in ("None", "none", ""):
            return None
        return ast.literal_eval(text)
    return value


class Int(Param):
    kind = "int"

    def _parse(self, value):
        if isinstance(value, str):
            value = _literal(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("not an integer")
        if isinstance(value, (bool, np.bool_)):
            return int(value)
        return int(value)


class Float(Param):
    kind = "float"

    def _parse(self, value):
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("inf", "+inf", "infinity"):
                return float("inf")
            if text in ("-inf", "-infinity"):
                return float("-inf")
            if text == "nan":
                return float("nan")
        return float(value)


class Bool(Param):
    kind = "bool"

    def _parse(self, value):
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("true", "1"):
                return True
            if text in ("false", "0"):
                return False
            raise ValueError("expected True or False")
        return bool(value)


class Str(Param):
    kind = "string"

    def _parse(self, value):
        return str(value)


class Shape(Param):
    """A tuple of ints; ``None`` entries allowed where ``allow_none`` (slice begin/end)."""

    kind = "shape tuple"

    def __init__(self, name, default=REQUIRED, doc="", allow_none=False):
        super().__init__(name, default, doc)
        self.allow_none = allow_none

    def _parse(self, value):
        value = _literal(value)
        if value is None:
            return None
        if isinstance(value, (int, np.integer)):
            return (int(value),)
        out = []
        for v in value:
            if v is None:
                if not self.allow_none:
                    raise ValueError("None inside a shape")
                out.append(None)
            else:
                out.append(int(v))
        return tuple(out)

    def to_str(self, value):
        if value is None:
            return "None"
        return "(" + ", ".join("None" if v is None else str(v) for v in value) + ")" \
            if len(value) != 1 else f"({value[0]},)"


class FloatTuple(Param):
    kind = "tuple of floats"

    def _parse(self, value):
        value = _literal(value)
        if value is None:
            return None
        if isinstance(value, (int, float, np.number)):
            return (float(value),)
        return tuple(float(v) for v in value)


class DType(Param):
    kind = "dtype"

    def _parse(self, value):
        if value is None or value == "None":
            return None
        return np.dtype(value).name if not isinstance(value, str) or value != "bool" \
            else "bool"

    def to_str(self, value):
        return "None" if value is None else str(value)


class Enum(Param):
    kind = "one of"

    def __init__(self, name, choices, default=REQUIRED, doc=""):
        super().__init__(name, default, doc)
        self.choices = tuple(choices)
        self.kind = "one of " + ", ".join(repr(c) for c in self.choices)

    def _parse(self, value):
        if value is None and None in self.choices:
            return None
        value = str(value)
        if value not in self.choices:
            raise ValueError(f"got {value!r}")
        return value


class Optional(Param):
    """``inner`` or None; MXNet prints None as ``"None"``."""

    def __init__(self, inner, doc=""):
        default = None if inner.default is REQUIRED else inner.default
        super().__init__(inner.name, default, doc or inner.doc)
        self.inner = inner
        self.kind = f"{inner.kind} or None"

    def _parse(self, value):
        if value is None or (isinstance(value, str) and value.strip() in ("None", "")):
            return None
        return self.inner._parse(value)

    def to_str(self, value):
        return "None" if value is None else self.inner.to_str(value)


class Any(Param):
    """A value kept as given (contexts, Python objects of internal operators)."""
