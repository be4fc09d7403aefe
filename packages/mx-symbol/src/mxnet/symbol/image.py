"""``mx.sym.image``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
