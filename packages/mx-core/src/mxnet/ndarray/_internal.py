"""``mx.nd._internal``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
