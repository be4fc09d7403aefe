"""``mx.sym.contrib``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
