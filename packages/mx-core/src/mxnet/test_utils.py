"""``mx.test_utils``: MXNet's public test toolkit.

Comparisons with MXNet's tolerances and error messages (``assert_almost_equal``),
random test data (``rand_ndarray``, ``rand_shape_nd``), forward/backward/finite
difference checks of Symbols (``check_numeric_gradient``, ``check_symbolic_forward``,
``check_consistency``), environment and seed helpers (``environment``, ``with_seed``),
downloads and checks of random generators. The parts live in ``mxnet._test_utils``.
"""
from ._test_utils.compare import *  # noqa: F401,F403
from ._test_utils.compare import __all__ as _compare_all
from ._test_utils.compare import _find_max_violation  # noqa: F401
from ._test_utils.data import *  # noqa: F401,F403
from ._test_utils.data import __all__ as _data_all
from ._test_utils.data import (_get_powerlaw_dataset_csr, _get_uniform_dataset_csr,  # noqa: F401
                               _sorted_dict, _sorted_items, _validate_csr_generation_inputs)
from ._test_utils.env import *  # noqa: F401,F403
from ._test_utils.env import __all__ as _env_all
from ._test_utils.stats import *  # noqa: F401,F403
from ._test_utils.stats import __all__ as _stats_all
from ._test_utils.symbolic import *  # noqa: F401,F403
from ._test_utils.symbolic import __all__ as _symbolic_all
from ._test_utils.symbolic import _parse_aux_states, _parse_location  # noqa: F401
# MXNet 1.9.1 compat: its test_utils has no __all__, so ``from mxnet.test_utils import *``
# (which MXNet's own tests use) also hands out these modules and names.
import bz2, errno, gzip, json, logging, numbers, os, platform, struct, sys, time  # noqa: E401,F401,E402
import traceback, zipfile  # noqa: E401,F401,E402
from collections import OrderedDict  # noqa: F401,E402
from contextlib import contextmanager  # noqa: F401,E402
import numpy as np  # noqa: E402,F401  (star-exported, as in MXNet)
import numpy.random as rnd  # noqa: F401,E402
import numpy.testing as npt  # noqa: F401,E402
import mxnet as mx  # noqa: F401,E402
from .context import Context, current_context  # noqa: F401,E402
from .ndarray import array  # noqa: F401,E402
from .runtime import Features  # noqa: F401,E402
from .util import getenv, setenv, use_np  # noqa: F401,E402

_MODULE_NAMES = ["bz2", "errno", "gzip", "json", "logging", "numbers", "os", "platform",
                 "struct", "sys", "time", "traceback", "zipfile", "OrderedDict",
                 "contextmanager", "np", "rnd", "npt", "mx", "Context", "current_context",
                 "array", "Features", "getenv", "setenv", "use_np"]
_LAZY = ["DummyIter", "check_gluon_hybridize_consistency", "Symbol", "np_symbol",
         "requests", "ss"]

__all__ = sorted(set(_compare_all + _data_all + _stats_all + _symbolic_all + _env_all)
                 - {"make_dummy_iter_class"}) + _MODULE_NAMES + _LAZY


def __getattr__(name):
    # built on first use: they need mx.io / mx.gluon, which may come later than mx-core
    if name == "DummyIter":
        from ._test_utils.env import make_dummy_iter_class
        cls, final = make_dummy_iter_class()
        if final:
            globals()["DummyIter"] = cls
        return cls
    if name == "check_gluon_hybridize_consistency":
        from ._test_utils.gluon import check_gluon_hybridize_consistency as fn
        globals()[name] = fn
        return fn
    if name in ("Symbol", "np_symbol", "requests", "ss"):
        value = _lazy_import(name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mxnet.test_utils' has no attribute {name!r}")


def _lazy_import(name):
    # optional: mx.sym comes with mx-symbol, requests and scipy may be absent
    import importlib
    try:
        if name == "Symbol":
            return importlib.import_module("mxnet.symbol").Symbol
        if name == "np_symbol":
            return importlib.import_module("mxnet.symbol.numpy")._Symbol
        if name == "ss":
            return importlib.import_module("scipy.stats")
        return importlib.import_module(name)
    except (ImportError, AttributeError):
        return None
