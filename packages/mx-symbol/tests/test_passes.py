"""Graph passes (dead nodes, constant folding, memory plan, fusion hook) and the
executor's lean inference program built from them."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.symbol import passes

CPU = mx.cpu()


def _bind(sym, grads=False, **arrays):
    args = {k: mx.nd.array(v) for k, v in arrays.items()}
    if not grads:
        return sym.bind(CPU, args)
    return sym.bind(CPU, args, {k: mx.nd.zeros(v.shape) for k, v in arrays.items()})


def _kinds(exe):
    return [n.kind for n in exe._program.graph.nodes]


# -- dead-node elimination --------------------------------------------------------
def test_eliminate_dead_drops_unreachable_nodes_and_keeps_given_ones():
    x = mx.sym.var("x")
    graph = passes.from_symbol(mx.sym.Group([mx.sym.relu(x), mx.sym.exp(x)]))
    relu, exp = graph.outputs[0][0], graph.outputs[1][0]
    graph.outputs = graph.outputs[:1]
    passes.eliminate_dead(graph)
    assert exp not in graph.nodes and relu in graph.nodes
    orphan = passes.from_symbol(mx.sym.var("unused")).nodes[0]
    graph.nodes.insert(0, orphan)
    assert orphan in passes.eliminate_dead(graph, keep=[orphan]).nodes


# -- constant folding ------------------------------------------------------------
def _const_sym():
    x = mx.sym.var("x")
    bias = mx.sym.zeros((2, 3)) * 2 + mx.sym.arange(3)      # no variable: folded
    return x + bias


def test_constant_subgraph_is_folded_once_at_bind():
    exe = _bind(_const_sym(), x=np.ones((2, 3)))
    kinds = _kinds(exe)
    assert kinds.count("const") == 1 and kinds.count("op") == 1
    assert [step[7] for step in exe._program.lean] == ["elemwise_add"]
    want = np.ones((2, 3)) + np.arange(3)
    for _ in range(2):
        out = exe.forward()[0]
        np.testing.assert_allclose(out.asnumpy(), want)
        out[:] = -5                       # writing to an output never touches the constant


def test_constant_output_is_a_fresh_copy_each_forward():
    exe = (mx.sym.ones((2, 2)) * 3).bind(CPU, {})
    assert _kinds(exe) == ["const"]
    first = exe.forward()[0]
    first[:] = 0
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), np.full((2, 2), 3.0))


def test_folding_skips_random_operators_and_keeps_gradients():
    sym = mx.sym.random.uniform(shape=(1000,)) + mx.sym.var("x")
    exe = _bind(sym, grads=True, x=np.zeros(1000))
    assert "const" not in _kinds(exe)
    a, b = exe.forward()[0].asnumpy(), exe.forward()[0].asnumpy()
    assert not np.array_equal(a, b)
    exe = _bind(_const_sym(), grads=True, x=np.ones((2, 3)))
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((2, 3)))
    np.testing.assert_allclose(exe.grad_dict["x"].asnumpy(), np.ones((2, 3)))


def test_foldable():
    reg = mx.plugins.get_registry("ops") if hasattr(mx, "plugins") else None
    from mxnet.plugins import get_registry
    reg = get_registry("ops")
    assert passes.foldable(reg.get("_zeros")) and passes.foldable(reg.get("exp"))
    assert not passes.foldable(reg.get("Dropout"))
    assert not passes.foldable(reg.get("_random_uniform"))
    assert not passes.foldable(reg.get("BatchNorm"))


# -- memory planning -------------------------------------------------------------
def _chain():
    x = mx.sym.var("x")
    h = x
    for _ in range(4):
        h = mx.sym.tanh(h * 0.5)
    return h


def test_memory_plan_frees_after_last_use_and_reuses_buffers():
    x = np.random.default_rng(0).standard_normal((8, 16)).astype("float32")
    exe = _bind(_chain(), x=x)
    plan = exe._program.plan
    assert len(plan.steps) == 8
    assert all(len(f) == 1 for f in plan.frees[1:])       # each step drops its input
    assert plan.num_buffers < len(plan.storage)
    assert plan.peak_bytes < plan.naive_bytes
    want = x
    for _ in range(4):
        want = np.tanh(want * np.float32(0.5))
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), want, rtol=1e-6)
    np.testing.assert_array_equal(exe.arg_dict["x"].asnumpy(), x)   # inputs untouched


def test_inplace_writes_only_over_dead_unshared_buffers():
    x = mx.sym.var("x")
    a = x * 2
    flat = mx.sym.reshape(a, shape=(-1,))          # a view of a's buffer, kept as output
    sym = mx.sym.Group([flat, mx.sym.relu(a), mx.sym.relu(x)])
    xv = np.array([[-1.0, 2.0], [3.0, -4.0]], dtype="float32")
    exe = _bind(sym, x=xv)
    assert any(pos is not None for pos in exe._program.plan.inplace)
    flat_out, relu_a, relu_x = [o.asnumpy() for o in exe.forward()]
    np.testing.assert_array_equal(flat_out, (xv * 2).ravel())
    np.testing.assert_array_equal(relu_a, np.maximum(xv * 2, 0))
    np.testing.assert_array_equal(relu_x, np.maximum(xv, 0))
    np.testing.assert_array_equal(exe.arg_dict["x"].asnumpy(), xv)


def test_inplace_binary_add_matches():
    x, y = mx.sym.var("x"), mx.sym.var("y")
    sym = mx.sym.relu((x * 3) + (y * 2))
    xv, yv = np.arange(6.0).reshape(2, 3) - 2, np.ones((2, 3))
    exe = _bind(sym, x=xv, y=yv)
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), np.maximum(xv * 3 + yv * 2, 0))
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), np.maximum(xv * 3 + yv * 2, 0))


# -- fusion hook -----------------------------------------------------------------
class _Fuser:
    def __init__(self, accept=True):
        self.chains, self.accept = [], accept

    def __call__(self, chain):
        self.chains.append(chain)
        return passes.compose_chain(chain, "cpu") if self.accept else None


@pytest.fixture
def fuser():
    f = _Fuser()
    passes.register_fuser("cpu", f)
    yield f
    passes.unregister_fuser("cpu")


def _fusable():
    x, w = mx.sym.var("x"), mx.sym.var("w")
    fc = mx.sym.FullyConnected(x, w, no_bias=True, num_hidden=4)
    return mx.sym.exp(mx.sym.broadcast_sub(mx.sym.relu(fc * 2 + 1), mx.sym.sum(w)))


def test_cpu_has_no_fuser():
    assert passes.get_fuser(CPU.backend) is None
    exe = _bind(_fusable(), x=np.ones((2, 3)), w=np.ones((4, 3)))
    assert "fused" not in _kinds(exe)


def test_registered_fuser_replaces_chains_and_computes_the_same(fuser):
    rng = np.random.default_rng(1)
    xv, wv = rng.standard_normal((2, 3)), rng.standard_normal((4, 3)) * 0.3
    exe = _bind(_fusable(), x=xv, w=wv)
    assert _kinds(exe).count("fused") == 1
    (chain,) = fuser.chains
    assert chain.op_names == ["_mul_scalar", "_plus_scalar", "relu", "broadcast_sub", "exp"]
    assert chain.num_inputs == 2 and chain.shape == (2, 4)
    assert [s.args for s in chain.steps] == [(0,), (-1,), (-1,), (-1, 1), (-1,)]
    passes.unregister_fuser("cpu")
    plain = _bind(_fusable(), x=xv, w=wv)
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), plain.forward()[0].asnumpy(),
                               rtol=1e-6)
    assert len(exe._program.lean) < len(plain._program.lean)


def test_fused_executor_still_trains_through_the_unfused_graph(fuser):
    xv, wv = np.ones((2, 3)), np.full((4, 3), 0.1)
    exe = _bind(_fusable(), grads=True, x=xv, w=wv)
    assert "fused" in _kinds(exe)
    out = exe.forward(is_train=True)[0]
    exe.backward(mx.nd.ones(out.shape))
    passes.unregister_fuser("cpu")
    ref = _bind(_fusable(), grads=True, x=xv, w=wv)
    ref.forward(is_train=True)
    ref.backward(mx.nd.ones(out.shape))
    np.testing.assert_allclose(exe.grad_dict["w"].asnumpy(), ref.grad_dict["w"].asnumpy(),
                               rtol=1e-6)


def test_chain_stops_at_shared_intermediates_and_fuser_may_decline():
    x = mx.sym.var("x")
    a = mx.sym.exp(x * 2)                  # read twice: ends a chain
    sym = mx.sym.relu(a + 1) * mx.sym.tanh(a)
    declining = _Fuser(accept=False)
    graph = passes.prepare(sym, CPU.backend, {"x": (3,)})
    passes.fuse_elementwise(graph, CPU.backend, fuser=declining)
    assert "fused" not in [n.kind for n in graph.nodes]
    names = sorted(tuple(c.op_names) for c in declining.chains)
    assert names == [("_mul_scalar", "exp"), ("_plus_scalar", "relu", "elemwise_mul")]


def test_backend_fuse_method_is_used(monkeypatch):
    backend = CPU.backend
    seen = []
    monkeypatch.setattr(backend, "fuse", lambda chain: seen.append(chain) or None,
                        raising=False)
    _bind(_fusable(), x=np.ones((2, 3)), w=np.ones((4, 3)))
    assert len(seen) == 1


# -- the executor's lean program ---------------------------------------------------
def _convnet():
    data = mx.sym.var("data")
    h = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="c1")
    h = mx.sym.BatchNorm(h, name="bn")
    h = mx.sym.Dropout(mx.sym.Activation(h, act_type="relu"), p=0.5)
    h = mx.sym.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type="max")
    h = mx.sym.FullyConnected(mx.sym.flatten(h), num_hidden=3, name="fc")
    return mx.sym.SoftmaxOutput(h, name="sm")


def test_lean_inference_matches_the_recorded_path():
    sym = _convnet()
    lean = sym.simple_bind(CPU, grad_req="null", data=(2, 1, 8, 8))
    rec = sym.simple_bind(CPU, grad_req="write", data=(2, 1, 8, 8))
    rng = np.random.default_rng(0)
    for name, arr in lean.arg_dict.items():
        arr[:] = rng.standard_normal(arr.shape) * 0.5
        arr.copyto(rec.arg_dict[name])
    for name, arr in lean.aux_dict.items():
        arr[:] = rng.random(arr.shape) + 0.5
        arr.copyto(rec.aux_dict[name])
    outs = []
    rec.set_monitor_callback(lambda name, arr: outs.append(name))   # forces recording
    np.testing.assert_allclose(lean.forward()[0].asnumpy(), rec.forward()[0].asnumpy(),
                               rtol=1e-5)
    assert "fc_output" in outs


def test_backward_after_inference_forward_replays_it():
    sym = mx.sym.sum(mx.sym.tanh(mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=2,
                                                       name="fc")))
    exe = sym.simple_bind(CPU, x=(3, 4))
    exe.arg_dict["x"][:] = 1
    exe.arg_dict["fc_weight"][:] = 0.1
    out = exe.forward(is_train=False)[0].asnumpy()
    exe.backward()
    pre = np.full((3, 2), 0.4)
    np.testing.assert_allclose(out, np.tanh(pre).sum(), rtol=1e-6)
    np.testing.assert_allclose(exe.grad_dict["fc_weight"].asnumpy(),
                               (1 - np.tanh(pre) ** 2).T @ np.ones((3, 4)), rtol=1e-5)


def test_lean_errors_name_the_operator():
    sym = mx.sym.dot(mx.sym.var("a"), mx.sym.var("b"))
    exe = sym.bind(CPU, {"a": mx.nd.ones((2, 3)), "b": mx.nd.ones((4, 5))})
    with pytest.raises(MXNetError, match="dot"):
        exe.forward()


def test_output_that_is_an_input_is_the_bound_array():
    x = mx.sym.var("x")
    exe = mx.sym.Group([x, mx.sym.relu(x)]).bind(CPU, {"x": mx.nd.ones((2,))})
    outs = exe.forward()
    assert outs[0] is exe.arg_dict["x"]


def test_inplace_happens_at_run_time(monkeypatch):
    from mxnet.symbol.passes.program import Program
    real, taken = Program._inplace, []

    def spy(vals, step, xp, ndarray):
        taken.append(real(vals, step, xp, ndarray))
        return taken[-1]
    monkeypatch.setattr(Program, "_inplace", staticmethod(spy))
    xv = np.random.default_rng(2).standard_normal((4, 4)).astype("float32")
    exe = _bind(_chain(), x=xv)
    exe.forward()
    want = xv
    for _ in range(4):
        want = np.tanh(want * np.float32(0.5))
    np.testing.assert_allclose(exe.forward()[0].asnumpy(), want, rtol=1e-6)
    assert taken and all(taken)


# -- the training graph ----------------------------------------------------------
def _bn_net():
    data = mx.sym.var("data")
    h = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="c1")
    h = mx.sym.Activation(mx.sym.BatchNorm(h, name="bn"), act_type="relu")
    h = mx.sym.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type="max")
    h = mx.sym.FullyConnected(mx.sym.flatten(h), num_hidden=3, name="fc")
    return mx.sym.SoftmaxOutput(h, name="sm")


def _twin_executors(sym, **shapes):
    a = sym.simple_bind(CPU, **shapes)
    b = sym.simple_bind(CPU, **shapes)
    rng = np.random.default_rng(3)
    for name, arr in a.arg_dict.items():
        arr[:] = rng.standard_normal(arr.shape) * 0.5
        arr.copyto(b.arg_dict[name])
    b.set_monitor_callback(lambda name, arr: None)       # b runs through autograd
    return a, b


def test_training_graph_matches_autograd_and_updates_aux_states():
    a, b = _twin_executors(_bn_net(), data=(2, 1, 8, 8), sm_label=(2,))
    assert a._grad is not None
    for exe in (a, b):
        exe.arg_dict["sm_label"][:] = np.array([0, 2])
        for _ in range(2):
            exe.forward(is_train=True)
            exe.backward()
    for name in a.grad_dict:
        np.testing.assert_allclose(a.grad_dict[name].asnumpy(), b.grad_dict[name].asnumpy(),
                                   rtol=1e-5, atol=1e-6, err_msg=name)
    for name in a.aux_dict:
        np.testing.assert_allclose(a.aux_dict[name].asnumpy(), b.aux_dict[name].asnumpy(),
                                   rtol=1e-6, err_msg=name)


def test_unneeded_gradients_are_dead_code():
    sym = mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=4, name="fc")

    def data_grads(grad_req):
        exe = sym.simple_bind(CPU, grad_req=grad_req, x=(2, 3))
        nodes = [n for n in exe._grad.program.graph.nodes
                 if n.kind == "op" and n.op.name == "_backward_FullyConnected"]
        assert len(nodes) == 1                           # dX, dW and db in one kernel
        return nodes[0].attrs["need_data_grad"]

    assert data_grads("write")                           # dX = G W and dW = G^T X
    assert not data_grads({"fc_weight": "write", "fc_bias": "write"})   # dW only


def test_head_gradients_and_gradient_free_outputs():
    x = mx.sym.var("x")
    sym = mx.sym.Group([x * 2, mx.sym.BlockGrad(x) + 1])
    exe = sym.simple_bind(CPU, x=(3,))
    exe.forward(is_train=True, x=mx.nd.array([1, 2, 3]))
    exe.backward([mx.nd.array([1, 10, 100]), mx.nd.ones((3,))])
    np.testing.assert_allclose(exe.grad_dict["x"].asnumpy(), [2, 20, 200])


def test_operators_without_symbolic_gradients_fall_back_to_the_tape_free_program():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    sym = mx.sym.UpSampling(a, b, scale=2, sample_type="nearest", num_args=2)
    exe, ref = _twin_executors(mx.sym.sum(sym), a=(1, 1, 2, 2), b=(1, 1, 4, 4))
    assert exe._grad is None and exe._train is not None
    for e in (exe, ref):
        e.forward(is_train=True)
        e.backward()
    for name in ("a", "b"):
        np.testing.assert_allclose(exe.grad_dict[name].asnumpy(),
                                   ref.grad_dict[name].asnumpy(), rtol=1e-6)


def test_training_graph_skips_the_first_layers_data_gradient():
    # MXNet's null gradient request: the data needs no gradient, so the compiled
    # backward does not compute Convolution's dX (the costly col2im) at all
    from mxnet.symbol.passes.backward import training_symbol
    data = mx.sym.var("data")
    net = mx.sym.sum(mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="c"))
    flags = lambda wrt: [n.attrs.get("need_data_grad") for n in
                         training_symbol(net, wrt)[0]._nodes()
                         if n.op is not None and n.op.name == "_backward_Convolution"]
    assert flags(["c_weight", "c_bias"]) == ["False"]
    assert flags(["data", "c_weight"]) == [None]
