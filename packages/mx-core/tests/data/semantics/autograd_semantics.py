# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1 (legacy shapes), recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx, numpy as np
out = []
def show(*xs):
    out.append(" ".join(str(np.round(x.asnumpy(), 5).tolist()) if hasattr(x, 'asnumpy') else str(x) for x in xs))
x = mx.nd.array([[1., 2.], [3., 4.]]); x.attach_grad()
with mx.autograd.record():
    y = x * x + 2 * x
    z = y.sum()
z.backward(); show(x.grad)
# grad_req add
x.attach_grad(grad_req='add')
for _ in range(2):
    with mx.autograd.record():
        y = (x * 3).sum()
    y.backward()
show(x.grad)
# out_grad
x.attach_grad()
with mx.autograd.record():
    y = x * 2
y.backward(mx.nd.array([[1, 0], [0, 1]])); show(x.grad)
# head grads through autograd.backward with multiple heads
a = mx.nd.array([1., 2., 3.]); a.attach_grad()
with mx.autograd.record():
    b = a * a; c = mx.nd.exp(a)
mx.autograd.backward([b, c]); show(a.grad)
# sigmoid / tanh / log / sin second order
for fn in (mx.nd.sigmoid, mx.nd.tanh, mx.nd.log, mx.nd.sin, mx.nd.exp, mx.nd.relu, mx.nd.square, mx.nd.sqrt, mx.nd.reciprocal, mx.nd.abs):
    a = mx.nd.array([0.5, 1.5, 2.5]); a.attach_grad()
    with mx.autograd.record():
        y = fn(a)
        g = mx.autograd.grad(y, [a], create_graph=True)[0]
    g.backward(); show(fn.__name__, g, a.grad)
# states
show(mx.autograd.is_recording(), mx.autograd.is_training())
with mx.autograd.record():
    show(mx.autograd.is_recording(), mx.autograd.is_training())
    with mx.autograd.pause():
        show(mx.autograd.is_recording(), mx.autograd.is_training())
    with mx.autograd.predict_mode():
        show(mx.autograd.is_recording(), mx.autograd.is_training())
with mx.autograd.record(train_mode=False):
    show(mx.autograd.is_recording(), mx.autograd.is_training())
with mx.autograd.train_mode():
    show(mx.autograd.is_recording(), mx.autograd.is_training())
show(mx.autograd.set_recording(True), mx.autograd.set_recording(False), mx.autograd.set_training(True), mx.autograd.set_training(False))
# detach / pause inside
a = mx.nd.array([1., 2.]); a.attach_grad()
with mx.autograd.record():
    b = a * 2
    c = b.detach() * a
c.backward(); show(a.grad)
# mark_variables
v = mx.nd.array([1., 2.]); gv = mx.nd.zeros((2,))
mx.autograd.mark_variables([v], [gv])
with mx.autograd.record():
    w = (v * v).sum()
w.backward(); show(gv)
# broadcasting grads
p = mx.nd.array([[1., 2., 3.]]); q = mx.nd.array([[1.], [2.]]); p.attach_grad(); q.attach_grad()
with mx.autograd.record():
    r = (p * q + p / q - q).sum()
r.backward(); show(p.grad, q.grad)
# retain_graph
a = mx.nd.array([1., 2.]); a.attach_grad()
with mx.autograd.record():
    b = (a * a).sum()
b.backward(retain_graph=True); b.backward(); show(a.grad)
try:
    b.backward()
    show("no error")
except mx.base.MXNetError:
    show("MXNetError")
# indexing grads
a = mx.nd.arange(6).reshape((2, 3)); a.attach_grad()
with mx.autograd.record():
    y = a[1] * 2 + a[:, 1].sum() + a[0, 2]
y.backward(); show(a.grad)
# Function
class Sig(mx.autograd.Function):
    def forward(self, x):
        y = 1 / (1 + mx.nd.exp(-x)); self.save_for_backward(y); return y
    def backward(self, dy):
        y, = self.saved_tensors; return dy * y * (1 - y)
a = mx.nd.array([0., 1.]); a.attach_grad()
with mx.autograd.record():
    y = Sig()(a)
y.backward(); show(y, a.grad)
# grad of unused variable with grad()
a = mx.nd.array([1., 2.]); b2 = mx.nd.array([3., 4.]); a.attach_grad(); b2.attach_grad()
with mx.autograd.record():
    y = a * 2
try:
    mx.autograd.grad(y, [a, b2]); show("no error")
except mx.base.MXNetError:
    show("MXNetError")
show(mx.autograd.grad(y, [a])[0])
# grad write overwrites
a = mx.nd.array([1., 2.]); a.attach_grad()
for k in (2, 3):
    with mx.autograd.record():
        y = a * k
    y.backward()
show(a.grad)
for line in out: print(line)
