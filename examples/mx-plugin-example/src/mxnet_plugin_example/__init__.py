"""An example plugin for the pure-Python MXNet stack (see ``plugin.py``)."""
__version__ = "0.1.0"
