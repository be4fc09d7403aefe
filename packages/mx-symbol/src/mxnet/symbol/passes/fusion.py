"""Elementwise fusion: a hook through which a backend runs a chain of elementwise
operators as one kernel.

The pass finds chains ``a -> b -> c`` of single-output elementwise operators where
each intermediate result feeds only the next operator, describes each chain as a
:class:`FusionChain` and asks the backend's *fuser* for a kernel. A fuser is any
callable ``fuser(chain) -> kernel or None``; the kernel is called as
``kernel(xp, *chain_inputs)`` and returns the chain's final result (an array, or a
1-tuple). ``None`` keeps the chain unfused. A GPU backend can hand the chain to
mx-cuda's generator::

    from mxnet_cuda import fusion
    def fuser(chain):
        nodes = chain.as_nodes()
        if all(fusion.can_fuse(op, attrs) for op, attrs, _ in nodes):
            return fusion.fuse(nodes, chain.num_inputs, [len(nodes) - 1])
        return None

Where a fuser comes from, first match wins:

1. :func:`register_fuser` (``register_fuser("gpu", my_fuser)``), e.g. from a
   plugin's ``mxnet_register_backends`` hook;
2. a ``fuse`` method on the Backend object (``backend.fuse(chain)``).

The CPU backend provides no fuser (NumPy evaluates one ufunc at a time, so a fused
chain would save nothing there): on CPU this pass leaves the graph unchanged.
Fusion applies to inference programs only; training runs each operator's own
gradient, so the executor fuses only graphs it runs without recording.
"""
from .dce import eliminate_dead

__all__ = ["FusionStep", "FusionChain", "FusedOp", "register_fuser", "unregister_fuser",
           "get_fuser", "is_elementwise", "compose_chain", "fuse_elementwise"]

_FUSERS = {}
_SOURCES = ("mxnet._ops.defs.elemwise_unary", "mxnet._ops.defs.elemwise_binary",
            "mxnet._ops.defs.elemwise_scalar")
_EXTRA = frozenset(("Activation", "clip", "Cast"))


def register_fuser(backend_name, fuser):
    """Use ``fuser(chain) -> kernel or None`` for graphs bound to ``backend_name``."""
    _FUSERS[backend_name] = fuser


def unregister_fuser(backend_name):
    _FUSERS.pop(backend_name, None)


def get_fuser(backend):
    """The fuser for ``backend`` (registered, else ``backend.fuse``), or None."""
    return _FUSERS.get(backend.name) or getattr(backend, "fuse", None)


def is_elementwise(op, attrs):
    """Single-output, deterministic, elementwise (broadcasting allowed)."""
    if op.needs_rng or op.needs_train or op.aux:
        return False
    if op.source not in _SOURCES and op.name not in _EXTRA:
        return False
    return op.num_outputs(attrs) == 1


class FusionStep:
    """One operator of a chain: ``args`` index the chain's inputs, ``-1`` is the
    previous step's result."""

    __slots__ = ("op", "attrs", "args", "name")

    def __init__(self, op, attrs, args, name):
        self.op, self.attrs, self.args, self.name = op, attrs, tuple(args), name

    def __repr__(self):
        return f"FusionStep({self.op.name}, args={self.args})"


class FusionChain:
    """What a fuser sees: the steps, how many inputs, and the known shapes/dtypes
    of inputs and result (None where inference could not tell)."""

    __slots__ = ("steps", "num_inputs", "in_shapes", "in_dtypes", "shape", "dtype")

    def __init__(self, steps, num_inputs, in_shapes, in_dtypes, shape, dtype):
        self.steps, self.num_inputs = steps, num_inputs
        self.in_shapes, self.in_dtypes = in_shapes, in_dtypes
        self.shape, self.dtype = shape, dtype

    @property
    def op_names(self):
        return [s.op.name for s in self.steps]

    def as_nodes(self):
        """The chain as ``[(op_name, attrs, args)]`` with ``args`` ``("in", k)`` for
        chain inputs and ``("node", j)`` for earlier steps: mx-cuda's
        ``mxnet_cuda.fusion.fuse(nodes, num_inputs, outputs)`` format."""
        return [(s.op.name, s.attrs,
                 [("node", j - 1) if a < 0 else ("in", a) for a in s.args])
                for j, s in enumerate(self.steps)]


class FusedOp:
    """The operator of a fused node: enough of OpDef's interface for the executor."""

    name = "_fused_elemwise"
    needs_train = needs_rng = False
    aux = ()
    grad_fn = None
    _visible_outputs = None

    def __init__(self, kernel, chain):
        self.forward = kernel
        self.chain = chain
        self.kernels = {}

    def num_outputs(self, attrs):
        return 1

    def __repr__(self):
        return f"<FusedOp {'+'.join(self.chain.op_names)}>"


def compose_chain(chain, backend_name=None):
    """A reference kernel running the chain's steps one after the other (a fuser
    may return it for chains it cannot compile)."""
    steps = [(s.op.kernels.get(backend_name, s.op.forward), s.attrs, s.args)
             for s in chain.steps]

    def kernel(xp, *inputs):
        prev = None
        for fwd, attrs, args in steps:
            prev = fwd(xp, *[prev if a < 0 else inputs[a] for a in args], **attrs)
        return prev
    return kernel


def _chains(graph):
    uses = graph.consumers()
    outputs = {id(n) for n, _ in graph.outputs}
    chain_of = {}                      # id(tail node) -> [nodes]
    for node in graph.nodes:
        if node.kind != "op" or not is_elementwise(node.op, node.attrs):
            continue
        chain = None
        for child, _ in node.inputs:
            prev = chain_of.get(id(child))
            if prev is not None and uses.get(id(child)) == 1 and id(child) not in outputs:
                chain = chain_of.pop(id(child))
                break
        chain_of[id(node)] = (chain or []) + [node]
    return [c for c in chain_of.values() if len(c) > 1]


def _describe(nodes):
    inputs, index, steps = [], {}, []
    for k, node in enumerate(nodes):
        args = []
        for child, i in node.inputs:
            if k and child is nodes[k - 1]:
                args.append(-1)
                continue
            key = (id(child), i)
            if key not in index:
                index[key] = len(inputs)
                inputs.append((child, i))
            args.append(index[key])
        steps.append(FusionStep(node.op, node.attrs, args, node.name))
    shapes = [c.shapes[i] if c.shapes else None for c, i in inputs]
    dtypes = [c.dtypes[i] if c.dtypes else None for c, i in inputs]
    last = nodes[-1]
    chain = FusionChain(steps, len(inputs), shapes, dtypes,
                        last.shapes[0] if last.shapes else None,
                        last.dtypes[0] if last.dtypes else None)
    return chain, inputs


def fuse_elementwise(graph, backend, fuser=None):
    """Replace chains the fuser accepts by ``"fused"`` nodes; no fuser: unchanged."""
    fuser = fuser or get_fuser(backend)
    if fuser is None:
        return graph
    changed = False
    for nodes in _chains(graph):
        chain, inputs = _describe(nodes)
        kernel = fuser(chain)
        if kernel is None:
            continue
        last = nodes[-1]               # keeps its identity: consumers point at it
        last.kind, last.op, last.attrs, last.inputs = "fused", FusedOp(kernel, chain), {}, \
            inputs
        changed = True
    if changed:
        eliminate_dead(graph, keep=[n for n in graph.nodes if n.kind == "var"])
    return graph
