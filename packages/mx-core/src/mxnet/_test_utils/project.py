"""Checks the project's packages share in their tests (not part of MXNet's API)."""
import contextlib
import io
import pathlib
import runpy


def replay_script(script, expected):
    """Run ``script`` and return (its stdout lines, the lines of the ``expected`` file).

    The expected output was recorded from the same script under the real MXNet 1.9.1.
    Automatic symbol names count from zero, as in the fresh process that recorded it.
    """
    buf = io.StringIO()
    try:
        from mxnet.name import NameManager     # mx-symbol, when installed
        names = NameManager()
    except ImportError:
        names = contextlib.nullcontext()
    with contextlib.redirect_stdout(buf), names:
        runpy.run_path(str(script), run_name="__main__")
    return buf.getvalue().splitlines(), pathlib.Path(expected).read_text().splitlines()


def modules_missing_from_wheel(package_root):
    """Top-level entries under ``src/mxnet`` that hatch's ``only-include`` leaves out.

    An editable install sees the whole source tree, so such a module only fails for
    users of the wheel.
    """
    import tomllib
    root = pathlib.Path(package_root)
    config = tomllib.loads((root / "pyproject.toml").read_text())
    listed = config["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"]
    shipped = [root / p for p in listed]
    return [str(p.relative_to(root)) for p in (root / "src" / "mxnet").iterdir()
            if p.name != "__pycache__"
            and not any(p == s or s in p.parents for s in shipped)]
