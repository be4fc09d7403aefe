"""Every PyTorch workload in one registry: workloads_torch + ops_torch."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402
import ops_torch  # noqa: E402
import workloads_torch  # noqa: E402

R = {**workloads_torch.R, **ops_torch.R}

if __name__ == "__main__":
    H.main(R, os.environ.get("BENCH_SYSTEM_NAME", "torch"), workloads_torch._info)
