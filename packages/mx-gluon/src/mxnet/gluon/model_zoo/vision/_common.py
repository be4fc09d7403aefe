"""Shared helpers of the model_zoo architectures."""
import os

from .... import base

# MXNet 1.9.1 compat: the default store is computed once, at import, from $MXNET_HOME.
DEFAULT_ROOT = os.path.join(base.data_dir(), "models")


def load_pretrained(net, name, ctx, root):
    """Load the pretrained parameters of model ``name`` from the store into ``net``."""
    from ..model_store import get_model_file
    net.load_parameters(get_model_file(name, root=root), ctx=ctx)
    return net
