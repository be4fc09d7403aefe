"""``mx.sym.random``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
