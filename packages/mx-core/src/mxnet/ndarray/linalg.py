"""``mx.nd.linalg``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
