"""Convolution and pooling layers (MXNet's ``gluon/nn/conv_layers.py``)."""
from ...base import numeric_types
from ..block import HybridBlock
from .activations import Activation

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
           "Conv3DTranspose", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D",
           "AvgPool2D", "AvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "ReflectionPad2D"]


def _tuple(value, n):
    return (value,) * n if isinstance(value, numeric_types) else tuple(value)


class _Conv(HybridBlock):
    """N-D convolution (or transposed convolution with ``op_name='Deconvolution'``)."""

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", op_name="Convolution", adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            n = len(kernel_size)
            self._op_name = op_name
            self._kwargs = {"kernel": tuple(kernel_size), "stride": _tuple(strides, n),
                            "dilate": _tuple(dilation, n), "pad": _tuple(padding, n),
                            "num_filter": channels, "num_group": groups,
                            "no_bias": not use_bias, "layout": layout}
            if adj is not None:
                self._kwargs["adj"] = adj
            if op_name == "Convolution":
                wshape = (channels, in_channels // groups if in_channels else 0)
            else:
                wshape = (in_channels, channels // groups)
            wshape = wshape + tuple(kernel_size)
            if layout in ("NWC", "NHWC", "NDHWC"):
                wshape = (wshape[0],) + tuple(kernel_size) + (wshape[1],)
            self.weight = self.params.get("weight", shape=wshape, init=weight_initializer,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get("bias", shape=(channels,),
                                            init=bias_initializer, allow_deferred_init=True)
            else:
                self.bias = None
            self.act = Activation(activation, prefix=activation + "_") \
                if activation is not None else None

    def hybrid_forward(self, F, x, weight, bias=None):
        op = getattr(F, self._op_name)
        if bias is None:
            out = op(x, weight, name="fwd", **self._kwargs)
        else:
            out = op(x, weight, bias, name="fwd", **self._kwargs)
        return self.act(out) if self.act is not None else out

    def _alias(self):
        return "conv"

    def __repr__(self):
        k = self._kwargs
        n = len(k["kernel"])
        text = "{name}({mapping}, kernel_size={kernel}, stride={stride}"
        if k["pad"] != (0,) * n:
            text += ", padding={pad}"
        if k["dilate"] != (1,) * n:
            text += ", dilation={dilate}"
        if k["num_group"] != 1:
            text += ", groups={num_group}"
        if self.bias is None:
            text += ", bias=False"
        if self.act:
            text += f", {self.act}"
        text += ")"
        shape = self.weight.shape
        return text.format(name=type(self).__name__,
                           mapping="{0} -> {1}".format(shape[1] if shape[1] else None,
                                                       shape[0]), **k)


def _conv(n, transpose):
    layouts = {1: "NCW", 2: "NCHW", 3: "NCDHW"}

    def init(self, channels, kernel_size, strides=1, padding=0, *rest, **kwargs):
        names = (["output_padding"] if transpose else []) + ["dilation", "groups", "layout",
                                                             "activation", "use_bias",
                                                             "weight_initializer",
                                                             "bias_initializer",
                                                             "in_channels"]
        opts = dict(zip(names, rest))
        opts.update({k: kwargs.pop(k) for k in list(kwargs) if k in names})
        kernel_size = _tuple(kernel_size, n)
        layout = opts.get("layout", layouts[n])
        adj = _tuple(opts.get("output_padding", 0), n) if transpose else None
        _Conv.__init__(self, channels, kernel_size, strides, padding,
                       opts.get("dilation", 1), opts.get("groups", 1), layout,
                       opts.get("in_channels", 0), opts.get("activation"),
                       opts.get("use_bias", True), opts.get("weight_initializer"),
                       opts.get("bias_initializer", "zeros"),
                       op_name="Deconvolution" if transpose else "Convolution", adj=adj,
                       **kwargs)
        if transpose:
            self.outpad = adj
    return init


class Conv1D(_Conv):
    """1-D convolution over (N, C, W)."""
    __init__ = _conv(1, False)


class Conv2D(_Conv):
    """2-D convolution over (N, C, H, W)."""
    __init__ = _conv(2, False)


class Conv3D(_Conv):
    """3-D convolution over (N, C, D, H, W)."""
    __init__ = _conv(3, False)


class Conv1DTranspose(_Conv):
    """1-D transposed convolution."""
    __init__ = _conv(1, True)


class Conv2DTranspose(_Conv):
    """2-D transposed convolution."""
    __init__ = _conv(2, True)


class Conv3DTranspose(_Conv):
    """3-D transposed convolution."""
    __init__ = _conv(3, True)


class _Pooling(HybridBlock):
    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type,
                 layout, count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        if strides is None:
            strides = pool_size
        n = len(pool_size)
        self._kwargs = {"kernel": tuple(pool_size), "stride": _tuple(strides, n),
                        "pad": _tuple(padding, n), "global_pool": global_pool,
                        "pool_type": pool_type, "layout": layout,
                        "pooling_convention": "full" if ceil_mode else "valid"}
        if count_include_pad is not None:
            self._kwargs["count_include_pad"] = count_include_pad

    def _alias(self):
        return "pool"

    def hybrid_forward(self, F, x):
        return F.Pooling(x, name="fwd", **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return (f"{type(self).__name__}(size={k['kernel']}, stride={k['stride']}, "
                f"padding={k['pad']}, ceil_mode={k['pooling_convention'] == 'full'}, "
                f"global_pool={k['global_pool']}, pool_type={k['pool_type']}, "
                f"layout={k['layout']})")


def _pool(n, pool_type, global_pool):
    layouts = {1: "NCW", 2: "NCHW", 3: "NCDHW"}
    if global_pool:
        def init(self, layout=layouts[n], **kwargs):
            _Pooling.__init__(self, (1,) * n, None, 0, True, True, pool_type, layout,
                              **kwargs)
        return init

    def init(self, pool_size=2, strides=None, padding=0, layout=layouts[n],
             ceil_mode=False, *rest, **kwargs):
        count = kwargs.pop("count_include_pad", rest[0] if rest else True) \
            if pool_type == "avg" else None
        _Pooling.__init__(self, _tuple(pool_size, n), strides, padding, ceil_mode, False,
                          pool_type, layout, count, **kwargs)
    return init


class MaxPool1D(_Pooling):
    __init__ = _pool(1, "max", False)


class MaxPool2D(_Pooling):
    __init__ = _pool(2, "max", False)


class MaxPool3D(_Pooling):
    __init__ = _pool(3, "max", False)


class AvgPool1D(_Pooling):
    __init__ = _pool(1, "avg", False)


class AvgPool2D(_Pooling):
    __init__ = _pool(2, "avg", False)


class AvgPool3D(_Pooling):
    __init__ = _pool(3, "avg", False)


class GlobalMaxPool1D(_Pooling):
    __init__ = _pool(1, "max", True)


class GlobalMaxPool2D(_Pooling):
    __init__ = _pool(2, "max", True)


class GlobalMaxPool3D(_Pooling):
    __init__ = _pool(3, "max", True)


class GlobalAvgPool1D(_Pooling):
    __init__ = _pool(1, "avg", True)


class GlobalAvgPool2D(_Pooling):
    __init__ = _pool(2, "avg", True)


class GlobalAvgPool3D(_Pooling):
    __init__ = _pool(3, "avg", True)


class ReflectionPad2D(HybridBlock):
    """Pads (N, C, H, W) input by reflection; ``padding`` is an int or 8-tuple."""

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, numeric_types):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        if len(padding) != 8:
            raise ValueError("ReflectionPad2D padding must have 8 entries")
        self._padding = tuple(padding)

    def hybrid_forward(self, F, x):
        return F.pad(x, mode="reflect", pad_width=self._padding)
