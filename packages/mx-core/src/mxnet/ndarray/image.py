"""``mx.nd.image``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
