"""``mx.sym.contrib``: operators generated from the registry (see ``mxnet.symbol._gen``)."""
from . import _control_flow_ops  # noqa: E402,F401  (registers _foreach, _while_loop, _cond)
from ._control_flow import cond, foreach, while_loop  # noqa: E402,F401
