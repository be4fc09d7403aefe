"""Start ``N`` workers of a ``dist_*`` training script over MPI.

    python -m mxnet.kvstore.launch -n 2 python train.py --kv-store dist_sync

is ``mpiexec -n 2 python train.py ...`` with the ``mpiexec`` of the installed MPI
(the ``mpich`` wheel of ``mx-kvstore[mpi]`` puts one next to the Python executable).
MXNet's own ``tools/launch.py`` also started parameter servers; this store has none.
"""
import argparse
import os
import shutil
import subprocess
import sys

__all__ = ["find_mpiexec", "main"]


def find_mpiexec():
    """The ``mpiexec`` next to this Python, else the first one on ``PATH``."""
    here = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    if os.access(here, os.X_OK):
        return here
    found = shutil.which("mpiexec")
    if found is None:
        raise SystemExit("mxnet.kvstore.launch: no mpiexec found; "
                         "pip install 'mx-kvstore[mpi]'")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mxnet.kvstore.launch",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--num-workers", type=int, required=True,
                        help="number of worker processes")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="the command each worker runs")
    args = parser.parse_args(argv)
    if args.num_workers < 1 or not args.command:
        parser.error("give -n N (N >= 1) and the command to run")
    return subprocess.call([find_mpiexec(), "-n", str(args.num_workers),
                            *args.command])


if __name__ == "__main__":
    sys.exit(main())
