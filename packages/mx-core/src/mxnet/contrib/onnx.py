"""``mx.contrib.onnx``: MXNet 1.9.1's older path of ``mx.onnx`` (the mx-onnx package)."""
try:
    from ..onnx import export_model, get_model_metadata, import_model, import_to_gluon
except ImportError as err:
    if "mxnet.onnx" not in str(err):
        raise
    raise ImportError("mx.contrib.onnx needs the mx-onnx distribution: "
                      "pip install mx-onnx") from err

__all__ = ["export_model", "import_model", "import_to_gluon", "get_model_metadata"]
