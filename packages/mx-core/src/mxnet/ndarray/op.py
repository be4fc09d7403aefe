"""``mx.nd.op``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
