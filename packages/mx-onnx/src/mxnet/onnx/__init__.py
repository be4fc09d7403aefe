"""``mx.onnx``: ONNX interop for MXNet models.

``export_model`` turns a Symbol (or a ``-symbol.json``) and its parameters into an
ONNX file (opset 13); ``import_model`` reads an ONNX file back as (sym, arg_params,
aux_params); ``import_to_gluon`` as a ``SymbolBlock``. Each direction covers the
operators of ``get_operator_support()``; anything else raises an MXNetError naming the
operator. The ``onnx`` format is also registered as an exporter and an importer
(``mxnet.plugins.get_registry("exporters" | "importers")``).
"""
from mxnet.plugins import lazy_exports

__all__ = ["export_model", "get_operator_support", "import_model", "import_to_gluon",
           "get_model_metadata"]

# Resolved on first use: the plugin entry point (``_plugin``) is imported while mx-core
# itself is still importing, before the modules these names need exist.
__getattr__, __dir__ = lazy_exports(__name__, {
    "export_model": "_export", "get_operator_support": "_export",
    "import_model": "_import", "import_to_gluon": "_import",
    "get_model_metadata": "_import"})
