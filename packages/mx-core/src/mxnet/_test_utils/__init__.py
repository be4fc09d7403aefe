"""The parts of :mod:`mxnet.test_utils` (MXNet's public test toolkit), by theme.

``compare``: tolerances and array assertions; ``data``: random test data;
``symbolic``: forward/backward/gradient checks of Symbols (and of NDArray functions);
``env``: environment variables, seeds, downloads, devices; ``stats``: checks of random
generators. :mod:`mxnet.test_utils` re-exports everything under MXNet's names.
"""
