"""``mx.nd.contrib``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
