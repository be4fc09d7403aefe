"""``_ops/defs/histogram.py`` and the ``mx.nd.histogram`` front-end."""

import numpy as np

import mxnet as mx


RNG = np.random.RandomState(53)
nd = mx.nd


def _nd(x):
    return nd.array(x, dtype=x.dtype)


def infer(fn, shapes, **kwargs):
    op = fn.opdef
    return op.shape_rule(op.parse(kwargs), list(shapes))[1]



def test_histogram_with_range():
    a = np.array([0.0, 0.1, 0.5, 0.99, 1.0, 1.5, -0.2], dtype=np.float32)
    counts, edges = nd.histogram(_nd(a), bins=4, range=(0.0, 1.0))
    ref_counts, ref_edges = np.histogram(a, bins=4, range=(0.0, 1.0))
    assert counts.dtype == np.int64 and edges.dtype == np.float32
    np.testing.assert_array_equal(counts.asnumpy(), ref_counts)
    np.testing.assert_allclose(edges.asnumpy(), ref_edges)


def test_histogram_with_edges_and_default_range():
    a = RNG.uniform(-1, 2, 50).astype(np.float32)
    bins = np.array([-1.0, 0.0, 0.5, 2.0], dtype=np.float32)
    counts, edges = nd.histogram(_nd(a), _nd(bins))
    np.testing.assert_array_equal(counts.asnumpy(), np.histogram(a, bins)[0])
    np.testing.assert_array_equal(edges.asnumpy(), bins)
    counts, edges = nd.histogram(_nd(a), bins=5)
    ref_counts, ref_edges = np.histogram(a, bins=5)
    assert counts.dtype == np.float32          # MXNet's NumPy fallback returns floats
    np.testing.assert_array_equal(counts.asnumpy(), ref_counts)
    np.testing.assert_allclose(edges.asnumpy(), ref_edges, rtol=1e-6)
