"""SqueezeNet 1.0 and 1.1 (MXNet 1.9.1's ``model_zoo/vision/squeezenet.py``)."""
from ....context import cpu
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import HybridConcurrent
from ._common import DEFAULT_ROOT, load_pretrained

__all__ = ["SqueezeNet", "squeezenet1_0", "squeezenet1_1"]


def _make_fire_conv(channels, kernel_size, padding=0):
    out = nn.HybridSequential(prefix="")
    out.add(nn.Conv2D(channels, kernel_size, padding=padding), nn.Activation("relu"))
    return out


def _make_fire(squeeze_channels, expand1x1_channels, expand3x3_channels):
    # A squeeze 1x1 conv, then 1x1 and 3x3 expand convs concatenated on channels.
    out = nn.HybridSequential(prefix="")
    out.add(_make_fire_conv(squeeze_channels, 1))
    paths = HybridConcurrent(axis=1, prefix="")
    paths.add(_make_fire_conv(expand1x1_channels, 1))
    paths.add(_make_fire_conv(expand3x3_channels, 3, 1))
    out.add(paths)
    return out


def _pool():
    return nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)


class SqueezeNet(HybridBlock):
    """SqueezeNet ("AlexNet-level accuracy with 50x fewer parameters"); 1.1 is cheaper.

    Parameters: ``version`` ('1.0' or '1.1'), ``classes=1000``.
    """

    def __init__(self, version, classes=1000, **kwargs):
        super().__init__(**kwargs)
        assert version in ["1.0", "1.1"], (f"Unsupported SqueezeNet version {version}:"
                                           "1.0 or 1.1 expected")
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            if version == "1.0":
                self.features.add(nn.Conv2D(96, kernel_size=7, strides=2),
                                  nn.Activation("relu"), _pool(),
                                  _make_fire(16, 64, 64), _make_fire(16, 64, 64),
                                  _make_fire(32, 128, 128), _pool(),
                                  _make_fire(32, 128, 128), _make_fire(48, 192, 192),
                                  _make_fire(48, 192, 192), _make_fire(64, 256, 256), _pool(),
                                  _make_fire(64, 256, 256))
            else:
                self.features.add(nn.Conv2D(64, kernel_size=3, strides=2),
                                  nn.Activation("relu"), _pool(),
                                  _make_fire(16, 64, 64), _make_fire(16, 64, 64), _pool(),
                                  _make_fire(32, 128, 128), _make_fire(32, 128, 128), _pool(),
                                  _make_fire(48, 192, 192), _make_fire(48, 192, 192),
                                  _make_fire(64, 256, 256), _make_fire(64, 256, 256))
            self.features.add(nn.Dropout(0.5))
            self.output = nn.HybridSequential(prefix="")
            self.output.add(nn.Conv2D(classes, kernel_size=1), nn.Activation("relu"),
                            nn.AvgPool2D(13), nn.Flatten())

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def get_squeezenet(version, pretrained=False, ctx=cpu(), root=DEFAULT_ROOT, **kwargs):
    """SqueezeNet ``version`` ('1.0' or '1.1'); ``pretrained`` loads ``squeezenet<version>``."""
    net = SqueezeNet(version, **kwargs)
    if pretrained:
        load_pretrained(net, f"squeezenet{version}", ctx, root)
    return net


def squeezenet1_0(**kwargs):
    """SqueezeNet 1.0 (``pretrained=False, ctx=cpu(), root='~/.mxnet/models'``)."""
    return get_squeezenet("1.0", **kwargs)


def squeezenet1_1(**kwargs):
    """SqueezeNet 1.1 (``pretrained=False, ctx=cpu(), root='~/.mxnet/models'``)."""
    return get_squeezenet("1.1", **kwargs)
