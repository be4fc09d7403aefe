"""``mx.nd.contrib``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
from ._contrib_optimizer import *  # noqa: F401,F403
from ._contrib_py import cond, foreach, getnnz, rand_zipfian, while_loop  # noqa: F401
