"""``mx.sym.sparse``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
