"""The single-process stores (local, device) against MXNet 1.9.1's behaviour."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import MXNetError

SHAPE = (4, 4)


def _store(keys, kind="local", stype="default"):
    kv = mx.kv.create(kind)
    kv.init(keys, [mx.nd.zeros(SHAPE, stype=stype)] * len(keys))
    return kv


def _value(array):
    return array.asnumpy()


def test_create_names_type_rank_and_workers():
    for name in ("local", "device", "local_allreduce_cpu", "local_allreduce_device"):
        kv = mx.kv.create(name)
        assert (kv.type, kv.rank, kv.num_workers) == (name, 0, 1)
    assert mx.kvstore.create().type == "local"
    assert mx.kv.create("LOCAL").type == "local"
    with pytest.raises(MXNetError, match="Unknown KVStore type 'nope'"):
        mx.kv.create("nope")
    with pytest.raises(TypeError):
        mx.kv.create(3)
    assert mx.kv.create().is_capable("optimizer")
    with pytest.raises(ValueError):
        mx.kv.create().is_capable("teleport")


@pytest.mark.parametrize("key", [3, "a"])
@pytest.mark.parametrize("stype", ["default", "row_sparse"])
def test_push_replaces_and_pull_copies(key, stype):
    kv = _store([key])
    kv.push(key, mx.nd.ones(SHAPE).tostype(stype) * 3)
    out = mx.nd.empty(SHAPE)
    kv.pull(key, out=out)
    np.testing.assert_array_equal(_value(out), 3)
    kv.push(key, mx.nd.ones(SHAPE))              # no updater: the push replaces
    kv.pull(key, out)                            # out may be positional
    np.testing.assert_array_equal(_value(out), 1)


@pytest.mark.parametrize("kind", ["local", "device"])
def test_values_of_several_devices_are_summed(kind):
    kv = _store([3, 5, 7], kind)
    devs = [mx.cpu(i) for i in range(4)]
    kv.push(3, [mx.nd.ones(SHAPE, ctx=d) for d in devs])
    outs = [mx.nd.empty(SHAPE, ctx=d) for d in devs]
    kv.pull(3, out=outs)
    for out, dev in zip(outs, devs):
        assert out.context == dev
        np.testing.assert_array_equal(_value(out), 4)
    # a list of keys, each with one value per device
    kv.push([5, 7], [[mx.nd.ones(SHAPE, ctx=d) * 2 for d in devs]] * 2)
    outs = [[mx.nd.empty(SHAPE, ctx=d) for d in devs] for _ in range(2)]
    kv.pull([5, 7], out=outs)
    for row in outs:
        for out in row:
            np.testing.assert_array_equal(_value(out), 8)


def test_a_key_twice_in_one_push_is_summed():
    kv = _store([3])
    kv.push([3, 3], [mx.nd.ones(SHAPE), mx.nd.ones(SHAPE) * 2])
    out = mx.nd.empty(SHAPE)
    kv.pull(3, out=out)
    np.testing.assert_array_equal(_value(out), 3)


def test_updater_gets_the_key_in_its_own_type():
    seen = []

    def update(key, pushed, stored):
        seen.append(key)
        stored += pushed * 2

    for key in (3, "a"):
        kv = mx.kv.create()
        kv.init(key, mx.nd.ones(SHAPE))
        kv._set_updater(update)
        for _ in range(2):
            kv.push(key, [mx.nd.ones(SHAPE)] * 2)
        out = mx.nd.empty(SHAPE)
        kv.pull(key, out=out)
        np.testing.assert_array_equal(_value(out), 1 + 2 * 2 * 2)
    assert seen == [3, 3, "a", "a"]


def test_set_optimizer_updates_the_stored_weight_and_states_round_trip(tmp_path):
    kv = mx.kv.create()
    kv.init(0, mx.nd.ones(SHAPE))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv.push(0, [mx.nd.ones(SHAPE), mx.nd.ones(SHAPE)])
    out = mx.nd.empty(SHAPE)
    kv.pull(0, out=out)
    np.testing.assert_allclose(_value(out), 1 - 0.1 * 2, rtol=1e-6)
    path = str(tmp_path / "kv.states")
    kv.save_optimizer_states(path)
    other = mx.kv.create()
    other.init(0, mx.nd.ones(SHAPE))
    other.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    other.load_optimizer_states(path)
    for store in (kv, other):            # the momentum came along in the states file
        store.push(0, mx.nd.zeros(SHAPE))
    a, b = mx.nd.empty(SHAPE), mx.nd.empty(SHAPE)
    kv.pull(0, out=a)
    other.pull(0, out=b)
    np.testing.assert_allclose(_value(a), _value(out) - 0.9 * 0.2, rtol=1e-6)
    np.testing.assert_allclose(_value(b), 1 - 0.9 * 0.2, rtol=1e-6)


def test_pushpull_and_broadcast():
    kv = _store([3])
    value = [mx.nd.ones(SHAPE), mx.nd.ones(SHAPE) * 2]
    kv.pushpull(3, value)                      # no out: written back into value
    for v in value:
        np.testing.assert_array_equal(_value(v), 3)
    outs = [mx.nd.empty(SHAPE) for _ in range(2)]
    kv.broadcast(9, mx.nd.ones(SHAPE) * 5, out=outs)
    for out in outs:
        np.testing.assert_array_equal(_value(out), 5)


def test_row_sparse_pull_keeps_only_the_asked_rows():
    kv = mx.kv.create()
    kv.init("e", (mx.nd.arange(16).reshape(SHAPE)).tostype("row_sparse"))
    outs = [mx.nd.zeros(SHAPE).tostype("row_sparse") for _ in range(2)]
    ids = [mx.nd.array([[3, 0], [3, 3]]), mx.nd.array([1])]
    kv.row_sparse_pull("e", out=outs, row_ids=ids)
    full = np.arange(16, dtype=np.float32).reshape(SHAPE)
    for out, rows in zip(outs, ([0, 3], [1])):
        assert out.stype == "row_sparse"
        expected = np.zeros(SHAPE, np.float32)
        expected[rows] = full[rows]
        np.testing.assert_array_equal(_value(out), expected)
    with pytest.raises(MXNetError, match="row_sparse NDArray"):
        kv.row_sparse_pull("e", out=mx.nd.zeros(SHAPE), row_ids=mx.nd.array([1]))


def test_pull_leaves_row_sparse_outputs_unless_asked():
    kv = _store([3])
    kv.push(3, mx.nd.ones(SHAPE) * 7)
    out = (mx.nd.ones(SHAPE) * 2).tostype("row_sparse")
    kv.pull(3, out=out)
    np.testing.assert_array_equal(_value(out), 2)
    kv.pull(3, out=out, ignore_sparse=False)
    np.testing.assert_array_equal(_value(out), 7)


def test_errors_name_the_key():
    kv = _store([3])
    with pytest.raises(MXNetError, match="mixed key types"):
        kv.init("a", mx.nd.ones(SHAPE))
    with pytest.raises(MXNetError, match="mixed key types"):
        kv.push(["a", "b"], [mx.nd.ones(SHAPE)] * 2)
    with pytest.raises(MXNetError, match="duplicate init of key 3"):
        kv.init(3, mx.nd.ones(SHAPE))
    with pytest.raises(MXNetError, match="key 9 has not been initialized"):
        kv.push(9, mx.nd.ones(SHAPE))
    with pytest.raises(MXNetError, match="2 keys but 1 values"):
        kv.push([3, 3], [mx.nd.ones(SHAPE)])
    with pytest.raises(MXNetError, match="no optimizer"):
        kv.save_optimizer_states("never-written.states")


def test_two_bit_compression_sends_thresholds_and_keeps_the_residual():
    with pytest.raises(MXNetError, match="not supported"):
        mx.kv.create("local").set_gradient_compression({"type": "2bit"})
    kv = mx.kv.create("device")
    with pytest.raises(MXNetError, match="Unknown type"):
        kv.set_gradient_compression({"type": "1bit"})
    kv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    kv.init(0, mx.nd.zeros((4,)))
    grad = mx.nd.array([0.3, 0.6, -0.7, -0.2])
    out = mx.nd.empty((4,))
    kv.push(0, grad)
    kv.pull(0, out=out)
    np.testing.assert_allclose(_value(out), [0, 0.5, -0.5, 0])
    kv.push(0, grad)                             # residual 0.3 + 0.3 crosses now
    kv.pull(0, out=out)
    np.testing.assert_allclose(_value(out), [0.5, 0.5, -0.5, 0])


def test_python_stores_register_by_class_name():
    @mx.kvstore.KVStoreBase.register
    class MyTestStore(mx.kvstore.KVStoreBase):
        pass

    assert type(mx.kv.create("MyTestStore")) is MyTestStore
    with pytest.warns(UserWarning, match="overriding"):
        mx.kvstore.KVStoreBase.register(type("MyTestStore", (mx.kvstore.KVStoreBase,), {}))
    del mx.kvstore.KVStoreBase.kv_registry["myteststore"]
