"""``mx.optimizer``: MXNet 1.9.1's optimizers, ``create``/``register`` and the Updater."""
from . import optimizer, contrib
from .optimizer import *  # noqa: F401,F403

__all__ = optimizer.__all__ + ["contrib"]
