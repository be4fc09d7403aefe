"""Imperative automatic differentiation: a tape of operator nodes.

Under :func:`record`, every operator call whose inputs need gradients leaves a
:class:`Node` on its outputs. :func:`backward` walks the nodes from the heads in
reverse topological order and calls each operator's gradient, which is written with
operators (``F`` = ``mxnet.ndarray``), so with ``create_graph=True`` the gradient
computation is recorded too and differentiates again.
"""
import sys

import numpy as _np

from .base import MXNetError

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "mark_variables", "backward", "grad",
           "get_symbol", "Function"]


class _State:
    __slots__ = ("recording", "training")

    def __init__(self):
        self.recording = False
        self.training = False


STATE = _State()


class Node:
    """One recorded operator call: what its gradient needs, nothing more."""

    __slots__ = ("op", "attrs", "inputs", "out_data", "ctx", "grad_fn", "freed")

    def __init__(self, op, attrs, inputs, out_data, ctx, grad_fn):
        self.op = op
        self.attrs = attrs
        self.inputs = inputs
        self.out_data = out_data
        self.ctx = ctx
        self.grad_fn = grad_fn
        self.freed = False


class Leaf:
    """A variable marked for gradients (``attach_grad``/``mark_variables``)."""

    __slots__ = ("grad", "grad_req", "fresh", "freed")

    def __init__(self, grad, grad_req):
        self.grad = grad
        self.grad_req = grad_req
        self.fresh = False
        self.freed = False


# -- scopes --------------------------------------------------------------------------
def set_recording(is_recording):
    """Set recording on or off; returns the previous state."""
    prev = STATE.recording
    STATE.recording = bool(is_recording)
    return prev


def set_training(train_mode):
    """Set training mode on or off; returns the previous state."""
    prev = STATE.training
    STATE.training = bool(train_mode)
    return prev


def is_recording():
    return STATE.recording


def is_training():
    return STATE.training


class _Scope:
    def __init__(self, recording, training):
        self._want = (recording, training)
        self._prev = None

    def __enter__(self):
        self._prev = (STATE.recording, STATE.training)
        rec, train = self._want
        if rec is not None:
            STATE.recording = rec
        if train is not None:
            STATE.training = train
        return self

    def __exit__(self, *exc):
        STATE.recording, STATE.training = self._prev


def record(train_mode=True):
    """Scope in which operator calls are recorded for :func:`backward`."""
    return _Scope(True, train_mode)


def pause(train_mode=False):
    """Scope in which recording is off (e.g. the metric update inside training)."""
    return _Scope(False, train_mode)


def train_mode():
    """Scope with training mode on (Dropout drops, BatchNorm uses batch stats)."""
    return _Scope(None, True)


def predict_mode():
    """Scope with training mode off."""
    return _Scope(None, False)


# -- variables -----------------------------------------------------------------------
def mark_variables(variables, gradients, grad_reqs="write"):
    """Mark arrays as variables whose gradients :func:`backward` writes to ``gradients``."""
    from .base import _as_list
    variables, gradients = _as_list(variables), _as_list(gradients)
    reqs = [grad_reqs] * len(variables) if isinstance(grad_reqs, str) else list(grad_reqs)
    if not len(variables) == len(gradients) == len(reqs):
        raise MXNetError(f"mark_variables: {len(variables)} variables, {len(gradients)} "
                         f"gradients and {len(reqs)} grad_reqs must match")
    for var, gradient, req in zip(variables, gradients, reqs):
        if req not in ("write", "add", "null"):
            raise MXNetError(f"mark_variables: grad_req must be write, add or null, got {req!r}")
        var._node = Leaf(gradient, req)
        var._index = 0


# -- backward ------------------------------------------------------------------------
# True while backward walks the tape, where the gradient of an input outside the
# recorded graph is dropped: a gradient function may then skip computing it.
_WALKING = [False]


def _gradient_dropped(x):
    """Whether the gradient computed for the recorded input ``x`` is thrown away (the
    tape is being walked and ``x`` is not part of it): operators skip computing it."""
    return _WALKING[0] and getattr(x, "_node", 0) is None


def _topo_order(heads):
    """Nodes reachable from ``heads``, inputs before users; freed nodes are constants."""
    order, seen = [], set()
    stack = [(h._node, False) for h in heads if h._node is not None]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if type(node) is Node and not node.freed:
            for x in node.inputs:
                child = x._node
                if child is not None and id(child) not in seen and not child.freed:
                    stack.append((child, False))
    return order


def _run_backward(heads, head_grads, retain_graph, create_graph, train_mode):
    from . import ndarray as F
    from .ndarray.ndarray import _wrap
    for h in heads:
        if h._node is None or h._node.freed:
            raise MXNetError(
                "Cannot differentiate node because it is not in a computational graph. "
                "You need to set is_recording to true or use autograd.record() to save "
                "computational graphs for backward. If you want to differentiate the same "
                "graph twice, you need to pass retain_graph=True to backward.")
    grads = {}
    for h, hg in zip(heads, head_grads):
        key = (id(h._node), h._index)
        g = F.ones_like(h) if hg is None else hg
        grads[key] = grads[key] + g if key in grads else g
    order = _topo_order(heads)
    prev = (STATE.recording, STATE.training, _WALKING[0])
    STATE.recording, STATE.training = bool(create_graph), bool(train_mode)
    _WALKING[0] = True
    try:
        for node in reversed(order):
            if type(node) is not Node:
                continue
            n_out = len(node.out_data)
            ograds = [grads.pop((id(node), i), None) for i in range(n_out)]
            if all(g is None for g in ograds):
                continue
            outputs = [_wrap(d, node.ctx, node, i) for i, d in enumerate(node.out_data)]
            ograds = [F.zeros_like(o) if g is None else g for g, o in zip(ograds, outputs)]
            in_grads = node.grad_fn(F, node.inputs, outputs, ograds, **node.attrs)
            for x, g in zip(node.inputs, in_grads):
                if g is None or x._node is None or x._node.freed:
                    continue
                key = (id(x._node), x._index)
                grads[key] = grads[key] + g if key in grads else g
            if not retain_graph:
                node.freed = True
    finally:
        STATE.recording, STATE.training, _WALKING[0] = prev
    if not retain_graph:
        for node in order:
            if type(node) is Node:
                node.inputs = node.out_data = node.attrs = None
                node.freed = True
    return grads


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Compute the gradients of ``heads`` into the marked variables' ``.grad``."""
    from .base import _as_list
    heads = _as_list(heads)
    head_grads = [None] * len(heads) if head_grads is None else _as_list(head_grads)
    if len(head_grads) != len(heads):
        raise MXNetError(f"backward: {len(heads)} heads but {len(head_grads)} head_grads")
    leaves = [n for n in _topo_order(heads) if type(n) is Leaf]
    grads = _run_backward(heads, head_grads, retain_graph, False, train_mode)
    for leaf in leaves:
        g = grads.pop((id(leaf), 0), None)
        if g is None or leaf.grad_req == "null" or leaf.grad is None:
            continue
        if leaf.grad_req == "add":
            leaf.grad._data += g._data
        elif not _hand_over(leaf.grad, g):
            leaf.grad._data[...] = g._data
        leaf.fresh = True


# -- writing gradients: hand a fresh buffer over instead of copying it ---------------
def _counts(grad, g):
    new, old = g._data, grad._data
    return (sys.getrefcount(g), sys.getrefcount(new),
            0 if new.base is None else sys.getrefcount(new.base),
            sys.getrefcount(old), 0 if old.base is None else sys.getrefcount(old.base))


def _hand_over(grad, g, calibrating=False):
    """Make the gradient ``g``'s buffer ``grad``'s buffer instead of copying it, when
    nothing but the caller's ``g`` references ``g`` (an intermediate result of the
    backward pass: neither the tape nor the caller sees it) and nothing but the two
    NDArrays references either buffer (or the array it views). Returns whether it
    did; the caller copies otherwise."""
    if type(g._data) is not _NP_ARRAY or type(grad._data) is not _NP_ARRAY:
        return False        # (no local names for the buffers before they are counted)
    counts = _counts(grad, g)
    if calibrating:
        return counts
    new, old = g._data, grad._data
    if new.shape != old.shape or new.dtype != old.dtype or \
            not new.flags.c_contiguous or not new.flags.writeable:
        return False
    c_g, c_arr, c_base = _PRIVATE
    if counts[0] != c_g or counts[1] != c_arr or counts[2] not in (0, c_base) or \
            counts[3] != c_arr or counts[4] not in (0, c_base):
        return False
    grad._data = new
    return True


def _calibrate():
    # the counts of the private case (both buffers views of buffers only they hold),
    # measured through the very code that checks them: interpreters count differently
    class _Holder:
        pass
    grad, g = _Holder(), _Holder()
    grad._data = _np.empty(2).reshape(1, 2)
    g._data = _np.empty(2).reshape(1, 2)
    counts = _hand_over(grad, g, calibrating=True)
    return counts[0], counts[1], counts[2]


_NP_ARRAY = _np.ndarray
_PRIVATE = _calibrate()


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):
    """Gradients of ``heads`` with respect to ``variables``, returned (not stored).

    With ``create_graph=True`` the returned gradients are themselves recorded, so a
    function of them can be differentiated again (second-order derivatives).
    """
    from . import ndarray as F
    from .base import _as_list
    heads, variables = _as_list(heads), _as_list(variables)
    head_grads = [None] * len(heads) if head_grads is None else _as_list(head_grads)
    if retain_graph is None:
        retain_graph = create_graph
    for v in variables:
        if v._node is None:
            raise MXNetError("autograd.grad: a variable is not part of the recorded graph; "
                             "call attach_grad() on it before autograd.record()")
    reachable = {id(n) for n in _topo_order(heads)}
    for i, v in enumerate(variables):
        if id(v._node) not in reachable:
            raise MXNetError(f"Cannot differentiate with respect to the {i + 1}-th variable "
                             "because it is unreachable from the outputs.")
    grads = _run_backward(heads, head_grads, retain_graph, create_graph, train_mode)
    out = []
    for v in variables:
        g = grads.get((id(v._node), v._index))
        out.append(F.zeros_like(v) if g is None else g)
    # MXNet 1.9.1 compat: a list even for a single NDArray variable (grad(y, x)[0])
    return out


def get_symbol(x):
    """The recorded graph of ``x`` as a Symbol (needs mx-symbol)."""
    from .symbol._trace import symbol_from_tape  # provided by mx-symbol
    return symbol_from_tape(x)


# -- custom functions ----------------------------------------------------------------
class Function:
    """A user operation with a hand-written gradient.

    Subclass it, define ``forward(self, *inputs)`` and ``backward(self, *output_grads)``
    over NDArrays, and call an instance; ``save_for_backward`` keeps what backward needs.
    """

    def __init__(self):
        self._used = False
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        self.saved_tensors = args

    def __call__(self, *inputs):
        from .ndarray.ndarray import NDArray
        if self._used:
            raise MXNetError("Each autograd.Function object can only be called once; "
                             "create a new instance for each call")
        self._used = True
        with pause(STATE.training):
            outputs = self.forward(*inputs)
        single = isinstance(outputs, NDArray)
        outs = (outputs,) if single else tuple(outputs)
        if STATE.recording and any(x._node is not None for x in inputs):
            node = Node(None, {}, tuple(inputs), tuple(o._data for o in outs),
                        outs[0]._ctx, self._grad_fn)
            for i, o in enumerate(outs):
                o._node, o._index = node, i
        return outputs

    def _grad_fn(self, F, inputs, outputs, ograds):
        with pause(STATE.training):
            grads = self.backward(*ograds)
        from .ndarray.ndarray import NDArray
        grads = (grads,) if isinstance(grads, NDArray) else tuple(grads)
        if len(grads) != len(inputs):
            raise MXNetError(f"{type(self).__name__}.backward returned {len(grads)} "
                             f"gradients for {len(inputs)} inputs")
        return grads

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError
