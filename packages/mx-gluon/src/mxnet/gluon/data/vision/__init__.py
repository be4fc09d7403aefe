"""Vision datasets and image transforms (MXNet 1.9.1's ``gluon.data.vision``)."""
from . import transforms  # noqa: F401
from .datasets import *  # noqa: F401,F403
from .datasets import __all__ as _datasets_all

__all__ = list(_datasets_all) + ["transforms"]
