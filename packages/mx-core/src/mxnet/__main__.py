"""``python -m mxnet info``: the installed parts, devices, plugins and features."""
import argparse
import platform
import sys

_OWNERS = (("optimizers", "mxnet.optimizer"), ("initializers", "mxnet.initializer"),
           ("metrics", "mxnet.metric"), ("kvstores", "mxnet.kvstore"),
           ("exporters", "mxnet.onnx"), ("importers", "mxnet.onnx"))


def _load_owners():
    """Import the modules owning each registry, so their entries show; report failures."""
    import importlib
    problems = []
    for _kind, module in _OWNERS:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name is None or not module.startswith(err.name):
                problems.append(f"{module}: {type(err).__name__}: {err}")
        except Exception as err:     # a broken part must not hide the others
            problems.append(f"{module}: {type(err).__name__}: {err}")
    return problems


def info(out=sys.stdout):
    import numpy as np

    import mxnet as mx
    from mxnet import runtime
    from mxnet.plugins import get_registry

    problems = _load_owners()
    write = out.write
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
        write("\nProblems:\n" + "".join(f"  {p}\n" for p in problems))
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
