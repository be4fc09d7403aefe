"""Predefined and pretrained models (MXNet's ``gluon.model_zoo``)."""
from . import model_store, vision  # noqa: F401

__all__ = ["model_store", "vision"]
