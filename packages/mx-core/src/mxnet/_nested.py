"""Nested lists of arrays (or symbols) as one flat list plus a format to rebuild them:
what the control-flow functions of ``mx.nd.contrib`` and ``mx.sym.contrib`` pass to
and from their loop bodies."""

__all__ = ["flatten", "regroup"]


def flatten(value, leaf, what, error=ValueError, none_is_empty=False):
    """``(flat list, format)`` of ``value``: a ``leaf`` instance or a (nested)
    list/tuple of them. The format is 0 for a leaf and a list of formats for a list;
    with ``none_is_empty`` a None counts as an empty list. Anything else raises
    ``error`` naming ``what``."""
    if isinstance(value, leaf):
        return [value], 0
    if value is None and none_is_empty:
        return [], []
    if not isinstance(value, (list, tuple)):
        name = leaf.__name__
        article = "an" if name[0] in "AEIOU" else "a"
        raise error(f"{what} must be {article} {name} or a (nested) list of {name}s, got "
                    f"{type(value).__name__}")
    flat, fmt = [], []
    for item in value:
        sub, sub_fmt = flatten(item, leaf, what, error, none_is_empty)
        flat.extend(sub)
        fmt.append(sub_fmt)
    return flat, fmt


def regroup(flat, fmt):
    """The nested value of ``flat`` in format ``fmt``, and the items left over."""
    if isinstance(fmt, int):
        return flat[0], flat[1:]
    out = []
    for sub in fmt:
        item, flat = regroup(flat, sub)
        out.append(item)
    return out, flat
