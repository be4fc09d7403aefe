#!/usr/bin/env python3
"""cProfile one benchmark workload of suite_mx.py: where does this project's time go?

    python bench/profile_mx.py op_conv_resnet3x3 [--runs 2] [--top 25] [--sort tottime]
    python bench/profile_mx.py lenet_train --out /tmp/lenet.prof     # for snakeviz / pstats
    python bench/profile_mx.py op_pooling --lines mxnet._ops.defs.nn.pooling:_backward_pooling
        # line by line (needs line_profiler); a registered operator resolves to its forward

Runs the workload's warm-up untimed, then profiles ``--runs`` samples and prints the
top functions (file:line(function)) by own time and by cumulative time, plus the
share of the total spent in NumPy calls versus Python code of the package.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("workload")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sort", default="tottime,cumulative")
    ap.add_argument("--out", help="also dump the raw profile here")
    ap.add_argument("--lines", action="append", default=[], metavar="MODULE:FUNCTION",
                    help="line-profile these functions instead of cProfile")
    args = ap.parse_args()
    import suite_mx
    spec = suite_mx.R[args.workload]()
    for _ in range(max(spec.warmup, 1)):
        spec.run()
    if args.lines:
        return line_profile(spec, args)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.runs):
        spec.run()
    prof.disable()
    if args.out:
        prof.dump_stats(args.out)
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print("workload %s: %d runs, %.3f s profiled (%.1f ms per run)"
          % (args.workload, args.runs, total, total / args.runs * 1e3))
    builtin = sum(v[2] for k, v in stats.stats.items() if k[0] == "~")
    print("own time in C functions (NumPy, builtins): %.0f%%; in Python code: %.0f%%"
          % (100 * builtin / total, 100 * (1 - builtin / total)))
    for key in args.sort.split(","):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(args.top)
        text = buf.getvalue()
        print("\n---- by %s ----\n%s" % (key, text[text.find("   ncalls"):]))


def _resolve(target):
    import importlib
    mod, _, name = target.partition(":")
    obj = importlib.import_module(mod)
    for part in name.split("."):
        obj = getattr(obj, part)
    return getattr(obj, "forward", obj)      # an OpDef: its forward function


def line_profile(spec, args):
    from line_profiler import LineProfiler
    prof = LineProfiler(*[_resolve(t) for t in args.lines])
    prof.enable_by_count()
    for _ in range(args.runs):
        spec.run()
    prof.disable_by_count()
    prof.print_stats(output_unit=1e-3, stripzeros=True)


if __name__ == "__main__":
    main()
