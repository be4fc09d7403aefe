"""Every hook of the ``mxnet`` plugin system, documented.

Plugins implement these with :data:`mxnet.plugins.hookimpl` and publish the module
(or object) under the entry-point group ``mxnet``::

    [project.entry-points.mxnet]
    my_ops = "my_package.plugin"

Each hook is *historic* and receives one registry.  It is called once per process,
lazily, the first time that registry is looked up (never per operation), and again
for a plugin registered later.  mx-core's own operators, CPU backend, optimizers,
initializers and metrics are registered through these same hooks.
"""
import pluggy

hookspec = pluggy.HookspecMarker("mxnet")


# ---------------------------------------------------------------------------------
# Operators and devices
# ---------------------------------------------------------------------------------
@hookspec(historic=True)
def mxnet_register_ops(registry):
    """Add operators to the operator registry.

    Called when ``mxnet`` first builds its front-ends (``mx.nd``, ``mx.sym``). Every
    operator added appears as ``mx.nd.<name>`` (``mx.nd.contrib.<name>`` for a
    ``_contrib_`` prefix, ``linalg``/``random``/``image`` likewise) and in ``mx.sym``.

    Parameters
    ----------
    registry : mxnet.plugins.OpRegistry
        Call ``registry.add(OpDef(...))``, the decorator ``registry.register(name,
        inputs=..., params=...)``, or ``registry.add_kernel(op_name, backend, fn)`` to
        give an existing operator a backend-specific kernel.

    Raises
    ------
    MXNetError
        From ``registry.add`` when the name is already taken; the message names both
        distributions.

    Examples
    --------
    >>> from mxnet.plugins import hookimpl, Float
    >>> @hookimpl
    ... def mxnet_register_ops(registry):
    ...     @registry.register("scaled_tanh", inputs=["data"], params=[Float("scale", 1.0)])
    ...     def scaled_tanh(xp, data, *, scale):
    ...         return scale * xp.tanh(data)
    """


@hookspec(historic=True)
def mxnet_register_backends(registry):
    """Add device backends, keyed by device type.

    Called the first time a context's backend is looked up (the first array
    created). ``mx.Context(name, i)`` and ``mx.gpu(i)`` resolve through it.

    Parameters
    ----------
    registry : mxnet.plugins.BackendRegistry
        Call ``registry.add(backend)`` with a :class:`mxnet.plugins.Backend` instance
        whose ``name`` is the device type (``"gpu"``) and ``xp`` its array namespace.

    Raises
    ------
    MXNetError
        When a backend of that name is already registered.

    Examples
    --------
    >>> import numpy
    >>> from mxnet.plugins import hookimpl, Backend
    >>> class Fake(Backend):
    ...     name, xp = "fake", numpy
    >>> @hookimpl
    ... def mxnet_register_backends(registry):
    ...     registry.add(Fake())
    """


# ---------------------------------------------------------------------------------
# Training components
# ---------------------------------------------------------------------------------
@hookspec(historic=True)
def mxnet_register_kvstores(registry):
    """Add kvstore types (``"local"``, ``"dist_sync"``, ...).

    Called the first time ``mx.kv.create`` or Gluon's ``Trainer`` looks a type up.

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(name, factory)``; ``factory(name)`` returns the kvstore.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_kvstores(registry):
    ...     registry.add("dist_sync", lambda name: MyKVStore(name))
    """


@hookspec(historic=True)
def mxnet_register_optimizers(registry):
    """Add optimizers under their lower-case names (what ``mx.optimizer.create`` takes).

    Called the first time an optimizer is created or looked up by name; the same
    registry backs ``mx.optimizer.register``.

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(name, optimizer_class)``.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_optimizers(registry):
    ...     registry.add("mysgd", MySGD)
    """


@hookspec(historic=True)
def mxnet_register_initializers(registry):
    """Add initializers under their lower-case names (``mx.init.create``, JSON attrs).

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(name, initializer_class)``.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_initializers(registry):
    ...     registry.add("myinit", MyInit)
    """


@hookspec(historic=True)
def mxnet_register_metrics(registry):
    """Add evaluation metrics under their lower-case names (``mx.metric.create``).

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(name, metric_class)``.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_metrics(registry):
    ...     registry.add("myacc", MyAccuracy)
    """


# ---------------------------------------------------------------------------------
# Model formats
# ---------------------------------------------------------------------------------
@hookspec(historic=True)
def mxnet_register_exporters(registry):
    """Add model exporters by format name (``"onnx"``).

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(format_name, export_function)``.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_exporters(registry):
    ...     registry.add("onnx", export_model)
    """


@hookspec(historic=True)
def mxnet_register_importers(registry):
    """Add model importers by format name (``"onnx"``).

    Parameters
    ----------
    registry : mxnet.plugins.NameRegistry
        Call ``registry.add(format_name, import_function)``.

    Examples
    --------
    >>> @hookimpl
    ... def mxnet_register_importers(registry):
    ...     registry.add("onnx", import_model)
    """
