"""``mx.runtime`` (MXNet's Features API, our parts/plugins) and ``python -m mxnet info``."""
import io
import subprocess
import sys
from importlib import metadata

import pytest

import mxnet as mx
from mxnet import runtime
from mxnet.__main__ import info, main


def test_features_is_a_dict_of_features():
    features = runtime.Features()
    assert isinstance(features, dict)
    assert list(features)[:5] == ["CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT"]
    for name, feature in features.items():
        assert isinstance(feature, runtime.Feature)
        assert feature.name == name and isinstance(feature.enabled, bool)
    assert features["CPU"].enabled and features.is_enabled("cpu")
    assert repr(features["CPU"]) == "✔ CPU"
    assert repr(runtime.Feature("CUDA", False)) == "✖ CUDA"
    assert repr(features).startswith("[✖ CUDA, ")


def test_features_keep_mxnet_names():
    # client code gates on these names; an unknown name raises, as in MXNet
    names = set(runtime.Features())
    for name in ("CUDA", "CUDNN", "NCCL", "MKLDNN", "OPENCV", "DIST_KVSTORE", "BLAS_OPEN",
                 "LAPACK", "INT64_TENSOR_SIZE", "SIGNAL_HANDLER", "TVM_OP", "CPU_SSE"):
        assert name in names
    with pytest.raises(RuntimeError, match="Feature 'NOPE' is unknown"):
        runtime.Features().is_enabled("nope")


def test_feature_list_matches_features():
    assert [f.name for f in runtime.feature_list()] == list(runtime.Features())
    assert mx.runtime is runtime


def test_cuda_disabled_without_gpu_backend():
    if mx.plugins.get_registry("backends").get("gpu") is None:
        assert not runtime.Features().is_enabled("CUDA")
        assert mx.num_gpus() == 0


def test_parts_lists_installed_core():
    parts = {p.name: p for p in runtime.parts()}
    assert parts["mx-core"].version == metadata.version("mx-core")
    assert set(parts) <= set(runtime.PART_NAMES)


def test_plugins_lists_loaded_entry_points():
    listed = runtime.plugins()
    assert [p.name for p in listed] == [name for name, _, _ in mx.plugins.loaded_plugins()]
    for plugin in listed:
        assert plugin.version != "" and isinstance(plugin.registered, dict)


def test_info_in_process():
    out = io.StringIO()
    info(out)
    text = out.getvalue()
    assert f"MXNet API {mx.__version__}" in text
    assert "mx-core" in text and "Features:" in text and "✔ CPU" in text
    assert "cpu" in text.split("Devices:")[1]


def test_main_without_command_prints_help(capsys):
    assert main([]) == 1
    assert "info" in capsys.readouterr().out


def test_python_m_mxnet_info():
    res = subprocess.run([sys.executable, "-m", "mxnet", "info"], capture_output=True,
                         text=True, check=True)
    assert "Parts:" in res.stdout and "mx-core" in res.stdout


def test_features_is_a_refreshed_singleton():
    # MXNet 1.9.1: Features() is a singleton; ours also re-reads the state each call
    first = runtime.Features()
    assert runtime.Features() is first
    assert list(first) == [f.name for f in runtime.feature_list()]
