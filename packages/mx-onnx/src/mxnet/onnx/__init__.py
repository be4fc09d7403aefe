"""``mx.onnx``: ONNX interop for MXNet models.

``export_model`` turns a Symbol (or a ``-symbol.json``) and its parameters into an
ONNX file (opset 13); ``import_model`` reads an ONNX file back as (sym, arg_params,
aux_params); ``import_to_gluon`` as a ``SymbolBlock``. Each direction covers the
operators of ``get_operator_support()``; anything else raises an MXNetError naming the
operator.
"""
from ._export import export_model, get_operator_support
from ._import import get_model_metadata, import_model, import_to_gluon

__all__ = ["export_model", "get_operator_support", "import_model", "import_to_gluon",
           "get_model_metadata"]
