"""Every plain-NumPy workload in one registry: limits (whole models) + ops_numpy."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402
import limits  # noqa: E402
import ops_numpy  # noqa: E402

R = {**limits.R, **ops_numpy.R}

if __name__ == "__main__":
    H.main(R, os.environ.get("BENCH_SYSTEM_NAME", "numpy-limit"), limits._info)
