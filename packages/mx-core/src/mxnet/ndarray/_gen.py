"""Generate ``mx.nd.<op>`` and its namespaces from the operator registry.

Each front-end is a closure over its :class:`OpDef` with MXNet's signature
(inputs, then parameters, then ``out``/``name``), a real ``__doc__``, ``__signature__``
and ``__module__``; no source strings are executed.
"""
import inspect
import sys

from .._dispatch import call_op
from .._ops.registry import REQUIRED, namespace_of

__all__ = ["make_function", "install"]

_P = inspect.Parameter


def _signature(op):
    params = []
    if op.varargs is not None:
        params.append(_P(op.inputs[0] if op.inputs else "data", _P.VAR_POSITIONAL))
    else:
        params += [_P(n, _P.POSITIONAL_OR_KEYWORD, default=None) for n in op.inputs]
        for name in op.param_order:
            if name == op.varargs:
                continue
            spec = op.params[name]
            default = None if spec.default is REQUIRED else spec.default
            params.append(_P(name, _P.POSITIONAL_OR_KEYWORD, default=default))
    if op.varargs is not None:
        params += [_P(n, _P.KEYWORD_ONLY, default=op.params[n].default
                      if op.params[n].default is not REQUIRED else None)
                   for n in op.param_order if n != op.varargs]
    params += [_P("out", _P.KEYWORD_ONLY, default=None),
               _P("name", _P.KEYWORD_ONLY, default=None),
               _P("kwargs", _P.VAR_KEYWORD)]
    return inspect.Signature(params)


def _docstring(op):
    lines = [op.doc or f"The {op.name} operator.", "", "Parameters", "----------"]
    for n in op.inputs:
        lines += [f"{n} : NDArray", "    Input."]
    for name in op.param_order:
        spec = op.params[name]
        opt = "required" if spec.required else f"optional, default={spec.to_str(spec.default)}"
        lines += [f"{name} : {spec.kind}, {opt}", f"    {spec.doc}".rstrip()]
    lines += ["out : NDArray, optional", "    The output NDArray to hold the result.", "",
              "Returns", "-------", "out : NDArray or list of NDArrays"]
    return "\n".join(lines)


def make_function(op, public_name, module_name):
    def fn(*args, **kwargs):
        return call_op(op, args, kwargs)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__module__ = module_name
    fn.__doc__ = _docstring(op)
    fn.__signature__ = _signature(op)
    fn.opdef = op
    return fn


def install(op, modules, package="mxnet.ndarray", factory=make_function):
    """Put ``op`` (and its aliases) into the front-end modules by MXNet's naming rules.

    ``modules`` maps a namespace (``""``, ``"contrib"``, ``"_internal"``, ...) to a module.
    """
    for name in (op.name,) + op.aliases:
        namespace, short = namespace_of(name)
        module = modules.get(namespace)
        if module is None:
            continue
        if namespace != "":
            # MXNet also keeps every prefixed operator in _internal and the op module
            internal = modules.get("_internal")
            if internal is not None and not hasattr(internal, name):
                setattr(internal, name, factory(op, name, internal.__name__))
        if getattr(module, short, None) is not None and \
                getattr(getattr(module, short), "opdef", None) is None:
            continue   # a hand-written function of the same name wins
        setattr(module, short, factory(op, short, module.__name__))
        if namespace == "" and "op" in modules:
            setattr(modules["op"], short, getattr(module, short))


def modules_of(package):
    return {"": sys.modules[package],
            "contrib": sys.modules[f"{package}.contrib"],
            "linalg": sys.modules[f"{package}.linalg"],
            "random": sys.modules[f"{package}.random"],
            "image": sys.modules[f"{package}.image"],
            "sparse": sys.modules[f"{package}.sparse"],
            "_internal": sys.modules[f"{package}._internal"],
            "op": sys.modules[f"{package}.op"]}
