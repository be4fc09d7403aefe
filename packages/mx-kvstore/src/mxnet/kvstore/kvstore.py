"""``KVStore``: the single-process store (``local``, ``device``), base of ``dist_*``.

A key (an int or a str; one kind per store, as in MXNet) maps to one stored NDArray.
``push`` sums the values given for a key (one per device, and every occurrence of the
key in the call), then either hands the sum to the updater (``set_optimizer``,
``_set_updater``) with the stored array, or stores the sum. ``pull`` copies the stored
array into each output.
"""
import os
import tempfile

import numpy as np

from mxnet import ndarray as nd
from mxnet import optimizer as opt
from mxnet.base import MXNetError
from mxnet.context import cpu

from .base import KVStoreBase

__all__ = ["KVStore"]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _check_key(key):
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        return int(key)
    if isinstance(key, str):
        return key
    raise MXNetError(f"KVStore: a key must be an int or a str, got {key!r}")


def _pairs(key, value, what):
    """``[(key, [NDArray, ...])]`` for a key or a list of keys and their values."""
    if isinstance(key, (list, tuple)):
        values = _as_list(value)
        if len(values) != len(key):
            raise MXNetError(f"KVStore.{what}: {len(key)} keys but {len(values)} values")
        return [(_check_key(k), _as_list(v)) for k, v in zip(key, values)]
    return [(_check_key(key), _as_list(value))]


def _dense(array):
    return array if array.stype == "default" else array.tostype("default")


class KVStore(KVStoreBase):
    """A single-process key-value store: ``local`` keeps the values on the CPU,
    ``device`` on the device of the first value given for a key."""

    def __init__(self, name="local"):
        self._type = name
        self._store = {}          # key -> stored dense NDArray
        self._key_kind = None     # int or str: MXNet refuses mixing them
        self._updater = None
        self._compression = None  # (threshold) of 2-bit compression, when set
        self._residuals = {}      # (key, device index) -> residual of compression

    # -- properties --------------------------------------------------------------
    @property
    def type(self):
        return self._type

    @property
    def rank(self):
        return 0

    @property
    def num_workers(self):
        return 1

    def is_capable(self, capability):
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return True
        raise ValueError(f"Unknown capability: {capability}")

    # -- keys ----------------------------------------------------------------------
    def _kind(self, key):
        kind = type(key)
        if self._key_kind is None:
            self._key_kind = kind
        elif self._key_kind is not kind:
            raise MXNetError("KVStore: mixed key types are not allowed: the store holds "
                             f"{self._key_kind.__name__} keys, got {key!r}")
        return key

    def _stored(self, key, what):
        stored = self._store.get(key)
        if stored is None:
            raise MXNetError(f"KVStore.{what}: key {key!r} has not been initialized; "
                             "call kv.init(key, value) first")
        return stored

    # -- init / push / pull ----------------------------------------------------------
    def init(self, key, value):
        """Initialize keys with values (a list of keys takes a list of values)."""
        for k, values in _pairs(key, value, "init"):
            self._kind(k)
            if k in self._store:
                raise MXNetError(f"KVStore.init: duplicate init of key {k!r}. Please "
                                 "double check if you called kv.init or kv.broadcast "
                                 "with this key multiple times")
            first = values[0]
            ctx = first.context if self._type not in ("local", "local_update_cpu",
                                                       "local_allreduce_cpu") else cpu()
            self._store[k] = self._initial(k, _dense(first)).copyto(ctx)

    def _initial(self, key, value):
        """The value a key starts with (the distributed store takes rank 0's)."""
        return value

    def push(self, key, value, priority=0):
        """Sum the values of each key and update (or replace) the stored value."""
        merged = {}
        for k, values in _pairs(key, value, "push"):
            self._kind(k)
            stored = self._stored(k, "push")
            part = self._merge(k, values, stored.context)
            merged[k] = part if k not in merged else merged[k] + part
        for k, total in merged.items():
            self._apply(k, self._reduce(k, total), self._store[k])

    def _merge(self, key, values, ctx):
        if self._compression is not None:
            values = [self._compress(key, i, _dense(v)) for i, v in enumerate(values)]
        total = _dense(values[0]).as_in_context(ctx)
        if len(values) > 1 or total is values[0]:
            total = total.copy()
        for v in values[1:]:
            total += _dense(v).as_in_context(ctx)
        return total

    def _reduce(self, key, total):
        """The sum over workers (one worker here)."""
        return total

    def _apply(self, key, total, stored):
        if self._updater is not None:
            self._updater(key, total, stored)
        else:
            stored[:] = total

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy each key's stored value into ``out`` (one array or one per device).

        With ``ignore_sparse`` (the default) row_sparse outputs are left as they are.
        """
        if out is None:
            raise MXNetError("KVStore.pull: out must be given")
        for k, outs in _pairs(key, out, "pull"):
            self._kind(k)
            stored = self._stored(k, "pull")
            for o in outs:
                # MXNet 1.9.1 compat: ignore_sparse skips row_sparse outputs (they are
                # pulled with row_sparse_pull), leaving them unchanged
                if not (ignore_sparse and o.stype != "default"):
                    self._write(stored, o)

    @staticmethod
    def _write(src, dst):
        if dst.stype == "default":
            src.copyto(dst)
        else:
            src.tostype(dst.stype).as_in_context(dst.context).copyto(dst)

    def pushpull(self, key, value, out=None, priority=0):
        """``push`` then ``pull`` into ``out``, or back into ``value`` when out is None."""
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority, ignore_sparse=False)

    def broadcast(self, key, value, out, priority=0):
        """``init`` the keys with ``value`` (rank 0's), then ``pull`` into ``out``."""
        self.init(key, value)
        self.pull(key, out, priority, ignore_sparse=False)

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        """Pull only the rows ``row_ids`` of each key, as ``row_sparse`` arrays."""
        if out is None or row_ids is None:
            raise MXNetError("KVStore.row_sparse_pull: out and row_ids must be given")
        for k, outs in _pairs(key, out, "row_sparse_pull"):
            ids = _as_list(row_ids)
            if len(ids) == 1:
                ids = ids * len(outs)
            if len(ids) != len(outs):
                raise MXNetError(f"KVStore.row_sparse_pull: {len(outs)} outputs but "
                                 f"{len(ids)} row_ids for key {k!r}")
            stored = self._stored(k, "row_sparse_pull")
            for o, rows in zip(outs, ids):
                self._write_rows(stored, o, rows)

    @staticmethod
    def _write_rows(stored, out, rows):
        if out.stype != "row_sparse":
            raise MXNetError("KVStore.row_sparse_pull: out must be a row_sparse "
                             f"NDArray, got stype {out.stype!r}")
        picked = np.unique(rows.asnumpy().astype(np.int64).ravel())
        data = stored.asnumpy()[picked]
        result = nd.sparse.row_sparse_array((data, picked), shape=stored.shape,
                                            dtype=stored.dtype)
        result.as_in_context(out.context).copyto(out)

    # -- optimizer ----------------------------------------------------------------------
    def set_optimizer(self, optimizer):
        """Update the stored weights with ``optimizer`` on every push."""
        self._set_updater(opt.get_updater(optimizer))

    def _set_updater(self, updater):
        """Set ``updater(key, pushed_sum, stored)``, called on every push."""
        self._updater = updater

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Write the updater's states (MXNet's ``.states`` format) atomically."""
        if self._updater is None:
            raise MXNetError("KVStore.save_optimizer_states: no optimizer is set "
                             "(call set_optimizer first)")
        folder = os.path.dirname(os.path.abspath(fname))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".states")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(self._updater.get_states(dump_optimizer))
            os.replace(tmp, fname)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def load_optimizer_states(self, fname):
        if self._updater is None:
            raise MXNetError("KVStore.load_optimizer_states: no optimizer is set "
                             "(call set_optimizer first)")
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    # -- gradient compression -----------------------------------------------------------
    def set_gradient_compression(self, compression_params):
        """2-bit compression of pushed values, with the error kept as a residual.

        Each value is added to its residual; entries at or above ``threshold`` are sent
        as ``threshold``, at or below ``-threshold`` as ``-threshold``, the rest as 0,
        and what was not sent stays in the residual for the next push.
        """
        if "device" not in self._type and "dist" not in self._type:
            raise MXNetError("Gradient compression is not supported for this type of "
                             f"kvstore ({self._type!r}); use 'device' or a dist type")
        params = dict(compression_params)
        kind = params.pop("type", None)
        if kind != "2bit":
            raise MXNetError(f"Unknown type for gradient compression {kind!r}; "
                             "supported: '2bit'")
        threshold = float(params.pop("threshold", 0.5))
        if params:
            raise MXNetError(f"Unknown gradient compression arguments {sorted(params)}")
        if threshold <= 0:
            raise MXNetError(f"Gradient compression threshold must be > 0, got {threshold}")
        self._compression = threshold
        self._residuals.clear()

    def _compress(self, key, index, value):
        t = self._compression
        residual = self._residuals.get((key, index))
        if residual is None:
            residual = self._residuals[(key, index)] = nd.zeros(
                value.shape, ctx=value.context, dtype=value.dtype)
        residual += value
        sent = (residual >= t) * t - (residual <= -t) * t
        residual -= sent
        return sent

    # -- synchronisation ----------------------------------------------------------------
    def _barrier(self):
        """Wait for every worker (one worker here)."""

    def _send_command_to_servers(self, head, body):
        """Commands for parameter servers: there are none to send to."""
