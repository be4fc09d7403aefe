#!/usr/bin/env python3
"""One invocation, interleaved: this project beside PyTorch, NumPy and (optionally) the real MXNet.

Columns (each a fresh process per workload and round, order reversed every round):

    new-mxnet    NEW_MXNET_PYTHON, default: this interpreter     -> suite_mx.py
    torch        TORCH_PYTHON, else ../.nox/bench/bin/python, else this
                 interpreter if it imports torch; skipped if none  -> suite_torch.py
    real-mxnet   REAL_MXNET_PYTHON (optional: mxnet==1.9.1)        -> suite_mx.py
    numpy        LIMITS_PYTHON, default: this interpreter          -> suite_numpy.py

Groups (``--groups``, comma-separated): ``ops`` (operator catalog targets), ``models``
(the side-by-side workloads), ``module`` (mx.mod.Module vs mx.nd + autograd).

    OMP_NUM_THREADS=2 python bench/run.py                     # everything, 1 round (~5 min)
    python bench/run.py --groups ops --rounds 2 --md results.md
    python bench/run.py --quick                               # smoke run (nox -s bench)

``--check`` exits 1 when an operator target (``ops_sizes.TARGETS``) is missed.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_side_by_side as S  # noqa: E402
from ops_sizes import OPS, TARGETS  # noqa: E402

GROUPS = {
    "ops": list(OPS),
    "models": ["dispatch_add", "dispatch_add_record", "dispatch_chain10",
               "mlp_train", "mlp_train_hybrid", "lenet_train", "lenet_train_hybrid",
               "resnet18_infer224", "resnet18_train112", "lstm_fwdbwd"],
    "module": ["module_mlp_train", "imperative_mlp_train",
               "module_lenet_train", "imperative_lenet_train"],
}
QUICK = ["op_fc1024", "op_softmax", "op_conv_lenet", "dispatch_add", "mlp_train",
         "module_mlp_train", "imperative_mlp_train"]
COLS = ["new-mxnet", "torch", "real-mxnet", "numpy"]
# glibc keeps freed memory instead of unmapping it: fresh pages of large temporaries
# are very expensive on this VM (see RESULTS.md); --malloc-column measures the gain
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 31),
              "MALLOC_TOP_PAD_": str(1 << 29)}


def _imports(python, module):
    try:
        return subprocess.run([python, "-c", "import " + module], capture_output=True,
                              timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_torch():
    cands = [os.environ.get("TORCH_PYTHON"),
             os.path.join(HERE, os.pardir, ".nox", "bench", "bin", "python"),
             sys.executable]
    for python in cands:
        if python and os.path.exists(python) and _imports(python, "torch"):
            return python
    return None


def systems(malloc_column=False):
    env = os.environ
    out = [("new-mxnet", env.get("NEW_MXNET_PYTHON", sys.executable), "suite_mx.py", {})]
    if malloc_column:
        out.append(("new+malloc", out[0][1], "suite_mx.py", dict(MALLOC_ENV)))
        COLS.insert(1, "new+malloc")
    torch = find_torch()
    if torch:
        out.append(("torch", torch, "suite_torch.py", {}))
    if env.get("REAL_MXNET_PYTHON"):
        out.append(("real-mxnet", env["REAL_MXNET_PYTHON"], "suite_mx.py", {}))
    out.append(("numpy", env.get("LIMITS_PYTHON", sys.executable), "suite_numpy.py", {}))
    return out


def fmt(v):
    return S.fmt(v) if v is not None else ""


def _cell(summary, col, wl, key="median"):
    return summary.get(col, {}).get(wl, {}).get(key)


def _ratio(a, b):
    return "%.2fx" % (a / b) if a and b else ""


def ops_table(summary, workloads):
    """Time ratios (ours / theirs: < 1 is faster) and GFLOP/s of the operator benchmarks."""
    tuned = "new+malloc" in summary
    hdr = ["operator (fwd+bwd)", "new ms"] + (["new+malloc ms"] if tuned else []) + [
        "torch ms", "real-mxnet ms", "new/torch time (median; best)", "target", "ok"] + (
        ["new+malloc/torch"] if tuned else []) + ["new/real-mxnet time"] + [
        "GFLOP/s " + c for c in COLS]
    rows = []
    for wl in [w for w in GROUPS["ops"] if w in workloads]:
        new, torch = _cell(summary, "new-mxnet", wl), _cell(summary, "torch", wl)
        best = _ratio(_cell(summary, "new-mxnet", wl, "min"), _cell(summary, "torch", wl, "min"))
        target = TARGETS.get(wl)
        ok = "" if not (target and new and torch) else ("yes" if new / torch <= target else "NO")
        mal = _cell(summary, "new+malloc", wl)
        rows.append([wl, fmt(new)] + ([fmt(mal)] if tuned else []) + [
            fmt(torch), fmt(_cell(summary, "real-mxnet", wl)),
            "%s; %s" % (_ratio(new, torch), best) if new and torch else "",
            "<= %.1fx" % target if target else "", ok] + (
            [_ratio(mal, torch)] if tuned else []) + [
            _ratio(new, _cell(summary, "real-mxnet", wl))] +
            [fmt(_cell(summary, c, wl, "gflops")) for c in COLS])
    return _md(hdr, rows)


def models_table(summary, workloads):
    """Speeds (higher is better except us/op) and speed ratios of this project."""
    cols = [c for c in COLS if c in summary]
    hdr = ["workload", "unit"] + cols + ["new/torch speed (median; best)",
                                         "new/real-mxnet speed (median; best)"]
    rows = []
    for wl in workloads:
        cells = [summary.get(c, {}).get(wl) for c in cols]
        unit = next((c["unit"] for c in cells if c and "unit" in c), None)
        if not unit:
            continue
        vals = ["ERR" if c and "median" not in c else fmt(c and c.get("median"))
                for c in cells]
        ours = summary.get("new-mxnet", {}).get(wl)
        ratios = [(S.speed_ratio(ours, summary.get(c, {}).get(wl)),
                   _best_ratio(ours, summary.get(c, {}).get(wl))) for c in ("torch", "real-mxnet")]
        rows.append([wl, unit] + vals + ["%.2fx; %.2fx" % r if r[0] else "" for r in ratios])
    return _md(hdr, rows)


def _best_ratio(ours, ref):
    """Speed ratio of the best samples (min time / max rate): robust to a loaded machine."""
    if not ours or not ref or "min" not in ours or "min" not in ref:
        return None
    if ours["lower_is_better"]:
        return ref["min"] / ours["min"]
    return ours["max"] / ref["max"]


def module_table(summary, runs):
    """Module (executor) vs imperative: speed ratio and memory, per system."""
    mem = {}
    for r in runs:
        if "values" in r:
            mem.setdefault((r["system"], r["workload"]), []).append(r)
    hdr = ["system", "net", "Module samples/s", "nd+autograd samples/s",
           "Module/imperative speed", "tracemalloc peak MiB (Module / nd)",
           "maxrss MiB (Module / nd)"]
    rows = []
    for col in ("new-mxnet", "real-mxnet"):
        for net in ("mlp", "lenet"):
            m, i = "module_%s_train" % net, "imperative_%s_train" % net
            a, b = _cell(summary, col, m), _cell(summary, col, i)
            if a is None and b is None:
                continue

            def med(wl, key, col=col):
                vs = [r[key] for r in mem.get((col, wl), []) if r.get(key) is not None]
                return fmt(statistics.median(vs)) if vs else ""
            rows.append([col, net, fmt(a), fmt(b), _ratio(a, b),
                         "%s / %s" % (med(m, "tracemalloc_peak_mb"), med(i, "tracemalloc_peak_mb")),
                         "%s / %s" % (med(m, "maxrss_mb"), med(i, "maxrss_mb"))])
    return _md(hdr, rows)


def _md(hdr, rows):
    return "\n".join(["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)] +
                     ["| " + " | ".join(r) + " |" for r in rows])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--groups", default="ops,models,module")
    ap.add_argument("--workloads", default=None, help="explicit list (overrides --groups)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--budget-s", type=float, default=6.0)
    ap.add_argument("--timeout-s", type=float, default=300.0)
    ap.add_argument("--quick", action="store_true", help="a few workloads, 3 repeats")
    ap.add_argument("--out", help="results JSON")
    ap.add_argument("--md", help="markdown tables")
    ap.add_argument("--malloc-column", action="store_true",
                    help="add a column: this project with glibc malloc tuned (MALLOC_ENV)")
    ap.add_argument("--check", action="store_true", help="exit 1 if an op target is missed")
    args = ap.parse_args()
    if args.quick:
        args.workloads, args.repeats, args.budget_s = ",".join(QUICK), args.repeats or 3, 3.0
    wls = (args.workloads.split(",") if args.workloads else
           [w for g in args.groups.split(",") for w in GROUPS[g]])
    os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count()))
    cols = systems(args.malloc_column)
    print("columns: " + ", ".join("%s=%s" % (n, p) for n, p, _, _ in cols), file=sys.stderr)
    meta = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "uptime_start": S.uptime(),
            "OMP_NUM_THREADS": os.environ["OMP_NUM_THREADS"], "argv": sys.argv[1:]}
    runs = []
    for rnd in range(args.rounds):
        for wl in wls:
            for system in (cols if rnd % 2 == 0 else cols[::-1]):
                rec = S.run_one(system, wl, args, rnd)
                runs.append(rec)
                err = rec.get("error", "")
                if "not implemented" not in err:
                    print("round %d %-24s %-11s %10s %s%s" % (
                        rnd, wl, system[0], fmt(rec.get("median")), rec.get("unit", ""),
                        ("  ERROR " + err[:160]) if err else ""), file=sys.stderr, flush=True)
    meta["uptime_end"] = S.uptime()
    summary = S.summarize(runs)
    parts = []
    if any(w in OPS for w in wls):
        parts.append("### Operators (forward + backward)\n\n" + ops_table(summary, wls))
    other = [w for w in wls if w not in OPS and w not in GROUPS["module"]]
    if other:
        parts.append("### Models\n\n" + models_table(summary, other))
    if any(w in GROUPS["module"] for w in wls):
        parts.append("### mx.mod.Module vs mx.nd + autograd\n\n" + module_table(summary, runs))
    text = "\n\n".join(parts) + "\n\nuptime at start: `%s`  \nuptime at end: `%s`\n" % (
        meta["uptime_start"], meta["uptime_end"])
    print(text)
    if args.md:
        with open(args.md, "w") as f:
            f.write(text)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"meta": meta, "summary": summary, "runs": runs}, f, indent=1)
    missed = [w for w in TARGETS if w in wls and _cell(summary, "new-mxnet", w) and
              _cell(summary, "torch", w) and
              _cell(summary, "new-mxnet", w) / _cell(summary, "torch", w) > TARGETS[w]]
    if missed:
        print("operator targets missed: " + ", ".join(missed), file=sys.stderr)
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
