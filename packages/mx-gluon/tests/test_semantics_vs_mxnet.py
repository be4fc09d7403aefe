"""Scripts written against MXNet's public API print the same lines here as under the
real MXNet 1.9.1 (their ``.expected`` outputs were recorded with it)."""
import contextlib
import io
import pathlib
import runpy

import pytest

HERE = pathlib.Path(__file__).resolve().parent / "data" / "semantics"
SCRIPTS = sorted(p.stem for p in HERE.glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_matches_mxnet(name):
    import mxnet as mx
    buf = io.StringIO()
    # a fresh name manager: automatic names (fullyconnected0...) count from zero, as in
    # the fresh process that recorded the expected output
    with contextlib.redirect_stdout(buf), mx.name.NameManager():
        runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
    expected = (HERE / f"{name}.expected").read_text().splitlines()
    assert buf.getvalue().splitlines() == expected
