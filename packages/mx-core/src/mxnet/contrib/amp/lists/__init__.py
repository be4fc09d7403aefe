"""Operator lists of AMP, per target dtype (float16 only: NumPy has no bfloat16)."""
from . import symbol_fp16
