"""Contrib layers (MXNet's ``gluon/contrib/nn/basic_layers.py``)."""
import warnings

from .... import context, nd
from ...block import Block, HybridBlock
from ...nn import BatchNorm, HybridSequential, Sequential

__all__ = ["Concurrent", "HybridConcurrent", "Identity", "SparseEmbedding", "SyncBatchNorm",
           "PixelShuffle1D", "PixelShuffle2D", "PixelShuffle3D"]


class Concurrent(Sequential):
    """Lays `Block` s concurrently: every child gets the input, outputs are concatenated.

    Parameters
    ----------
    axis : int, default -1
        The axis on which to concatenate the outputs.
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        return nd.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class HybridConcurrent(HybridSequential):
    """Lays `HybridBlock` s concurrently: outputs of every child concatenated on ``axis``.

    Parameters
    ----------
    axis : int, default -1
        The axis on which to concatenate the outputs.
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def hybrid_forward(self, F, x):
        return F.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class Identity(HybridBlock):
    """Block that passes through the input directly (a branch of HybridConcurrent)."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        return x


class SparseEmbedding(Block):
    r"""Turns non-negative integers (indexes/tokens) into dense vectors, sparse gradient.

    The weight's gradient is row_sparse (only the looked-up rows are nonzero).
    Here the weight itself is kept dense: ``row_sparse_data`` pulls are not needed on one
    device, so ``forward`` reads the whole weight.

    Parameters
    ----------
    input_dim : int
        Size of the vocabulary, i.e. maximum integer index + 1.
    output_dim : int
        Dimension of the dense embedding.
    dtype: str or np.dtype, default 'float32'
        Data type of output embeddings.
    weight_initializer : Initializer
        Initializer for the `embeddings` matrix.
    """

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype,
                        "sparse_grad": True}
        self.weight = self.params.get("weight", shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype,
                                      grad_stype="row_sparse")

    def forward(self, x):
        return nd.Embedding(x, self.weight.data(x.context), name="fwd", **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return f"{type(self).__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class SyncBatchNorm(BatchNorm):
    """Cross-GPU synchronized batch normalization.

    With one device (all this implementation runs on) it is exactly BatchNorm over
    axis 1; MXNet's ``_contrib_SyncBatchNorm`` operator is used when it is registered.

    Parameters
    ----------
    in_channels : int, default 0
        Number of channels (feature maps) in input data; inferred if 0.
    num_devices : int, default number of visible GPUs (at least 1)
    momentum, epsilon, center, scale, use_global_stats : as BatchNorm
    beta_initializer, gamma_initializer, running_mean_initializer,
    running_variance_initializer : as BatchNorm
    """

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5,
                 center=True, scale=True, use_global_stats=False, beta_initializer="zeros",
                 gamma_initializer="ones", running_mean_initializer="zeros",
                 running_variance_initializer="ones", **kwargs):
        super().__init__(axis=1, momentum=momentum, epsilon=epsilon, center=center,
                         scale=scale, use_global_stats=use_global_stats,
                         beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer,
                         running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer,
                         in_channels=in_channels, **kwargs)
        num_devices = self._get_num_devices() if num_devices is None else num_devices
        self._kwargs = {"eps": epsilon, "momentum": momentum, "fix_gamma": not scale,
                        "use_global_stats": use_global_stats, "ndev": num_devices,
                        "key": self.prefix}

    def _get_num_devices(self):
        warnings.warn("Caution using SyncBatchNorm: if not using all the GPUs, please "
                      "mannually set num_devices", UserWarning)
        num_devices = context.num_gpus()
        return num_devices if num_devices > 0 else 1

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        sync = getattr(F.contrib, "SyncBatchNorm", None)
        if sync is not None:
            return sync(x, gamma, beta, running_mean, running_var, name="fwd",
                        **self._kwargs)
        kwargs = {k: v for k, v in self._kwargs.items() if k not in ("ndev", "key")}
        return F.BatchNorm(x, gamma, beta, running_mean, running_var, name="fwd", axis=1,
                           **kwargs)


class PixelShuffle1D(HybridBlock):
    r"""Pixel-shuffle layer for upsampling in 1 dimension: (N, f*C, W) -> (N, C, W*f).

    Parameters
    ----------
    factor : int or 1-tuple of int
        Upsampling factor, applied to the `W` dimension.
    """

    def __init__(self, factor):
        super().__init__()
        self._factor = int(factor)

    def hybrid_forward(self, F, x):
        f = self._factor
        x = F.reshape(x, (0, -4, -1, f, 0))   # (N, C, f, W)
        x = F.transpose(x, (0, 1, 3, 2))      # (N, C, W, f)
        return F.reshape(x, (0, 0, -3))       # (N, C, W*f)

    def __repr__(self):
        return f"{type(self).__name__}({self._factor})"


def _factors(factor, n):
    try:
        return (int(factor),) * n
    except TypeError:
        factors = tuple(int(f) for f in factor)
        assert len(factors) == n, f"wrong length {len(factors)}"
        return factors


class PixelShuffle2D(HybridBlock):
    r"""Pixel-shuffle layer for upsampling in 2 dimensions.

    (N, f1*f2*C, H, W) -> (N, C, H*f1, W*f2).

    Parameters
    ----------
    factor : int or 2-tuple of int
        Upsampling factors, applied to the `H` and `W` dimensions, in that order.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 2)

    def hybrid_forward(self, F, x):
        f1, f2 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2, 0, 0))   # (N, C, f1*f2, H, W)
        x = F.reshape(x, (0, 0, -4, f1, f2, 0, 0))     # (N, C, f1, f2, H, W)
        x = F.transpose(x, (0, 1, 4, 2, 5, 3))         # (N, C, H, f1, W, f2)
        return F.reshape(x, (0, 0, -3, -3))            # (N, C, H*f1, W*f2)

    def __repr__(self):
        return f"{type(self).__name__}({self._factors})"


class PixelShuffle3D(HybridBlock):
    r"""Pixel-shuffle layer for upsampling in 3 dimensions.

    (N, f1*f2*f3*C, D, H, W) -> (N, C, D*f1, H*f2, W*f3).

    Parameters
    ----------
    factor : int or 3-tuple of int
        Upsampling factors, applied to the `D`, `H` and `W` dimensions, in that order.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 3)

    def hybrid_forward(self, F, x):
        f1, f2, f3 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2 * f3, 0, 0, 0))  # (N, C, f1*f2*f3, D, H, W)
        x = F.swapaxes(x, 2, 3)                               # (N, C, D, f1*f2*f3, H, W)
        x = F.reshape(x, (0, 0, 0, -4, f1, f2 * f3, 0, 0))    # (N, C, D, f1, f2*f3, H, W)
        x = F.reshape(x, (0, 0, -3, 0, 0, 0))                 # (N, C, D*f1, f2*f3, H, W)
        x = F.swapaxes(x, 3, 4)                               # (N, C, D*f1, H, f2*f3, W)
        x = F.reshape(x, (0, 0, 0, 0, -4, f2, f3, 0))         # (N, C, D*f1, H, f2, f3, W)
        x = F.reshape(x, (0, 0, 0, -3, 0, 0))                 # (N, C, D*f1, H*f2, f3, W)
        x = F.swapaxes(x, 4, 5)                               # (N, C, D*f1, H*f2, W, f3)
        return F.reshape(x, (0, 0, 0, 0, -3))                 # (N, C, D*f1, H*f2, W*f3)

    def __repr__(self):
        return f"{type(self).__name__}({self._factors})"
