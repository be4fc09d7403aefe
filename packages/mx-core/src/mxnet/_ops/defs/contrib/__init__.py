"""Operators of MXNet's ``src/operator/contrib/`` (``_contrib_*`` names -> ``mx.nd.contrib``)."""
