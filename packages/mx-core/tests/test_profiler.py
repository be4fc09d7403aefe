"""mx.profiler: configuration, operator timing, user objects, trace and statistics."""
import json

import numpy as np
import pytest

import mxnet as mx
from mxnet import profiler
from mxnet.base import MXNetError


@pytest.fixture
def prof(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(profile_all=True, aggregate_stats=True, filename=str(path))
    profiler.dumps(reset=True)
    profiler.set_state("run")
    yield path
    profiler.dump(True)      # leaves no events behind for the next test
    profiler.set_state("stop")
    profiler.dumps(reset=True)
    profiler.set_config(profile_all=False, aggregate_stats=False, filename="profile.json")


def test_config_and_state_errors():
    with pytest.raises(MXNetError, match="bogus"):
        profiler.set_config(bogus=1)
    with pytest.raises(KeyError):
        profiler.set_state("walk")
    with pytest.raises(MXNetError):
        profiler.dumps(format="xml")
    with pytest.raises(MXNetError):
        profiler.dumps(sort_by="median")


def test_operators_are_counted(prof):
    x = mx.nd.zeros((4, 4))
    y = mx.nd.sqrt(x)
    x = x + 1
    x = x + 1
    stats = json.loads(profiler.dumps(format="json"))
    ops = stats["Time"]["operator"]
    assert ops["sqrt"]["Count"] == 1 and ops["_plus_scalar"]["Count"] == 2
    assert set(ops["sqrt"]) == {"Count", "Total", "Min", "Max", "Avg"}
    assert stats["Unit"] == {"Time": "ms", "Memory": "kB"} and "Memory" in stats
    assert "operator" in profiler.dumps() and "sqrt" in profiler.dumps()
    assert y.asnumpy().sum() == 0


def test_stopping_restores_the_kernels():
    op = mx.nd._REGISTRY.get("sqrt")
    original = op.forward
    profiler.set_config(profile_imperative=True)
    profiler.set_state("run")
    assert op.forward is not original
    profiler.set_state("stop")
    assert op.forward is original
    profiler.set_config(profile_imperative=False)


def test_pause_skips_records(prof):
    profiler.pause()
    mx.nd.sqrt(mx.nd.ones((2,)))
    profiler.resume()
    mx.nd.exp(mx.nd.ones((2,)))
    ops = json.loads(profiler.dumps(format="json"))["Time"]["operator"]
    assert "sqrt" not in ops and ops["exp"]["Count"] == 1


def test_custom_operator_calls_are_grouped(prof):
    class AddOne(mx.operator.CustomOp):
        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] + 1)

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], out_grad[0])

    @mx.operator.register("ProfAddOne")
    class AddOneProp(mx.operator.CustomOpProp):
        def __init__(self):
            super().__init__(need_top_grad=True)

        def create_operator(self, ctx, shapes, dtypes):
            return AddOne()

    x = mx.nd.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Custom(x, op_type="ProfAddOne")
    y.backward()
    assert y.asnumpy().tolist() == [2.0, 3.0] and x.grad.asnumpy().tolist() == [1.0, 1.0]
    custom = json.loads(profiler.dumps(format="json"))["Time"]["Custom Operator"]
    assert {"ProfAddOne::pure_python", "ProfAddOne::_plus_scalar",
            "_backward_ProfAddOne::pure_python"} <= set(custom)


def test_user_objects_and_sorting(prof):
    dom = profiler.Domain("UserDomain")
    task = dom.new_task("work")
    task.start()
    task.stop()
    frame = profiler.Frame(dom, "iter")
    frame.start()
    frame.stop()
    event = profiler.Event("evt")
    event.start()
    event.stop()
    counter = profiler.Counter(dom, "ctr", 5)
    counter += 3
    counter -= 1
    profiler.Marker(dom, "here").mark("process")
    with pytest.raises(MXNetError):
        profiler.Marker(dom, "bad").mark("universe")
    times = json.loads(profiler.dumps(format="json", sort_by="count", ascending=True))["Time"]
    assert times["UserDomain"]["work"]["Count"] == 1
    assert times["UserDomain"]["ctr"]["Count"] == 3
    assert times["UserDomain,frame"]["iter"]["Count"] == 1
    assert times["event"]["evt"]["Count"] == 1
    assert "UserDomain,instant_marker" in times
    counts = [v["Count"] for v in times["UserDomain"].values()]
    assert counts == sorted(counts)
    assert str(dom) == "UserDomain" and str(task) == "work" and str(counter) == "ctr"


def test_continuous_dump_appends_then_completes(prof):
    profiler.Event("a").start()
    mx.nd.ones((2,)).asnumpy()
    profiler.dump(False)
    size = prof.stat().st_size
    mx.nd.sqrt(mx.nd.ones((2,)))
    profiler.Counter(profiler.Domain("D"), "c", 1)
    profiler.dump(False)
    assert prof.stat().st_size > size
    profiler.dump(True)
    trace = json.loads(prof.read_text())
    assert trace["displayTimeUnit"] == "ms"
    names = [(e["name"], e["ph"]) for e in trace["traceEvents"]]
    assert ("sqrt", "B") in names and ("sqrt", "E") in names and ("c", "C") in names
    counter = next(e for e in trace["traceEvents"] if e["ph"] == "C" and e["name"] == "c")
    assert counter["args"] == {"c": 1}


def test_scope_nests_names():
    with profiler.Scope("outer"):
        assert profiler.Scope._current.value == "outer:"
        with profiler.Scope("inner", append_mode=True):
            assert profiler.Scope._current.value == "outer:inner:"
        assert profiler.Scope._current.value == "outer:"


def test_results_unchanged_while_profiling(prof):
    a = np.arange(6, dtype="float32").reshape(2, 3)
    out = mx.nd.dot(mx.nd.array(a), mx.nd.array(a.T)).asnumpy()
    np.testing.assert_allclose(out, a @ a.T)
