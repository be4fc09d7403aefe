"""Graph passes run when a Symbol is bound: each a small function over a Graph.

* :func:`infer_shapes` - annotate shapes/dtypes from the bound inputs;
* :func:`eliminate_dead` - drop nodes the outputs do not need;
* :func:`fold_constants` - evaluate variable-free subgraphs once, at bind;
* :func:`drop_shape_identities` - bypass ``_reduce_sum_like``/``reshape_like`` nodes
  whose inferred shapes already match (gradients keep forward values for their shape);
* :func:`fuse_elementwise` - hand chains of elementwise operators to the backend's
  fuser (none on CPU; see :mod:`.fusion` for the interface);
* :func:`plan_memory` - liveness, buffer sharing and in-place decisions.

:func:`prepare` runs the first four; :class:`~.program.Program` then fuses, plans
memory and compiles the flat programs the executor and Gluon's CachedGraph run.
"""
from ._graph import GNode, Graph, from_symbol
from .dce import eliminate_dead
from .fold import fold_constants, foldable
from .fusion import (FusedOp, FusionChain, FusionStep, compose_chain, fuse_elementwise,
                     get_fuser, is_elementwise, register_fuser, unregister_fuser)
from .infer import infer_shapes
from .memory import MemoryPlan, inplace_kernel, inplace_safe, plan_memory
from .program import Program
from .simplify import drop_shape_identities
from .training import TrainProgram
from .backward import GradProgram, training_symbol

__all__ = ["GNode", "Graph", "from_symbol", "eliminate_dead", "fold_constants",
           "foldable", "FusedOp", "FusionChain", "FusionStep", "compose_chain",
           "fuse_elementwise", "get_fuser", "is_elementwise", "register_fuser",
           "unregister_fuser", "infer_shapes", "MemoryPlan", "inplace_kernel",
           "inplace_safe", "plan_memory", "prepare", "Program", "TrainProgram",
           "GradProgram", "training_symbol", "drop_shape_identities"]


def prepare(sym, backend, shapes=None, dtypes=None):
    """``sym`` as an inferred, folded, pruned Graph for running on ``backend`` with
    inputs of the given ``{name: shape}``/``{name: dtype}``."""
    graph = from_symbol(sym)
    infer_shapes(graph, sym, shapes or {}, dtypes or {})
    fold_constants(graph, backend)
    keep = [n for n in graph.nodes if n.kind == "var"]
    drop_shape_identities(graph, keep=keep)
    return eliminate_dead(graph, keep=keep)
