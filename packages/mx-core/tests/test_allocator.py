"""The glibc allocator tuning at import: fewer page faults for repeated large buffers."""
import subprocess
import sys

import pytest

LOOP = """
import resource
import numpy as np
import mxnet as mx
x = np.ones((16, 1 << 20), dtype=np.float32)    # 64 MB per temporary
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    y = x * 2.0
    del y
print(mx._allocator.TUNED, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(env_value):
    env = {"MXNET_MALLOC_TUNING": env_value, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", LOOP], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return out[0] == "True", int(out[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc mallopt is Linux-only")
def test_tuning_keeps_freed_buffers_and_can_be_turned_off():
    tuned, faults_tuned = _faults("1")
    untuned, faults_default = _faults("0")
    if not tuned:
        pytest.skip("no glibc mallopt here (e.g. musl)")
    assert not untuned
    # untuned, each 64 MB temporary (above glibc's 32 MB dynamic mmap threshold) is
    # mmapped afresh and faulted in page by page
    assert faults_tuned * 4 < faults_default
