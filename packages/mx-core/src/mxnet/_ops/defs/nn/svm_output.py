"""SVMOutput (MXNet's ``svm_output.cc``): hinge-loss head (L1 or squared L2 SVM)."""
from ...params import Bool, Float
from ...registry import register

PARAMS = (Float("margin", 1.0), Float("regularization_coefficient", 1.0),
          Bool("use_linear", False))


@register("SVMOutput", inputs=("data", "label"), params=PARAMS,
          shape=lambda a, s: ([s[0], s[1] or (s[0][:1] if s[0] else None)], [s[0]]))
def svm_output(xp, data, label, *, margin, regularization_coefficient, use_linear):
    """Support vector machine loss head: the output is the input; the gradient is the
    hinge-loss gradient (``use_linear``: L1-SVM, else L2-SVM) ignoring the head."""
    return data.copy()


@svm_output.gradient
def _(F, inputs, outputs, ograds, **params):
    # true class: -c * [m > x] (L1) or -2c (m - x)+ (L2); others: c [m > -x] or 2c (m + x)+
    return F._internal._backward_SVMOutput(inputs[1], outputs[0], **params), None


@register("_backward_SVMOutput", inputs=("label", "output"), params=PARAMS,
          differentiable=False)
def _backward_svm_output(xp, label, output, *, margin, regularization_coefficient,
                         use_linear):
    """Gradient of SVMOutput with respect to its data."""
    x = output.reshape(output.shape[0], -1)
    is_true = xp.arange(x.shape[1]).reshape(1, -1) == label.reshape(-1, 1).astype("int64")
    c = regularization_coefficient
    if use_linear:
        grad = xp.where(is_true, -c * (margin > x), c * (margin > -x))
    else:
        grad = xp.where(is_true, -2 * c * xp.maximum(margin - x, 0),
                        2 * c * xp.maximum(margin + x, 0))
    return grad.astype(output.dtype).reshape(output.shape)
