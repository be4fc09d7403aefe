"""mx-core's operator declarations, one module per MXNet operator family.

Module names mirror MXNet's ``src/operator/`` files so the reference is one lookup
away. Importing a module declares its operators into ``registry.DECLARED``.
"""
import importlib
import pkgutil

from ..registry import DECLARED


def load_all():
    """Import every family module; return the declared operators in order."""
    found = pkgutil.walk_packages(__path__, prefix=f"{__name__}.")
    for info in sorted(found, key=lambda m: m.name):
        if not info.name.rsplit(".", 1)[-1].startswith("_"):
            importlib.import_module(info.name)
    return list(DECLARED)
