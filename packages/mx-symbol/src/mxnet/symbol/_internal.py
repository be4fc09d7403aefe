"""``mx.sym._internal``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
