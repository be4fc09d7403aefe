# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1, recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx
out = []
data = mx.sym.var('data')
fc = mx.sym.FullyConnected(data=data, num_hidden=10)
act = mx.sym.Activation(fc, act_type='relu')
fc2 = mx.sym.FullyConnected(act, num_hidden=3, no_bias=True)
out.append(str(fc2.list_arguments()) + str(fc2.list_outputs()) + str(fc2.name))
with mx.name.Prefix('net_'):
    x = mx.sym.FullyConnected(data, num_hidden=2)
out.append(x.name + str(x.list_arguments()))
with mx.AttrScope(ctx_group='g1', custom='x'):
    y = mx.sym.relu(data, name='r')
out.append(str(sorted(y.list_attr().items())) + str(y.attr('ctx_group')) + str(y.attr('custom')))
v = mx.sym.var('w', shape=(3, 4), lr_mult=2.0, wd_mult=0.5, dtype='float16')
out.append(str(sorted(v.list_attr().items())))
a = mx.sym.var('a'); b = mx.sym.var('b')
c = a + b * 2 - 1
out.append(str(c.list_arguments()) + c.name + str([s.name for s in c.get_internals()]))
out.append(str((a / b).name) + str((2 / a).name) + str((a ** 2).name) + str((-a).name) + str((a > b).name))
g = mx.sym.Group([c, a * b])
out.append(str(g.list_outputs()) + str(len(g)) + str(g[1].name))
sp = mx.sym.split(data, num_outputs=3, axis=1, name='sp')
out.append(str(sp.list_outputs()) + str(len(sp)) + str(sp[2].name))
out.append(str(sp.infer_shape(data=(2, 6))))
bn = mx.sym.BatchNorm(data, name='bn')
out.append(str(bn.list_arguments()) + str(bn.list_auxiliary_states()) + str(bn.list_outputs()) + str(bn.infer_shape(data=(2, 3, 4, 4))))
comp = fc2(data=mx.sym.var('other'))
out.append(str(comp.list_arguments()))
net = mx.sym.var('x') * 2
net2 = net(x=mx.sym.var('y') + 1)
out.append(str(net2.list_arguments()))
out.append(str(fc2.infer_shape_partial()))
out.append(str(fc2.get_children().list_outputs()) + str(data.get_children()))
out.append(str(fc2.get_internals()['fullyconnected0_output'].list_outputs()))
conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=8, pad=(1, 1), name='conv')
out.append(str(conv.infer_shape(data=(2, 3, 8, 8))))
out.append(str(mx.sym.softmax(conv, axis=1).infer_type(data='float64')))
so = mx.sym.SoftmaxOutput(fc2, name='softmax')
out.append(str(so.list_arguments()) + str(so.infer_shape(data=(4, 5))))
e = (data * 2).eval(data=mx.nd.ones((2,)))
out.append(str(e[0].asnumpy().tolist()))
for line in out: print(line)
