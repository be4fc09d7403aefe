"""``mx.nd.contrib``: operators generated from the registry (see ``mxnet.ndarray._gen``)."""
from ._contrib_optimizer import *  # noqa: F401,F403
