"""Every MXNet-API workload in one registry: workloads_mx + ops_mx + module_mx.

Runs on whichever package ``import mxnet`` resolves to (this project or the real
MXNet 1.9.1).  ``python suite_mx.py --workloads list``
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402
import module_mx  # noqa: E402
import ops_mx  # noqa: E402
import workloads_mx  # noqa: E402

R = {**workloads_mx.R, **ops_mx.R, **module_mx.R}

if __name__ == "__main__":
    H.main(R, os.environ.get("BENCH_SYSTEM_NAME", "mxnet"), workloads_mx._info)
