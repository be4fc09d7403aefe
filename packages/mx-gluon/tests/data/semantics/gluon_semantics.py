# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1, recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx
import numpy as np
from mxnet import gluon, autograd
from mxnet.gluon import nn
out = []
net = nn.HybridSequential()
with net.name_scope():
    net.add(nn.Dense(4, activation='relu'), nn.Dense(2))
out.append(net.prefix + str(list(net.collect_params().keys())))
net2 = nn.HybridSequential(prefix='model_')
with net2.name_scope():
    net2.add(nn.Conv2D(3, 3), nn.BatchNorm(), nn.MaxPool2D(), nn.Flatten(), nn.Dense(5))
out.append(str(list(net2.collect_params().keys())))
out.append(str(list(net2.collect_params('.*weight').keys())))
out.append(str(sorted(net2._collect_params_with_prefix().keys())))
d = nn.Dense(3, in_units=2, prefix='d_')
out.append(repr(d) + ' | ' + repr(d.weight) + ' | ' + repr(nn.Dense(5)))
out.append(repr(net2))
net.initialize(mx.init.One())
x = mx.nd.array([[1., 2., 3.]])
out.append(str(net(x).asnumpy().tolist()))
out.append(str([(k, v.shape) for k, v in net.collect_params().items()]))
p = gluon.Parameter('w', shape=(2, 0), allow_deferred_init=True)
out.append(repr(p))
try:
    p.data()
except RuntimeError as e:
    out.append(type(e).__name__ + ': ' + str(e)[:60])
c = gluon.Constant('c', [1, 2])
out.append(repr(c) + c.grad_req)
class Net(gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.fc = nn.Dense(2, in_units=3)
            self.scale = self.params.get('scale', shape=(1,), init=mx.init.Constant(2.0))
    def hybrid_forward(self, F, x, scale):
        return F.broadcast_mul(self.fc(x), scale)
n = Net(prefix='net_')
n.initialize(mx.init.One())
out.append(str(n(x).asnumpy().tolist()) + str(list(n.collect_params().keys())))
n.hybridize()
out.append(str(n(x).asnumpy().tolist()))
l2 = gluon.loss.L2Loss(); l1 = gluon.loss.L1Loss(); sce = gluon.loss.SoftmaxCrossEntropyLoss()
pred = mx.nd.array([[0.1, 0.9, 0.3], [0.7, 0.2, 0.5]]); lab = mx.nd.array([1, 2])
out.append(str(np.round(sce(pred, lab).asnumpy(), 5).tolist()) + str(np.round(l2(pred, pred * 2).asnumpy(), 5).tolist()) + str(np.round(l1(pred, pred * 0).asnumpy(), 5).tolist()))
bce = gluon.loss.SigmoidBCELoss(); out.append(str(np.round(bce(pred, mx.nd.array([[0, 1, 0], [1, 0, 1]])).asnumpy(), 5).tolist()))
hub = gluon.loss.HuberLoss(); out.append(str(np.round(hub(pred * 3, mx.nd.zeros((2, 3))).asnumpy(), 5).tolist()))
kl = gluon.loss.KLDivLoss(from_logits=False); out.append(str((np.round(kl(pred, mx.nd.softmax(pred)).asnumpy(), 4) + 0.0).tolist()))
out.append(str(np.round(gluon.loss.HingeLoss()(pred, mx.nd.array([[1, -1, 1], [-1, 1, 1]])).asnumpy(), 5).tolist()))
out.append(str(np.round(gluon.loss.LogisticLoss()(pred, mx.nd.array([[1, -1, 1], [-1, 1, 1]])).asnumpy(), 5).tolist()))
out.append(str(np.round(gluon.loss.TripletLoss()(pred, pred + 0.1, pred - 0.3).asnumpy(), 5).tolist()))
out.append(str(np.round(gluon.loss.CosineEmbeddingLoss()(pred, pred[::-1], mx.nd.array([1, -1])).asnumpy(), 5).tolist()))
out.append(str(np.round(gluon.loss.PoissonNLLLoss()(pred, mx.nd.array([[1, 2, 0], [0, 1, 3]])).asnumpy(), 5).tolist()))
out.append(repr(sce))
for line in out: print(line)
