"""Shape and dtype inference over a symbol graph, from the registry's rules.

Rules run forward and backward (they may fill inputs, e.g. FullyConnected's weight
from data) until nothing changes. An operator without a shape rule falls back to
running its forward on zeros, once all its input shapes are known.
"""
import numpy as np

from mxnet.base import MXNetError

from ._infer_back import backward_hint, forward_fixup, partial_ok
from .symbol import _FLAG_DTYPE


def _known(shape):
    return shape is not None and all(d > 0 for d in shape) if shape != () else True


def _complete(shape):
    from mxnet._ops.infer import unknown_dim
    return shape is not None and not any(unknown_dim(d) for d in shape)


def _from_forward(op, attrs, in_shapes, in_dtypes):
    arrays = [np.zeros(s, dtype=d or "float32") for s, d in zip(in_shapes, in_dtypes)]
    kwargs = dict(attrs)
    if op.needs_train:
        kwargs["is_train"] = False
    if op.needs_rng:
        kwargs["rng"] = np.random.default_rng(0)
    res = op.forward(np, *arrays, **kwargs)
    res = res if isinstance(res, (list, tuple)) else [res]
    return [r.shape for r in res], [r.dtype.name for r in res]


def _seed(sym, args, kwargs, attr_key, parse):
    names = sym.list_inputs()
    arg_names = sym.list_arguments()
    given = dict(zip(arg_names, args)) if args else {}
    given.update({k: v for k, v in kwargs.items() if v is not None})
    unknown = set(given) - set(names)
    if unknown:
        raise MXNetError(f"infer: {sorted(unknown)} are not inputs of the symbol; its "
                         f"inputs are {names}")
    values = {}
    for node in sym._nodes():
        if node.is_var:
            if node.name in given:
                values[(id(node), 0)] = parse(given[node.name])
            elif attr_key in node.attrs:
                values[(id(node), 0)] = parse(node.attrs[attr_key], from_attr=True)
    return values


def _merge_partial(old, new):
    # a partial shape (unknown dims are 0/-1) gains the dims another rule knows
    if isinstance(old, tuple) and isinstance(new, tuple):
        from mxnet._ops.infer import merge_shapes
        return merge_shapes(old, new)
    return old if old is not None else new


def _check_consistent(node, old, new):
    """MXNet's "shape inconsistent" error: two known shapes of one entry differ."""
    if not isinstance(old, tuple) or not isinstance(new, tuple):
        return
    from mxnet._ops.infer import unknown_dim
    if len(old) != len(new):
        bad = all(not unknown_dim(d) for d in old + new)
    else:
        bad = any(a != b and not unknown_dim(a) and not unknown_dim(b)
                  for a, b in zip(old, new))
    if bad:
        raise MXNetError(f"Error in operator {node.name}: Shape inconsistent, Provided = "
                         f"{old}, inferred shape={new}")


def _propagate(sym, values, use_rule, fallback_ok):
    merge = _merge_partial
    nodes = [n for n in sym._nodes() if not n.is_var]
    for _ in range(len(nodes) + 2):
        changed = False
        for node in nodes:
            attrs = node.params()
            keys = [(id(c), i) for c, i in node.inputs]
            ins = [values.get(k) for k in keys]
            n_out = node.num_outputs()
            outs = use_rule(node, attrs, ins, n_out)
            if outs is None:
                continue
            new_ins, new_outs = outs
            out_keys = [(id(node), i) for i in range(len(new_outs))]
            if fallback_ok and getattr(node.op.shape_rule, "elementwise", False):
                # an elementwise op's inputs have its output's shape (backward inference)
                known = values.get(out_keys[0]) if out_keys else None
                new_ins = [merge(v, known) for v in new_ins]
            elif fallback_ok:
                outs_now = [merge(values.get(k), v) for k, v in zip(out_keys, new_outs)]
                # hints see the partial input shapes a rule may have dropped as unknown
                hinted = backward_hint(node.op.name, attrs,
                                       [merge(a, b) for a, b in zip(ins, new_ins)], outs_now)
                new_ins = [merge(a, b) for a, b in zip(new_ins, hinted)]
            for k, v in list(zip(keys, new_ins)) + list(zip(out_keys, new_outs)):
                if v is None:
                    continue
                old = values.get(k)
                if fallback_ok:
                    _check_consistent(node, old, v)
                new = v if old is None else merge(old, v)
                if new != old:
                    values[k] = new
                    changed = True
        if not changed:
            break
    return values


def _shape_rule(node, attrs, ins, n_out):
    if not partial_ok(node.op):
        # a rule that would take unknown (0) dims for real sees them as unknown shapes
        ins = [s if _complete(s) else None for s in ins]
    try:
        res = _apply_shape_rule(node, attrs, ins, n_out)
        return res if res is None else (res[0], forward_fixup(node.op.name, attrs, ins,
                                                                res[1]))
    except MXNetError:
        if all(_complete(s) for s in ins if s is not None):
            raise
    # a partial input shape the rule took for real: retry as if it were unknown (the
    # result merges with the partial shape afterwards)
    return _apply_shape_rule(node, attrs, [s if _complete(s) else None for s in ins], n_out)


def _apply_shape_rule(node, attrs, ins, n_out):
    op = node.op
    try:
        if op.shape_rule is not None:
            new_ins, outs = op.shape_rule(attrs, list(ins))
            return [tuple(s) if s is not None else None for s in new_ins], \
                [tuple(s) if s is not None else None for s in outs] + [None] * (
                    n_out - len(outs))
        if all(_complete(s) for s in ins):
            shapes, _ = _from_forward(op, attrs, ins, [None] * len(ins))
            return ins, shapes
    except MXNetError as err:
        raise MXNetError(f"Error in operator {node.name}: {err}") from None
    return None


def _parse_shape(value, from_attr=False):
    if isinstance(value, str):
        import ast
        value = ast.literal_eval(value)
    if isinstance(value, int):
        value = (value,)
    shape = tuple(int(v) for v in value)
    # a partial attribute shape like (0, 10) counts as unknown: operator rules take
    # every dimension they are given as real (gluon's deferred shapes rely on this)
    return shape


def infer_shape(sym, args, kwargs, partial):
    values = _seed(sym, args, kwargs, "__shape__", _parse_shape)
    # only inputs given with unknown dims make zero-size results count as unknown
    seeded_partial = any(not _complete(v) for v in values.values())
    values = _propagate(sym, values, _shape_rule, True)
    # unknown shapes read () in MXNet's legacy shape mode and None under np_shape
    from mxnet.util import is_np_shape
    return _collect(sym, values, partial, empty=None if is_np_shape() else (),
                    check_dims=seeded_partial)


def _collect(sym, values, partial, empty, check_dims=False):
    nodes = sym._nodes()
    by_name = {n.name: n for n in nodes if n.is_var}
    args = [values.get((id(by_name[n]), 0)) for n in sym.list_arguments()]
    auxs = [values.get((id(by_name[n]), 0)) for n in sym.list_auxiliary_states()]
    outs = [values.get((id(n), i)) for n, i in sym._outputs]
    if not partial and any(v is None or check_dims and not _complete(v)
                           for v in args + auxs + outs):
        return None, None, None
    fix = (lambda v: empty if v is None else v)
    return [fix(v) for v in args], [fix(v) for v in outs], [fix(v) for v in auxs]


def _dtype_rule(node, attrs, ins, n_out):
    op = node.op
    if op.dtype_rule is not None:
        new_ins, outs = op.dtype_rule(attrs, list(ins))
        return new_ins, list(outs) + [None] * (n_out - len(outs))
    known = next((d for d in ins if d is not None), None)
    if op.shape_rule is None and "dtype" in attrs and attrs["dtype"] is not None:
        return ins, [attrs["dtype"]] * n_out
    if known is None:
        return None
    return [known if d is None else d for d in ins], [known] * n_out


def _parse_dtype(value, from_attr=False):
    if from_attr:
        return _FLAG_DTYPE.get(int(value))
    return np.dtype(value).name


def infer_type(sym, args, kwargs, partial=False):
    values = _seed(sym, args, kwargs, "__dtype__", _parse_dtype)
    values = _propagate(sym, values, _dtype_rule, False)
    res = _collect(sym, values, partial=partial, empty=None)
    if res[0] is None:
        return res
    return tuple([None if d is None else np.dtype(d).type for d in group] for group in res)
