"""Fixtures of the plugin tests: a fresh plugin manager, fresh virtual environments."""
import contextlib
import importlib
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import mxnet as mx
from mxnet import plugins
from mxnet.ndarray._gen import modules_of
from mxnet.plugins import _manager

@contextlib.contextmanager
def isolated_plugins():
    """A fresh manager and fresh registries inside; afterwards, the exact state from
    before (same manager, same registry objects, mx.nd front-ends rebuilt).

    Restoring the same objects matters: Context objects cache their backend, and
    modules keep the registries they looked up, so a merely *equal* new state leaks.
    """
    plugins.get_registry("ops")
    # modules that add operators when first imported (mx-symbol's control flow) must
    # not first load inside: their operators would go into the throw-away registry
    with contextlib.suppress(ImportError):
        importlib.import_module("mxnet.symbol.contrib")
    saved = dict(_manager._REGISTRIES), dict(_manager._STATE)
    plugins.reset()
    try:
        yield plugins
    finally:
        _manager._REGISTRIES.clear()
        _manager._REGISTRIES.update(saved[0])
        _manager._STATE.update(saved[1])
        _rebuild_frontends(saved[0]["ops"])
        default = getattr(mx.Context._default, "value", None)
        if default is not None:
            default._backend = None


@pytest.fixture
def fresh_plugins(monkeypatch):
    """The test runs with a fresh plugin manager and registries (no MXNET_PLUGINS)."""
    monkeypatch.delenv("MXNET_PLUGINS", raising=False)
    with isolated_plugins() as fresh:
        yield fresh


@pytest.fixture
def plugins_isolation():
    """:func:`isolated_plugins` itself, for tests that check the isolation."""
    return isolated_plugins


def _rebuild_frontends(ops):
    """Point mx.nd at ``ops`` again and drop front-ends of operators added meanwhile."""
    nd_mod = sys.modules["mxnet.ndarray"]
    nd_impl = sys.modules["mxnet.ndarray.ndarray"]
    nd_impl._OPS = ops._ops
    known = set(map(id, ops.ops()))
    for module in modules_of("mxnet.ndarray").values():
        for name, value in list(vars(module).items()):
            opdef = getattr(value, "opdef", None)
            if opdef is not None and id(opdef) not in known:
                delattr(module, name)
    for name in [n for n, f in nd_impl._FUNCS.items() if id(f.opdef) not in known]:
        del nd_impl._FUNCS[name]
    for op in ops.ops():
        nd_mod._on_add(op)


def clean_env(**extra):
    """The environment for a child Python: none of this process's venv or paths."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MXNET_PLUGINS", "PYTHONHOME")}
    env.update(extra)
    return env


def run(cmd, **kwargs):
    """Run ``cmd``; on failure the assertion shows its output."""
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                         env=kwargs.pop("env", None) or clean_env(), **kwargs)
    assert res.returncode == 0, (f"{' '.join(map(str, cmd))} failed ({res.returncode})\n"
                                 f"{res.stdout}\n{res.stderr}")
    return res.stdout


class Venv:
    """A fresh virtual environment (uv when on PATH, else venv + pip); no system site."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        bindir = "Scripts" if os.name == "nt" else "bin"
        self.python = self.path / bindir / ("python.exe" if os.name == "nt" else "python")
        self.uv = shutil.which("uv")
        if self.uv:
            run([self.uv, "venv", "--quiet", "--python", sys.executable, self.path])
        else:
            run([sys.executable, "-m", "venv", self.path])

    def install(self, *specs):
        """``pip install`` of the given specs (local paths, ``-e path``, names)."""
        if self.uv:
            run([self.uv, "pip", "install", "--quiet", "--python", self.python, *specs])
        else:
            run([self.python, "-m", "pip", "install", "--quiet", *specs])

    def python_run(self, *args, **env):
        return run([self.python, *args], env=clean_env(**env), cwd=self.path)


@pytest.fixture(scope="session")
def make_venv(tmp_path_factory):
    """``make_venv(name)`` -> a fresh :class:`Venv` under the session's tmp dir."""
    def make(name):
        return Venv(tmp_path_factory.mktemp("venv") / name)
    return make
