"""Contrib neural network module (MXNet's ``gluon.contrib``): ``nn``, ``rnn``, ``data``
and ``estimator``.

MXNet's ``contrib.cnn`` (DeformableConvolution) is not provided.
"""
from . import data, estimator, nn, rnn

__all__ = ["data", "estimator", "nn", "rnn"]
