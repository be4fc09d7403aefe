"""Every module under src/mxnet is shipped by the wheel (hatch's only-include list).

The editable install sees the whole source tree, so a module missing from the list
only fails for users of the wheel; this test catches it in every install mode.
"""
import pathlib

import pytest

tomllib = pytest.importorskip("tomllib")      # Python 3.11+

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_only_include_covers_every_module():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = config["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"]
    shipped = [ROOT / p for p in listed]
    for path in (ROOT / "src" / "mxnet").iterdir():
        if path.name == "__pycache__":
            continue
        assert any(path == s or s in path.parents for s in shipped), \
            f"{path.relative_to(ROOT)} is not in only-include of pyproject.toml"
