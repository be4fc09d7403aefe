"""Parameter, Constant and ParameterDict: Gluon's weights, per context, with gradients."""
import warnings

import numpy as np

from ..base import MXNetError, mx_real_t
from ..context import Context, cpu, current_context
from .. import autograd, initializer, ndarray as nd
from .. import symbol
from ..util import is_np_shape

__all__ = ["DeferredInitializationError", "Parameter", "Constant", "ParameterDict",
           "tensor_types"]

tensor_types = (symbol.Symbol, nd.NDArray)


class DeferredInitializationError(MXNetError):
    """A Parameter's shape is not known until the first forward pass."""


def _shape_known(shape):
    return shape is not None and all(d > 0 for d in shape)


class Parameter:
    """A weight of a Block: its data and gradient on each context it lives on."""

    def __init__(self, name, grad_req="write", shape=None, dtype=mx_real_t, lr_mult=1.0,
                 wd_mult=1.0, init=None, allow_deferred_init=False, differentiable=True,
                 stype="default", grad_stype="default"):
        for kind, value in (("stype", stype), ("grad_stype", grad_stype)):
            assert value in ("default", "row_sparse", "csr"), \
                "%s for Parameter '%s' must be one of 'default', 'row_sparse', or 'csr', " \
                "but got '%s'" % (kind, name, value)
        self.name = name
        self._var = None
        self._data = None
        self._grad = None
        self._ctx_list = None
        self._deferred_init = ()
        self._trainer = None
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = tuple(shape) if shape is not None else None
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.init = init
        self._stype = stype
        self._grad_stype = grad_stype
        self.grad_req = grad_req if differentiable else "null"

    def __repr__(self):
        return f"Parameter {self.name} (shape={self.shape}, dtype={self.dtype})"

    # -- attributes ----------------------------------------------------------------
    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ("write", "add", "null"):
            raise ValueError(f"grad_req must be one of 'write', 'add', or 'null', but got "
                             f"'{req}'")
        if not self._differentiable:
            req = "null"
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == "null" and self._grad is not None:
            self._grad = None
            for d in self._data or []:
                d._node = None
        elif self._data is not None:
            self._init_grad()

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, dtype):
        # MXNet 1.9.1 compat: assigning the dtype casts the data
        self.cast(dtype)

    @property
    def shape(self):
        # MXNet 1.9.1 compat: under np_shape an unknown dimension reads as -1, not 0
        if self._shape is not None and is_np_shape():
            return tuple(-1 if d == 0 else d for d in self._shape)
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        if self._shape is None:
            self._shape = tuple(new_shape) if new_shape is not None else None
            return
        new_shape = tuple(new_shape)
        ok = len(self._shape) == len(new_shape) and all(
            i in (-1, 0, j) for i, j in zip(self._shape, new_shape))
        if not ok:
            raise AssertionError(f"Expected shape {new_shape} is incompatible with given "
                                 f"shape {self._shape} for Parameter {self.name}.")
        self._shape = tuple(0 if d == -1 else d for d in new_shape)

    @property
    def stype(self):
        return self._stype

    def _set_trainer(self, trainer):
        """Remember the Trainer that owns this parameter's kvstore copy."""
        # MXNet 1.9.1 compat: a row_sparse weight lives in one trainer's kvstore, so a
        # second trainer cannot take it over.
        if (self._stype != "default" and self._trainer is not None and trainer is not None
                and self._trainer is not trainer):
            raise RuntimeError(
                f"Failed to set the trainer for Parameter '{self.name}' because it was "
                f"already set. More than one trainers for a {self._stype} Parameter is "
                "not supported.")
        self._trainer = trainer

    # -- initialization ------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=initializer.Uniform(),
                   force_reinit=False):
        """Allocate data and gradient on ``ctx`` and fill with ``init`` (or defer)."""
        if self._data is not None and not force_reinit:
            warnings.warn(f"Parameter '{self.name}' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize.", stacklevel=2)
            return
        self._data = self._grad = None
        ctx = [current_context()] if ctx is None else ctx
        ctx = [ctx] if isinstance(ctx, Context) else list(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        if not _shape_known(self._shape):
            if self._allow_deferred_init:
                self._deferred_init = (init, ctx, default_init, None)
                return
            raise ValueError(f"Cannot initialize Parameter '{self.name}' because it has "
                             f"invalid shape: {self.shape}.")
        self._deferred_init = (init, ctx, default_init, None)
        self._finish_deferred_init()

    def _finish_deferred_init(self):
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        self._deferred_init = ()
        if not _shape_known(self._shape):
            raise MXNetError(f"Cannot initialize Parameter '{self.name}' because it has "
                             f"invalid shape: {self.shape}. Please specify in_units, "
                             "in_channels, etc for `Block`s.")
        with autograd.pause():
            if data is None:
                data = nd.zeros(self.shape, dtype=self.dtype, ctx=cpu(), stype=self._stype)
                initializer.create(default_init)(
                    initializer.InitDesc(self.name, {"__init__": init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data, ctx_list):
        self._ctx_list = list(ctx_list)
        self._data = [data.copyto(c) for c in self._ctx_list]
        self._init_grad()

    def _init_grad(self):
        if self._grad_req == "null":
            self._grad = None
            return
        self._grad = [nd.zeros(d.shape, dtype=d.dtype, ctx=d.context, stype=self._grad_stype)
                      for d in self._data]
        autograd.mark_variables(self._data, self._grad, self._grad_req)

    @property
    def _ctx_map(self):
        """MXNet's context index: ``[cpu list, gpu list]``, each ``[device_id] ->
        position in _ctx_list`` (derived from ``_ctx_list``; libraries such as GluonNLP
        copy it between parameters)."""
        table = [[], []]
        for i, ctx in enumerate(self._ctx_list or ()):
            row = table[ctx.device_typeid & 1]
            row.extend([None] * (ctx.device_id + 1 - len(row)))
            row[ctx.device_id] = i
        return table

    @_ctx_map.setter
    def _ctx_map(self, value):
        """Assigning it (as MXNet's internals did) changes nothing: it follows _ctx_list."""

    def _check_and_get(self, arr_list, ctx):
        if arr_list is not None:
            if ctx is list:
                return arr_list
            if ctx is None:
                if len(arr_list) == 1:
                    return arr_list[0]
                ctx = current_context()
            for c, arr in zip(self._ctx_list, arr_list):
                if c == ctx:
                    return arr
            raise RuntimeError(f"Parameter '{self.name}' was not initialized on context "
                               f"{ctx}. It was only initialized on {self._ctx_list}.")
        if self._deferred_init:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because "
                "initialization was deferred. Actual initialization happens during the "
                "first forward pass. Please pass one batch of data through the network "
                "before accessing Parameters. You can also avoid deferred initialization "
                "by specifying in_units, num_features, etc., for network layers.")
        raise RuntimeError(f"Parameter '{self.name}' has not been initialized. Note that "
                           "you should initialize parameters and create Trainer with "
                           "Block.collect_params() instead of Block.params because the "
                           "later does not include Parameters of nested child Blocks")

    # -- access --------------------------------------------------------------------
    def _dense_only(self, api):
        if self._stype != "default":
            raise RuntimeError(f"Cannot return Parameter '{self.name}' via {api}() because "
                               f"its storage type is {self._stype}. Please use "
                               "row_sparse_data() instead.")

    def data(self, ctx=None):
        self._dense_only("data")
        return self._check_and_get(self._data, ctx)

    def list_data(self):
        self._dense_only("list_data")
        return self._check_and_get(self._data, list)

    def _sparse_only(self, api):
        if self._stype != "row_sparse":
            raise RuntimeError(f"Cannot return Parameter '{self.name}' via {api}() because "
                               f"its storage type is {self._stype}. Please use data() "
                               "instead.")

    def row_sparse_data(self, row_id):
        """A copy of this row_sparse weight on ``row_id``'s context, keeping those rows."""
        self._sparse_only("row_sparse_data")
        return self._get_row_sparse(self._data, row_id.context, row_id)

    def list_row_sparse_data(self, row_id):
        """Copies of this row_sparse weight on every context, keeping ``row_id``'s rows."""
        self._sparse_only("list_row_sparse_data")
        return self._get_row_sparse(self._data, list, row_id)

    def _get_row_sparse(self, arr_list, ctx, row_id):
        if not isinstance(row_id, nd.NDArray):
            raise TypeError(f"row_id must have NDArray type, but {type(row_id)} is given")
        if self._trainer is None:
            raise RuntimeError(f"Cannot get row_sparse data for Parameter '{self.name}' "
                               "when no Trainer is created with it.")
        results = self._check_and_get(arr_list, ctx)
        # the trainer's kvstore holds the up-to-date rows
        self._trainer._row_sparse_pull(self, results, row_id)
        return results

    def grad(self, ctx=None):
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' "
                               "because grad_req='null'")
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' "
                               "because grad_req='null'")
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        if self._data is None:
            if self._deferred_init:
                return self._deferred_init[1]
            raise RuntimeError(f"Parameter '{self.name}' has not been initialized")
        return list(self._ctx_list)

    def zero_grad(self):
        for g in self._grad or []:
            nd.zeros_like(g, out=g)

    def set_data(self, data):
        """Set the value on every context (or the deferred value before init)."""
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise RuntimeError(f"Parameter '{self.name}' has not been initialized")
            init, ctx, default_init, _ = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
            return
        # with update_on_kvstore the kvstore holds the weight: it must be re-synced
        trainer = self._trainer
        if trainer is not None and trainer._kv_initialized and trainer._update_on_kvstore:
            if self not in trainer._params_to_init:
                trainer._reset_kvstore()
        for arr in self._check_and_get(self._data, list):
            arr[:] = data

    def reset_ctx(self, ctx):
        ctx = [ctx] if isinstance(ctx, Context) else list(ctx)
        if self._data is not None:
            data = self._reduce()
            with autograd.pause():
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise ValueError(f"Cannot reset context for Parameter '{self.name}' because it "
                             "has not been initialized.")

    def _reduce(self):
        """The value averaged over contexts, on the CPU (what save_parameters writes)."""
        if self._stype != "default":
            # a row_sparse weight is fetched whole from the trainer's kvstore
            rows = nd.arange(0, self.shape[0], dtype="int64", ctx=cpu())
            data = nd.zeros(self.shape, stype="row_sparse", ctx=cpu())
            self._trainer._row_sparse_pull(self, data, rows, full_idx=True)
            return data
        data = self.list_data()
        if len(data) == 1:
            return data[0].copyto(cpu())
        total = data[0].copyto(cpu())
        for d in data[1:]:
            total += d.copyto(cpu())
        return total / len(data)

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source="current"):
        if cast_dtype and dtype_source == "saved":
            self.dtype = data.dtype
        elif cast_dtype:
            data = data.astype(self.dtype, copy=False)
        if self._shape:
            if len(self._shape) != len(data.shape) or any(
                    a not in (0, b) for a, b in zip(self._shape, data.shape)):
                raise AssertionError(
                    f"Failed loading Parameter '{self.name}' from saved params: shape "
                    f"incompatible expected {self.shape} vs saved {data.shape}")
        self.shape = data.shape
        if not cast_dtype and np.dtype(self.dtype) != np.dtype(data.dtype):
            raise AssertionError(
                f"Failed loading Parameter '{self.name}' from saved params: dtype "
                f"incompatible expected {np.dtype(self.dtype)} vs saved {data.dtype}. Set "
                "cast_dtype=True to cast the dtype of saved params.")
        if data.stype != self._stype:
            data = data.tostype(self._stype)
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is None:
            if self._deferred_init:
                ctx = ctx or self._deferred_init[1]
            ctx = ctx or [cpu()]
            self._deferred_init = ()
            self._init_impl(data, ctx)
        else:
            if ctx is None or set(ctx) == set(self._ctx_list):
                self.set_data(data)
            else:
                with autograd.pause():
                    self._init_impl(data, ctx)

    def var(self):
        """This parameter as a symbol variable (with its shape, dtype, lr/wd mult, init)."""
        if self._var is None:
            self._var = symbol.var(self.name, shape=self.shape, dtype=self.dtype,
                                   lr_mult=self.lr_mult, wd_mult=self.wd_mult,
                                   init=self.init, stype=self._stype)
        return self._var

    def cast(self, dtype):
        self._dtype = dtype
        self._var = None
        if self._data is None:
            return
        with autograd.pause():
            self._data = [d.astype(dtype) for d in self._data]
            if self._grad is not None:
                self._init_grad()


class Constant(Parameter):
    """A non-trainable parameter holding a fixed value."""

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            value = nd.array(value)
        self.value = value

        class _Init(initializer.Initializer):
            def _init_weight(self, _, arr):
                value.copyto(arr)
        init_name = f"Constant_{name}_{id(self)}"
        initializer.alias(init_name)(_Init)
        super().__init__(name, grad_req="null", shape=value.shape, dtype=value.dtype,
                         init=init_name)

    def __repr__(self):
        return f"Constant {self.name} (shape={self.shape}, dtype={self.dtype})"

    @property
    def grad_req(self):
        return "null"

    @grad_req.setter
    def grad_req(self, req):
        if req != "null":
            warnings.warn(f"Constant parameter \"{self.name}\" does not support grad_req "
                          f"other than \"null\", and new value \"{req}\" is ignored.",
                          stacklevel=2)
        self._grad_req = "null"


from ._parameter_dict import ParameterDict  # noqa: E402  (defined beside, MXNet's path)
