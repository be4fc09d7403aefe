"""``mx.engine``: engine settings MXNet code sets.

Operators here run as they are called, so bulking (bundling queued operators into one
engine task) changes nothing; the size is kept so code that sets and restores it works.
"""
__all__ = ["set_bulk_size", "bulk"]

_BULK_SIZE = [0]       # MXNet 1.9.1's imperative default


def set_bulk_size(size):
    """Set the most operators bundled into one bulk; returns the previous size."""
    prev = _BULK_SIZE[0]
    _BULK_SIZE[0] = int(size)
    return prev


class _BulkScope:
    """Scope that sets the bulk size and restores the previous one on exit."""

    def __init__(self, size):
        self._size = size
        self._old_size = None

    def __enter__(self):
        self._old_size = set_bulk_size(self._size)
        return self

    def __exit__(self, ptype, value, trace):
        set_bulk_size(self._old_size)


def bulk(size):
    """Scope for bulk execution of up to ``size`` operators::

        with mx.engine.bulk(10):
            x = mx.nd.zeros((1,))
            for i in range(100):
                x += 1
    """
    return _BulkScope(size)
