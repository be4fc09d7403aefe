"""dist_sync over MPI: two workers with half batches train like one with whole ones."""
import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("mpi4py", reason="the dist types need mpi4py (mx-kvstore[mpi])")

from mxnet.kvstore.launch import find_mpiexec  # noqa: E402

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dist_worker.py")


def _run(tmp_path, kind, workers, momentum=0.9):
    out = str(tmp_path / f"{kind}-{workers}-{momentum}.npy")
    cmd = [sys.executable, WORKER, kind, out, str(momentum)]
    if workers > 1:
        cmd = [sys.executable, "-m", "mxnet.kvstore.launch", "-n", str(workers), *cmd]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    subprocess.run(cmd, check=True, timeout=120, env=env, capture_output=True)
    return np.load(out)


def _need_mpiexec():
    try:
        find_mpiexec()
    except SystemExit as err:
        pytest.skip(str(err))


def test_dist_sync_on_two_workers_equals_local_on_the_whole_batch(tmp_path):
    _need_mpiexec()
    local = _run(tmp_path, "local", 1)
    dist = _run(tmp_path, "dist_sync", 2)
    np.testing.assert_allclose(dist, local, rtol=1e-5, atol=1e-6)


def test_dist_sync_alone_is_one_worker(tmp_path):
    np.testing.assert_allclose(_run(tmp_path, "dist_sync", 1),
                               _run(tmp_path, "local", 1), rtol=1e-6)


def test_dist_async_applies_each_workers_push_in_turn(tmp_path):
    # plain SGD: two half-batch updates in a row equal one whole-batch update
    _need_mpiexec()
    np.testing.assert_allclose(_run(tmp_path, "dist_async", 2, momentum=0.0),
                               _run(tmp_path, "local", 1, momentum=0.0),
                               rtol=1e-5, atol=1e-6)
    # with momentum the two orders differ: the store really updated twice per step
    assert not np.allclose(_run(tmp_path, "dist_async", 2), _run(tmp_path, "local", 1))
