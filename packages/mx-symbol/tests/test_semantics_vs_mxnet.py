"""Scripts written against MXNet's public API print the same lines here as under the
real MXNet 1.9.1 (their ``.expected`` outputs were recorded with it)."""
import pathlib

import pytest

from mxnet._test_utils.project import replay_script

HERE = pathlib.Path(__file__).resolve().parent / "data" / "semantics"
SCRIPTS = sorted(p.stem for p in HERE.glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_matches_mxnet(name):
    printed, expected = replay_script(HERE / f"{name}.py", HERE / f"{name}.expected")
    assert printed == expected
