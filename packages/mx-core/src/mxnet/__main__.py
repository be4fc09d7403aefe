"""``python -m mxnet info``: the installed parts, devices, plugins and features."""
import argparse
import platform
import sys


def info(out=None):
    """Print what is installed (parts, devices, plugins, features) to ``out``."""
    import numpy as np

    import mxnet as mx
    from mxnet import runtime
    from mxnet.plugins import get_registry

    problems = runtime.load_registry_owners()
    write = (out or sys.stdout).write
    write(f"MXNet API {mx.__version__} on Python {platform.python_version()}, "
          f"NumPy {np.__version__}, {platform.platform()}\n")
    write("\nParts:\n")
    for part in runtime.parts():
        write(f"  {part.name:<12} {part.version:<10} {part.location}\n")
    write("\nDevices:\n")
    backends = get_registry("backends")
    for name in backends.names():
        be = backends.get(name)
        write(f"  {name:<12} {be.device_count()} device(s), {type(be).__module__}\n")
    if backends.get("gpu") is None:
        write("  gpu          not installed (pip install mx-cuda)\n")
    n_ops = len(get_registry("ops").ops())
    write(f"\nOperators: {n_ops}\n")
    write("\nPlugins (entry-point group 'mxnet'):\n")
    found = runtime.plugins()
    if not found:
        write("  none\n")
    for plugin in found:
        write(f"  {plugin.name} = {plugin.target}  [{plugin.distribution} "
              f"{plugin.version}]\n")
        for kind, names in plugin.registered.items():
            write(f"    {kind}: {', '.join(sorted(names))}\n")
    if problems:
        write("\nProblems:\n" + "".join(f"  {p}\n" for p in problems.values()))
    write("\nFeatures:\n")
    feats = list(runtime.Features().values())
    for i in range(0, len(feats), 4):
        write("  " + "  ".join(f"{f!r:<20}" for f in feats[i:i + 4]).rstrip() + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mxnet",
                                     description="MXNet (pure Python) utilities")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("info", help="installed parts, devices, plugins and features")
    args = parser.parse_args(argv)
    if args.command == "info":
        info()
        return 0
    parser.print_help()
    return 1


if __name__ == "__main__":
    sys.exit(main())
