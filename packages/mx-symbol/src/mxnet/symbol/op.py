"""``mx.sym.op``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
