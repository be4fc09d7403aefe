"""Keep freed large buffers in the process instead of returning them to the OS.

glibc serves large allocations with ``mmap`` and returns them with ``munmap`` (or trims
the heap) when freed, so every training step page-faults its activations back in:
measured here, a LeNet training loop took ten times more page faults (148k vs 14k for
40 steps) and ran markedly slower than with the thresholds raised. At import, on Linux
with glibc, mx-core raises ``M_MMAP_THRESHOLD`` to 1 GiB and ``M_TRIM_THRESHOLD`` to
2 GiB, as the benchmark anchors of this project do.

Set ``MXNET_MALLOC_TUNING=0`` to leave the allocator alone.
"""
import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def tune():
    """Apply the thresholds; True when applied (Linux with glibc, not disabled)."""
    if os.environ.get("MXNET_MALLOC_TUNING", "1").strip() in ("0", "false", "False"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):      # musl and others: no mallopt to tune
        return False
    ok = mallopt(_M_MMAP_THRESHOLD, 1 << 30) == 1
    ok = mallopt(_M_TRIM_THRESHOLD, 2 << 30) == 1 and ok
    return ok


TUNED = tune()
