"""The entry point: ``onnx`` as a model exporter and importer format."""
from mxnet.plugins import hookimpl


def _export(*args, **kwargs):
    from ._export import export_model
    return export_model(*args, **kwargs)


def _import(*args, **kwargs):
    from ._import import import_model
    return import_model(*args, **kwargs)


@hookimpl
def mxnet_register_exporters(registry):
    registry.add("onnx", _export)


@hookimpl
def mxnet_register_importers(registry):
    registry.add("onnx", _import)
