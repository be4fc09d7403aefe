# Run by tests/test_semantics_vs_mxnet.py; the .expected file is this script's output under
# the real MXNet 1.9.1 (legacy shapes), recorded with /work/ref (python -m venv; mxnet==1.9.1).
import mxnet as mx
cases = [((2,3,4),(0,-1)),((2,3,4),(-1,)),((2,3,4),(-2,)),((2,3,4),(-3,4)),((2,3,4),(-4,1,2,-2)),((2,3,4),(2,-4,-1,3,4)),((2,3,4),(0,0,-1)),((2,3,4),(4,-1)),((2,3,4),(-1,0),True),((2,3,4),(-3,-1)),((2,3,4),(6,1,-1)),((8,3),(-4,2,-1,0)),((2,3,4,5),(-4,1,-1,-3,0)),((2,3,4),(0,-4,3,-1),True)]
for c in cases:
    shape, code = c[0], c[1]; rev = c[2] if len(c) > 2 else False
    try:
        print(shape, code, rev, mx.nd.zeros(shape).reshape(code, reverse=rev).shape)
    except Exception as e:
        print(shape, code, rev, 'ERR', type(e).__name__)
