"""mx.operator: MXNet's CustomOp API run through the ``Custom`` operator."""
import numpy as np
import pytest

import mxnet as mx

RNG = np.random.default_rng(3)


# -- MXNet's classic example: a softmax loss written in NumPy ----------------------------
class Softmax(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        x = in_data[0].asnumpy()
        y = np.exp(x - x.max(axis=1).reshape((x.shape[0], 1)))
        y /= y.sum(axis=1).reshape((x.shape[0], 1))
        self.assign(out_data[0], req[0], mx.nd.array(y))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        label = in_data[1].asnumpy().ravel().astype(np.int64)
        y = out_data[0].asnumpy()
        y[np.arange(label.shape[0]), label] -= 1.0
        self.assign(in_grad[0], req[0], mx.nd.array(y))


@mx.operator.register("test_softmax")
class SoftmaxProp(mx.operator.CustomOpProp):
    def __init__(self):
        super().__init__(need_top_grad=False)

    def list_arguments(self):
        return ["data", "label"]

    def list_outputs(self):
        return ["output"]

    def infer_shape(self, in_shape):
        return [in_shape[0], (in_shape[0][0],)], [in_shape[0]], []

    def create_operator(self, ctx, shapes, dtypes):
        return Softmax()


def test_custom_softmax_forward_and_backward():
    x = RNG.standard_normal((3, 5)).astype(np.float32)
    label = np.array([0, 4, 2], np.float32)
    data = mx.nd.array(x)
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.Custom(data, mx.nd.array(label), op_type="test_softmax")
    out.backward()
    e = np.exp(x - x.max(1, keepdims=True))
    expected = e / e.sum(1, keepdims=True)
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(data.grad.asnumpy(), expected - np.eye(5)[[0, 4, 2]],
                               rtol=1e-6, atol=1e-7)


# -- auxiliary states, string kwargs, several outputs, own dtypes ------------------------
class Scale(mx.operator.CustomOp):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, is_train, req, in_data, out_data, aux):
        x = in_data[0]
        self.assign(out_data[0], req[0], x * self.factor)
        self.assign(out_data[1], req[1], x.sum(axis=1).astype("float64"))
        if is_train:
            aux[0][:] += 1      # counts training calls, in place

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        n = in_data[0].shape[1]
        rows = out_grad[1].astype("float32").reshape((-1, 1)).broadcast_to((0, n))
        self.assign(in_grad[0], req[0], out_grad[0] * self.factor + rows)


@mx.operator.register("test_scale")
class ScaleProp(mx.operator.CustomOpProp):
    seen = []

    def __init__(self, factor="1", flag="False"):
        super().__init__()
        ScaleProp.seen.append((factor, flag))
        self.factor = float(factor)

    def list_outputs(self):
        return ["scaled", "rowsum"]

    def list_auxiliary_states(self):
        return ["count"]

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0], [in_shape[0][0]]], [[1]]

    def infer_type(self, in_type):
        return in_type, [in_type[0], np.float64], [in_type[0]]

    def create_operator(self, ctx, shapes, dtypes):
        assert ctx == mx.cpu() and shapes == [[2, 3], [1]] and dtypes == [0, 0]
        return Scale(self.factor)


def test_aux_states_kwargs_and_outputs():
    x = mx.nd.array(RNG.standard_normal((2, 3)))
    count = mx.nd.zeros((1,))
    x.attach_grad()
    with mx.autograd.record():
        scaled, rowsum = mx.nd.Custom(x, count, op_type="test_scale", factor=2.5,
                                      flag=True)
    assert ScaleProp.seen[-1] == ("2.5", "True")     # MXNet passes strings
    assert rowsum.dtype == np.float64 and rowsum.shape == (2,)
    np.testing.assert_allclose(scaled.asnumpy(), 2.5 * x.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(rowsum.asnumpy(), x.asnumpy().sum(1), rtol=1e-6)
    assert count.asscalar() == 1
    mx.autograd.backward([scaled, rowsum],
                         [mx.nd.ones((2, 3)), mx.nd.array([1.0, 2.0], dtype="float64")])
    np.testing.assert_allclose(x.grad.asnumpy(), [[3.5] * 3, [4.5] * 3])
    with mx.autograd.predict_mode():
        mx.nd.Custom(x, count, op_type="test_scale", factor=2.5)
    assert count.asscalar() == 1


def test_shape_and_dtype_rules_use_the_prop():
    op = mx.nd.Custom.opdef
    attrs = op.parse({"op_type": "test_scale", "factor": 3})
    assert op.input_names(attrs) == ("data", "count")
    assert op.num_outputs(attrs) == 2
    assert op.shape_rule(attrs, [(4, 2), (1,)]) == ([(4, 2), (1,)], [(4, 2), (4,)])
    assert op.shape_rule(attrs, [None, (1,)])[1] == [None, None]
    assert op.dtype_rule(attrs, ["float32", "float32"])[1] == ["float32", "float64"]


# -- gradient correctness against finite differences ------------------------------------
class Cube(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], in_data[0] ** 3 * in_data[1])

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        x, w = in_data
        self.assign(in_grad[0], req[0], out_grad[0] * 3 * x ** 2 * w)
        self.assign(in_grad[1], req[1], out_grad[0] * x ** 3)


@mx.operator.register("test_cube")
class CubeProp(mx.operator.CustomOpProp):
    def list_arguments(self):
        return ["x", "w"]

    def create_operator(self, ctx, shapes, dtypes):
        return Cube()


def test_gradient_matches_finite_differences():
    x0 = RNG.standard_normal((2, 3))
    w0 = RNG.standard_normal((2, 3))
    head = RNG.standard_normal((2, 3))

    def f(x, w):     # a recorded op before and after the custom one
        return mx.nd.tanh(mx.nd.Custom(x * 2, w, op_type="test_cube"))

    x, w = mx.nd.array(x0, dtype="float64"), mx.nd.array(w0, dtype="float64")
    x.attach_grad()
    w.attach_grad()
    with mx.autograd.record():
        y = f(x, w)
    y.backward(mx.nd.array(head, dtype="float64"))
    for k, (arr, base) in enumerate([(x, x0), (w, w0)]):
        num = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            vals = []
            for sign in (1, -1):
                args = [x0.copy(), w0.copy()]
                args[k][idx] += sign * 1e-6
                out = f(*[mx.nd.array(a, dtype="float64") for a in args]).asnumpy()
                vals.append((out * head).sum())
            num[idx] = (vals[0] - vals[1]) / 2e-6
        np.testing.assert_allclose(arr.grad.asnumpy(), num, rtol=1e-5, atol=1e-8)


# -- API details and errors ---------------------------------------------------------------
def test_assign_req():
    op = mx.operator.CustomOp()
    dst = mx.nd.ones((2,))
    op.assign(dst, "add", mx.nd.array([1.0, 2.0]))
    np.testing.assert_array_equal(dst.asnumpy(), [2.0, 3.0])
    op.assign(dst, "null", mx.nd.zeros((2,)))
    op.assign(dst, "write", mx.nd.array([5.0, 6.0]))
    np.testing.assert_array_equal(dst.asnumpy(), [5.0, 6.0])


def test_prop_defaults():
    prop = mx.operator.CustomOpProp()
    assert prop.list_arguments() == ["data"] and prop.list_outputs() == ["output"]
    assert prop.infer_shape([[2, 3]]) == ([[2, 3]], ([2, 3],), ())
    assert prop.infer_type([np.float32]) == ([np.float32], [np.float32], [])
    assert prop.declare_backward_dependency([1], [2], [3]) == [1, 2, 3]
    assert mx.operator.CustomOpProp(need_top_grad=False).declare_backward_dependency(
        [1], [2], [3]) == [2, 3]


def test_errors():
    with pytest.raises(mx.MXNetError, match="no_such_op"):
        mx.nd.Custom(mx.nd.ones((2,)), op_type="no_such_op")
    with pytest.raises(mx.MXNetError, match="expected 2 inputs"):
        mx.nd.Custom(mx.nd.ones((2,)), op_type="test_cube")
    with pytest.raises(mx.MXNetError, match="CustomOpProp"):
        mx.operator.register("bad")(object)
