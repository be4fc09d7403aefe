"""Every module under src/mxnet is shipped by the wheel (hatch's only-include list)."""
import pathlib
import sys

import pytest

from mxnet._test_utils.project import modules_missing_from_wheel


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is Python 3.11+")
def test_only_include_covers_every_module():
    assert modules_missing_from_wheel(pathlib.Path(__file__).resolve().parent.parent) == []
