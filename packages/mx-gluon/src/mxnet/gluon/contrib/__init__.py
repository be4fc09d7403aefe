"""Contrib neural network module (MXNet's ``gluon.contrib``): ``nn`` and ``rnn``.

MXNet's ``contrib.cnn`` (DeformableConvolution), ``contrib.data`` (text datasets,
IntervalSampler) and ``contrib.estimator`` are not provided.
"""
from . import nn, rnn

__all__ = ["nn", "rnn"]
