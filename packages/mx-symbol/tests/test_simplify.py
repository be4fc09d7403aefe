"""Shape-only identity nodes are bypassed, so forward values are not kept for their
shape and in-place kernels can take them over; results stay those of the plain graph."""
import numpy as np

import mxnet as mx
from mxnet.symbol import passes

CPU = mx.cpu()


def _ops(graph):
    return [n.op.name for n in graph.nodes if n.kind == "op"]


def test_reduce_sum_like_and_reshape_like_of_equal_shapes_are_bypassed():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    sym = mx.sym.Group([
        mx.sym.exp(mx.sym._internal._reduce_sum_like(mx.sym.relu(a), b)),
        mx.sym.exp(mx.sym.reshape_like(mx.sym.relu(a), b)),
    ])
    graph = passes.prepare(sym, CPU.backend, {"a": (2, 3), "b": (2, 3)})
    assert "_reduce_sum_like" not in _ops(graph) and "reshape_like" not in _ops(graph)
    # a real reduction (broadcast shapes) stays
    graph = passes.prepare(sym, CPU.backend, {"a": (2, 3), "b": (1, 3)})
    assert "_reduce_sum_like" in _ops(graph)


def test_graph_outputs_and_unknown_shapes_keep_their_node():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    sym = mx.sym._internal._reduce_sum_like(a, b)
    graph = passes.prepare(sym, CPU.backend, {"a": (2, 3), "b": (2, 3)})
    assert _ops(graph) == ["_reduce_sum_like"]
    nested = mx.sym.exp(mx.sym._internal._reduce_sum_like(a, b))
    graph = passes.prepare(nested, CPU.backend, {})
    assert "_reduce_sum_like" in _ops(graph)


def test_residual_training_graph_adds_in_place_and_matches_autograd():
    data = mx.sym.var("data")
    h = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
    h = mx.sym.BatchNorm(h, fix_gamma=False, name="bn")
    out = mx.sym.relu(h + data)
    loss = mx.sym.sum(out * out)
    shapes = {"data": (3, 4)}
    a = loss.simple_bind(CPU, **shapes)
    b = loss.simple_bind(CPU, **shapes)
    rng = np.random.default_rng(0)
    for name, arr in a.arg_dict.items():
        arr[:] = rng.standard_normal(arr.shape)
        arr.copyto(b.arg_dict[name])
    b.set_monitor_callback(lambda name, arr: None)      # b runs through autograd
    ops = [n.op.name for n in a._grad.program.graph.nodes if n.kind == "op"]
    assert "_reduce_sum_like" not in ops
    for exe in (a, b):
        exe.forward(is_train=True)
        exe.backward()
    for name in a.grad_dict:
        np.testing.assert_allclose(a.grad_dict[name].asnumpy(), b.grad_dict[name].asnumpy(),
                                   rtol=1e-5, atol=1e-6, err_msg=name)
