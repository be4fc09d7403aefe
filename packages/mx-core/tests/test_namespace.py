"""``mxnet`` is a namespace: a sibling package's ``mxnet/<part>`` imports beside mx-core.

A throwaway package shipping only ``src/mxnet/fakepart`` (no ``mxnet/__init__.py``,
like mx-gluon) is installed with mx-core into fresh virtual environments, editable and
as wheels, in every mix; ``mxnet.fakepart`` must import in each.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap

import pytest

CORE = pathlib.Path(__file__).resolve().parents[1]

PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "mx-fakepart"
version = "0.0.1"
dependencies = ["mx-core"]

[tool.hatch.build.targets.wheel]
only-include = ["src/mxnet/fakepart"]
sources = ["src"]
"""

CHECK = textwrap.dedent("""
    import mxnet as mx
    import mxnet.fakepart
    assert mxnet.fakepart.VALUE == 42, mxnet.fakepart.VALUE
    assert mx.nd.ones((2,)).sum().asscalar() == 2
    assert mx.__version__ == "1.9.1"
    print(mxnet.fakepart.__file__)
""")


def _run(cmd, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env,
                         cwd=cwd)
    assert res.returncode == 0, f"{cmd} failed:\n{res.stdout}\n{res.stderr}"
    return res.stdout


def _venv(path):
    python = path / "bin" / "python"
    uv = shutil.which("uv")
    if uv:
        _run([uv, "venv", "--quiet", "--python", sys.executable, path])
        return python, [uv, "pip", "install", "--quiet", "--python", python]
    _run([sys.executable, "-m", "venv", path])
    return python, [python, "-m", "pip", "install", "--quiet"]


@pytest.fixture(scope="module")
def fakepart(tmp_path_factory):
    root = tmp_path_factory.mktemp("fakepart")
    (root / "pyproject.toml").write_text(PYPROJECT)
    pkg = root / "src" / "mxnet" / "fakepart"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 42\n")
    return root


@pytest.mark.parametrize("core_editable, part_editable",
                         [(True, True), (False, False), (True, False), (False, True)],
                         ids=["both-editable", "both-wheel", "core-editable",
                              "part-editable"])
def test_sibling_subpackage_imports(tmp_path, fakepart, core_editable, part_editable):
    python, install = _venv(tmp_path / "venv")
    specs = (["-e"] if core_editable else []) + [CORE] + \
        (["-e"] if part_editable else []) + [fakepart]
    _run(install + specs)
    where = pathlib.Path(_run([python, "-c", CHECK], cwd=tmp_path).strip())
    assert where.is_relative_to(fakepart) == part_editable
