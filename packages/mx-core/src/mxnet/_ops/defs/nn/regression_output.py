"""Regression loss heads (MXNet's ``regression_output.cc``): Linear, Logistic and MAE.

The forward is the prediction; the backward ignores the head gradient and returns the
loss gradient ``grad_scale / num_output * dloss/dpred``."""
from ...params import Float
from ...registry import register

PARAMS = (Float("grad_scale", 1.0),)


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    return [data, in_shapes[1] or data], [data]


def _declare(name, link, grad_of, doc):
    def forward(xp, data, label, *, grad_scale):
        return link(xp, data)
    forward.__doc__ = doc
    op = register(name, inputs=("data", "label"), params=PARAMS, shape=_shape)(forward)

    @op.gradient
    def _(F, inputs, outputs, ograds, grad_scale):
        # d/dx = grad_scale / num_output * (pred - label) (sign of it for MAE)
        back = getattr(F._internal, f"_backward_{name}")
        return back(inputs[1], outputs[0], grad_scale=grad_scale), None

    def backward(xp, label, output, *, grad_scale):
        num_output = label.size // label.shape[0] if label.ndim else 1
        diff = grad_of(xp, output - label.reshape(output.shape))
        return (diff * (grad_scale / num_output)).astype(output.dtype, copy=False)
    backward.__doc__ = f"Gradient of {name}."
    register(f"_backward_{name}", inputs=("label", "output"), params=PARAMS,
             differentiable=False)(backward)
    return op


def _sigmoid(xp, x):
    return 1 / (1 + xp.exp(-x))


_declare("LinearRegressionOutput", lambda xp, x: x.copy(), lambda xp, d: d,
         "Least-squares regression head: the output is the input.")
_declare("LogisticRegressionOutput", _sigmoid, lambda xp, d: d,
         "Logistic regression head: the output is sigmoid(input).")
_declare("MAERegressionOutput", lambda xp, x: x.copy(), lambda xp, d: xp.sign(d),
         "Mean-absolute-error regression head: the output is the input.")
