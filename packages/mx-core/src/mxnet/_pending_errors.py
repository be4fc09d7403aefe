"""Errors of operators that failed at run time, held until their results are read.

MXNet runs operators asynchronously: a kernel's failure is stored on the arrays it
writes, passes on to every array computed from them, and is raised by whichever
``asnumpy()``/``wait_to_read()`` first waits for one of them, or by ``waitall()``
even when the arrays are gone. Raising one clears every pending error, as MXNet's
engine does. Operators here run at once, so the same behaviour is kept by noting the
error against the result buffers: the arrays themselves hold zeros.

``PENDING`` is empty in normal operation; the hot path tests only its truthiness.
"""
import weakref

PENDING = {}      # id(root buffer) -> (weak reference to it, error)
ERRORS = []       # errors not raised yet, oldest first (what waitall() raises)


def _root(data):
    """The buffer ``data`` views (its memory's owner), which views share."""
    while True:
        base = getattr(data, "base", None)
        if base is None or type(base) is not type(data):
            return data
        data = base


def _forget(key, ref):
    entry = PENDING.get(key)
    if entry is not None and entry[0] is ref:
        del PENDING[key]


def mark(datas, err):
    """Note ``err`` against every buffer in ``datas``; False when one cannot be noted
    (its array type keeps no weak references) and the caller must raise at once."""
    # the traceback's frames would keep the failed arrays (and their error) alive
    err.__traceback__ = None
    err.__context__ = err.__cause__ = None
    if not any(e is err for e in ERRORS):
        ERRORS.append(err)
    for data in datas:
        root = _root(data)
        key = id(root)
        try:
            ref = weakref.ref(root, lambda r, k=key: _forget(k, r))
        except TypeError:
            return False
        PENDING[key] = (ref, err)
    return True


def error_of(data):
    """The pending error of the buffer ``data`` belongs to, or None."""
    root = _root(data)
    entry = PENDING.get(id(root))
    if entry is not None and entry[0]() is root:
        return entry[1]
    return None


def first_error(arrays):
    """The pending error of any of the NDArrays ``arrays``, or None."""
    for x in arrays:
        err = error_of(x._data)
        if err is not None:
            return err
    return None


def _clear_all():
    PENDING.clear()
    del ERRORS[:]


def raise_for(data):
    """Raise the pending error of ``data``'s buffer, if there is one (clearing all)."""
    err = error_of(data)
    if err is not None:
        _clear_all()
        raise err


def raise_any():
    """``waitall()``: raise the oldest pending error, if any (clearing all)."""
    if ERRORS:
        err = ERRORS[0]
        _clear_all()
        raise err


def placeholders(op, inputs, attrs, xp, err):
    """Zero arrays shaped like ``op``'s outputs, to stand for a failed kernel's results.

    Raises ``err`` at once when the shapes cannot be inferred."""
    import numpy as np
    try:
        _, shapes = op.shape_rule(attrs, [x.shape for x in inputs])
        dtypes = [None] * len(shapes)
        if op.dtype_rule is not None:
            _, dtypes = op.dtype_rule(attrs, [np.dtype(x._data.dtype).name for x in inputs])
    except Exception:       # no rule, or it fails too: nothing to stand in
        raise err from None
    if not shapes or any(s is None for s in shapes):
        raise err
    default = inputs[0]._data.dtype if inputs else "float32"
    outs = tuple(xp.zeros(tuple(s), dtype=d or default) for s, d in zip(shapes, dtypes))
    return outs[0] if len(outs) == 1 else outs


def copy_error(src, dst):
    """``dst`` was written from ``src``: it inherits ``src``'s pending error."""
    err = error_of(src)
    if err is not None:
        mark((dst,), err)
