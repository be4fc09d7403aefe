"""The plugin manager: loading, pinning, validation, duplicates, docs."""
import ast
import importlib.metadata
import pathlib
import sys
import types

import pluggy
import pytest

import mxnet as mx
from mxnet import plugins
from mxnet.base import MXNetError
from mxnet.plugins import Float, hookimpl, hookspecs
from mxnet.plugins import _manager

REPO = pathlib.Path(__file__).resolve().parents[4]


def _op_plugin(op_name, scale=1.0):
    """A plugin object adding one operator ``op_name`` = data * scale."""
    class OpPlugin:
        @hookimpl
        def mxnet_register_ops(self, registry):
            @registry.register(op_name, inputs=["data"], params=[Float("k", scale)])
            def fwd(xp, data, *, k):
                return data * k
    return OpPlugin()


def _fake_entry_points(monkeypatch, **plugins_by_name):
    """Make the manager see ``plugins_by_name`` as entry points of group mxnet."""
    eps = []
    for name, plugin in plugins_by_name.items():
        module_name = f"_mxnet_test_plugin_{name}"
        module = types.ModuleType(module_name)
        module.plugin = plugin
        monkeypatch.setitem(sys.modules, module_name, module)
        eps.append(importlib.metadata.EntryPoint(name, f"{module_name}:plugin", "mxnet"))
    monkeypatch.setattr(_manager, "_entry_points", lambda: eps)


def test_reset_gives_fresh_registries(fresh_plugins):
    ops = plugins.get_registry("ops")
    assert plugins.get_registry("ops") is ops
    plugins.reset()
    assert plugins.get_registry("ops") is not ops
    assert "relu" in plugins.get_registry("ops")


def test_runtime_plugin_adds_operator_to_frontends(fresh_plugins):
    plugins.get_registry("ops")
    plugins.register_plugin(_op_plugin("_test_triple", 3.0), name="triple")
    x = mx.nd.array([1.0, 2.0])
    assert mx.nd._internal._test_triple(x).asnumpy().tolist() == [3.0, 6.0]


def test_isolation_restores_the_same_objects(plugins_isolation):
    ops, cpu = plugins.get_registry("ops"), plugins.get_registry("backends").get("cpu")
    mx.current_context().backend
    with plugins_isolation():
        plugins.register_plugin(_op_plugin("_test_triple", 3.0), name="triple")
        assert plugins.get_registry("ops") is not ops
        assert mx.nd._internal._test_triple(mx.nd.ones((1,))).asscalar() == 3.0
        mx.current_context().backend
    assert plugins.get_registry("ops") is ops
    assert "_test_triple" not in ops and not hasattr(mx.nd._internal, "_test_triple")
    assert mx.current_context().backend is cpu
    assert mx.nd.relu.opdef is ops.get("relu")


def test_duplicate_operator_names_both_sources(fresh_plugins):
    plugins.get_registry("ops")
    with pytest.raises(MXNetError) as err:
        plugins.register_plugin(_op_plugin("relu"), name="dup")
    message = str(err.value)
    assert "'relu' is registered twice" in message
    assert "mxnet._ops.defs.elemwise_unary" in message
    assert __name__ in message


def test_duplicate_backend_raises(fresh_plugins):
    class Twice:
        @hookimpl
        def mxnet_register_backends(self, registry):
            from mxnet._backends.cpu import CPUBackend
            registry.add(CPUBackend())
    plugins.get_registry("backends")
    with pytest.raises(MXNetError, match="'cpu' is registered twice"):
        plugins.register_plugin(Twice(), name="twice")


def test_entry_points_load_and_are_listed(fresh_plugins, monkeypatch):
    _fake_entry_points(monkeypatch, alpha=_op_plugin("_test_alpha"),
                       beta=_op_plugin("_test_beta"))
    ops = plugins.get_registry("ops")
    assert "_test_alpha" in ops and "_test_beta" in ops
    names = [name for name, _dist, _target in plugins.loaded_plugins()]
    assert names == ["alpha", "beta"]


@pytest.mark.parametrize("pin, expected", [("alpha", {"_test_alpha"}),
                                           ("beta, alpha", {"_test_alpha", "_test_beta"}),
                                           ("none", set()), ("", set())])
def test_mxnet_plugins_pins_entry_points(fresh_plugins, monkeypatch, pin, expected):
    _fake_entry_points(monkeypatch, alpha=_op_plugin("_test_alpha"),
                       beta=_op_plugin("_test_beta"))
    monkeypatch.setenv("MXNET_PLUGINS", pin)
    ops = plugins.get_registry("ops")
    assert {n for n in ("_test_alpha", "_test_beta") if n in ops} == expected
    assert "relu" in ops            # mx-core's built-ins always load


def test_broken_entry_point_names_plugin(fresh_plugins, monkeypatch):
    eps = [importlib.metadata.EntryPoint("broken", "_no_such_module_xyz", "mxnet")]
    monkeypatch.setattr(_manager, "_entry_points", lambda: eps)
    with pytest.raises(MXNetError, match="Failed to load mxnet plugin 'broken'"):
        plugins.get_manager()


def test_check_pending_catches_misspelled_hook(fresh_plugins):
    class Misspelled:
        @hookimpl
        def mxnet_register_opz(self, registry):
            pass
    with pytest.raises(pluggy.PluginValidationError, match="mxnet_register_opz"):
        plugins.register_plugin(Misspelled(), name="typo")


def test_check_pending_on_entry_points(fresh_plugins, monkeypatch):
    class Misspelled:
        @hookimpl
        def mxnet_register_backend(self, registry):
            pass
    _fake_entry_points(monkeypatch, typo=Misspelled())
    with pytest.raises(pluggy.PluginValidationError, match="mxnet_register_backend"):
        plugins.get_manager()


def test_every_registry_kind_has_a_hook_and_registry(fresh_plugins):
    for name in _hook_names():
        kind = name[len("mxnet_register_"):]
        assert plugins.get_registry(kind) is not None


def test_name_registry_plugin_entries(fresh_plugins):
    class Opt:
        @hookimpl
        def mxnet_register_metrics(self, registry):
            registry.add("MyAcc", dict)
    plugins.register_plugin(Opt(), name="metrics")
    reg = plugins.get_registry("metrics")
    assert reg.get("myacc") is dict and "MYACC" in reg


def _hook_names():
    tree = ast.parse(pathlib.Path(hookspecs.__file__).read_text(encoding="utf-8"))
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("mxnet_")]


def test_every_hook_is_documented():
    doc = REPO / "docs" / "plugins" / "hooks.md"
    assert doc.exists(), f"{doc} is missing"
    text = doc.read_text(encoding="utf-8")
    names = _hook_names()
    assert len(names) >= 8
    missing = [n for n in names if f"`{n}" not in text]
    assert not missing, f"hooks missing from docs/plugins/hooks.md: {missing}"
    for name in names:
        assert getattr(hookspecs, name).__doc__.strip(), f"{name} has no docstring"
