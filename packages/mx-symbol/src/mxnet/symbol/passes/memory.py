"""Memory planning: liveness over the execution order, buffer sharing, in-place.

For each step (an operator node, in order) the plan lists the intermediate results
whose last reader it is, so the executor drops them right after it (inference
keeps only what later steps still need), and, for a few elementwise operators, the
input whose buffer the result may overwrite (``inplace``). Bound arguments,
auxiliary states, constants and the graph's outputs are never freed or overwritten.

``storage`` assigns each intermediate result a buffer id, reusing a dead buffer of
the same size and dtype (greedy, in order), and ``peak_bytes``/``naive_bytes`` say
what that saves. Our CPU kernels allocate their results, so the executor uses
``frees`` and ``inplace`` (checked again at run time, see ``inplace_safe``) and
the storage ids are the plan a backend with ``out=`` kernels can follow.
"""
__all__ = ["MemoryPlan", "plan_memory", "inplace_kernel", "inplace_safe"]


def _act(xp, buf, attrs):
    act = attrs["act_type"]
    if act == "relu":
        xp.maximum(buf, 0, out=buf)
    else:
        xp.tanh(buf, out=buf)


# operator name -> (kernel writing the result into the taken-over buffer, input
# positions it may take over); each is bit-identical to the forward on floats.
_INPLACE = {
    "relu": (lambda xp, buf, attrs: xp.maximum(buf, 0, out=buf), (0,)),
    "tanh": (lambda xp, buf, attrs: xp.tanh(buf, out=buf), (0,)),
    "Activation": (_act, (0,)),
    "_plus_scalar": (lambda xp, buf, attrs: xp.add(buf, attrs["scalar"], out=buf), (0,)),
    "_mul_scalar": (lambda xp, buf, attrs: xp.multiply(buf, attrs["scalar"], out=buf),
                    (0,)),
    # relu's gradient over its head gradient (binary: buf = ograd, other = output)
    "_backward_Activation": (lambda xp, buf, other, attrs:
                             xp.multiply(buf, other > 0, out=buf), (0,)),
}
_INPLACE_BINARY = {"elemwise_add": "add", "broadcast_add": "add",
                   "elemwise_mul": "multiply", "broadcast_mul": "multiply"}


def inplace_kernel(op, attrs):
    """``(fn, positions)`` when ``op`` may write its result over an input, else None;
    ``fn(xp, buf, other, attrs)`` for binary operators, ``fn(xp, buf, attrs)`` else."""
    if op.name == "Activation" and attrs.get("act_type") not in ("relu", "tanh"):
        return None
    if op.name == "_backward_Activation" and attrs.get("act_type") != "relu":
        return None
    if op.name in _INPLACE:
        return _INPLACE[op.name]
    ufunc = _INPLACE_BINARY.get(op.name)
    if ufunc is not None:
        return (lambda xp, buf, other, attrs: getattr(xp, ufunc)(buf, other, out=buf),
                (0, 1))
    return None


def inplace_safe(buf):
    """Whether ``buf`` may be overwritten as far as the array itself tells: a
    floating-point array owning its memory. The caller also checks that nothing else
    references it (a view keeps its base alive, an NDArray holds its data): the test
    NumPy itself uses to elide temporaries."""
    return getattr(buf, "base", 0) is None and buf.dtype.kind == "f"


class MemoryPlan:
    """Per step: ``frees`` (entries to drop after it), ``inplace`` (input position
    or None); per intermediate entry ``(id(node), index)``: ``storage`` buffer id."""

    def __init__(self, steps, frees, inplace, storage, peak_bytes, naive_bytes):
        self.steps, self.frees, self.inplace = steps, frees, inplace
        self.storage, self.peak_bytes, self.naive_bytes = storage, peak_bytes, naive_bytes

    @property
    def num_buffers(self):
        return len(set(self.storage.values()))

    def __repr__(self):
        return (f"<MemoryPlan {len(self.steps)} steps, {self.num_buffers} buffers, "
                f"peak {self.peak_bytes} B vs {self.naive_bytes} B without reuse>")


def _nbytes(node, i):
    if not node.shapes or not node.dtypes or node.shapes[i] is None \
            or node.dtypes[i] is None:
        return None
    import numpy as np
    size = 1
    for d in node.shapes[i]:
        size *= d
    return size * np.dtype(node.dtypes[i]).itemsize


def _last_uses(steps, outputs):
    last = {}
    for k, node in enumerate(steps):
        for child, i in node.inputs:
            last[(id(child), i)] = k
    for node, i in outputs:
        last[(id(node), i)] = len(steps)          # outputs live to the end
    return last


def _choose_inplace(node, k, last, owned):
    if node.kind != "op":
        return None
    found = inplace_kernel(node.op, node.attrs)
    if found is None:
        return None
    for pos in found[1]:
        if pos >= len(node.inputs):
            continue
        child, i = node.inputs[pos]
        key = (id(child), i)
        if key not in owned or last.get(key) != k:
            continue
        if sum(1 for c, j in node.inputs if (id(c), j) == key) > 1:
            continue                               # x + x: both reads see the buffer
        if len(node.inputs) == 2:
            other = node.inputs[1 - pos][0]
            known = child.shapes and other.shapes and child.shapes[i] is not None
            if not known or child.shapes[i] != other.shapes[node.inputs[1 - pos][1]]:
                continue                           # broadcasting changes the shape
        return pos
    return None


def plan_memory(graph):
    """A :class:`MemoryPlan` for running ``graph``'s operator nodes in order."""
    steps = [n for n in graph.nodes if n.kind in ("op", "fused")]
    last = _last_uses(steps, graph.outputs)
    owned = set()                                  # intermediates the plan may free
    frees = [[] for _ in steps]
    inplace, storage, pool, sizes = [], {}, {}, {}
    live_bytes = peak = naive = 0
    for k, node in enumerate(steps):
        inplace.append(_choose_inplace(node, k, last, owned))
        for i in range(node.num_outputs):
            key = (id(node), i)
            owned.add(key)
            nbytes = _nbytes(node, i)
            sig = (nbytes, node.dtypes[i] if node.dtypes else None)
            free = pool.get(sig) if nbytes is not None else None
            storage[key] = free.pop() if free else len(sizes)
            sizes.setdefault(storage[key], nbytes or 0)
            naive += nbytes or 0
            live_bytes += nbytes or 0
            if key not in last:                    # never read: drop at once
                frees[k].append((node, i))
        peak = max(peak, live_bytes)
        for child, i in node.inputs:
            key = (id(child), i)
            if key in owned and last.get(key) == k and (child, i) not in frees[k]:
                frees[k].append((child, i))
        for child, i in frees[k]:
            key = (id(child), i)
            nbytes = _nbytes(child, i)
            live_bytes -= nbytes or 0
            if nbytes is not None:
                pool.setdefault((nbytes, child.dtypes[i]), []).append(storage[key])
    return MemoryPlan(steps, frees, inplace, storage, peak, naive)
