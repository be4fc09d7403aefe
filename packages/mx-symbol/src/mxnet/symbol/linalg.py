"""``mx.sym.linalg``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
