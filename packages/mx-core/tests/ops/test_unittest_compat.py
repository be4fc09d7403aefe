"""Operator behaviours found by running MXNet 1.9.1's test_operator.py and
test_contrib_operator.py; expected values come from the real MXNet 1.9.1."""
import numpy as np
import pytest

import mxnet as mx
from mxnet.base import KernelError, MXNetError


def test_contrib_namespaces_alias_the_operator_modules():
    assert mx.contrib.nd.box_iou is mx.nd.contrib.box_iou
    assert mx.contrib.ndarray is mx.nd.contrib


def test_box_nms_background_id_only_drops_that_class():
    boxes = mx.nd.array([[0, 0.5, 0.1, 0.1, 0.2, 0.2], [0, 0.4, 0.1, 0.1, 0.2, 0.2],
                         [1, 0.3, 0.1, 0.1, 0.14, 0.14], [-1, 0.6, 0.5, 0.5, 0.7, 0.8]])
    out = mx.nd.contrib.box_nms(boxes, force_suppress=False, background_id=0, id_index=0)
    np.testing.assert_array_equal(out.asnumpy()[:, 0], [-1, 1, -1, -1])
    np.testing.assert_allclose(out.asnumpy()[0, 1], 0.6)    # the id -1 box is kept


@pytest.mark.parametrize("kwargs, rows, cols", [
    (dict(threshold=0.5), [1, -1, -1], [-1, 0]),
    (dict(threshold=0.1, topk=1), [1, 0, -1], [1, 0]),          # topk=k keeps k + 1
    (dict(threshold=0.4, is_ascend=True), [-1, 1, 0], [2, 1]),
])
def test_bipartite_matching_matches_mxnet(kwargs, rows, cols):
    x = mx.nd.array([[0.5, 0.6], [0.5, 0.2], [0.3, 0.4]])
    r, c = mx.nd.contrib.bipartite_matching(x, **kwargs)
    np.testing.assert_array_equal(r.asnumpy(), rows)
    np.testing.assert_array_equal(c.asnumpy(), cols)
    assert r.dtype == np.float32


def test_prelu_gamma_with_several_axes_lines_up_with_leading_axes():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (3, 4, 2, 5)).astype(np.float32)
    g = rng.uniform(0, 1, (3, 4)).astype(np.float32)
    xa, ga = mx.nd.array(x), mx.nd.array(g)
    xa.attach_grad()
    ga.attach_grad()
    with mx.autograd.record():
        y = mx.nd.LeakyReLU(xa, ga, act_type="prelu")
    y.backward()
    gfull = g[:, :, None, None]
    np.testing.assert_allclose(y.asnumpy(), np.where(x > 0, x, gfull * x), rtol=1e-6)
    np.testing.assert_allclose(ga.grad.asnumpy(), np.where(x > 0, 0, x).sum(axis=(2, 3)),
                               rtol=1e-5)


def test_sync_batch_norm_returns_the_variance_and_updates_moving_stats():
    rng = np.random.default_rng(1)
    x = rng.uniform(size=(4, 3, 5)).astype(np.float32)
    mm, mv = mx.nd.zeros(3), mx.nd.ones(3)
    data = mx.nd.array(x)
    data.attach_grad()
    with mx.autograd.record():
        out, mean, var = mx.nd.contrib.SyncBatchNorm(
            data, mx.nd.array([1., 2, 3]), mx.nd.array([.5, 0, 1]), mm, mv, key="k",
            output_mean_var=True, fix_gamma=False)
    out.backward()
    np.testing.assert_allclose(mean.asnumpy(), x.mean(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(var.asnumpy(), x.var(axis=(0, 2)), rtol=1e-4)
    np.testing.assert_allclose(mm.asnumpy(), 0.1 * x.mean(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(mv.asnumpy(), 0.9 + 0.1 * x.var(axis=(0, 2)), rtol=1e-5)


def test_reshape_reverse_reads_minus_four_from_the_reversed_codes():
    assert mx.nd.ones((64,)).reshape((16, 4, -4), reverse=True).shape == (16, 4)
    assert mx.nd.ones((1, 2, 3, 64)).reshape((-2, -1, 16, -4), reverse=True).shape == \
        (1, 2, 3, 4, 16)
    with pytest.raises(MXNetError, match="-4"):
        mx.nd.ones((6, 4)).reshape((-4, 2, 3, 0), reverse=True)


def test_reshape_deprecated_target_shape():
    x = mx.nd.ones((2, 3, 5, 5))
    assert mx.nd.Reshape(x, target_shape=(2, 0)).shape == (2, 75)
    assert mx.nd.Reshape(x, target_shape=(7, 0, 5), keep_highest=True).shape == (2, 15, 5)


def test_arange_integer_dtype_casts_start_and_step_first():
    out = mx.nd.arange(1.3, 456.6, 1.3, dtype="int32")
    assert out.shape == (351,)
    np.testing.assert_array_equal(out.asnumpy()[-3:], [349, 350, 351])
    np.testing.assert_array_equal(mx.nd.arange(-1.5, 3, 0.7, dtype="uint8").asnumpy(),
                                  [255] * 7)


def test_integer_mod_has_zero_gradient():
    for dtype, expected in (("int32", [0, 0, 0]), ("float32", [1, 1, 1])):
        a = mx.nd.array([5, 7, 9], dtype=dtype)
        a.attach_grad()
        with mx.autograd.record():
            y = mx.nd.broadcast_mod(a, mx.nd.array([2, 3, 4], dtype=dtype))
        y.backward(mx.nd.ones((3,), dtype=dtype))
        np.testing.assert_array_equal(a.grad.asnumpy(), expected)


@pytest.mark.parametrize("reps", [(1, 2, -3), (1, 0, 3)])
def test_tile_rejects_non_positive_reps(reps):
    with pytest.raises(MXNetError, match="reps"):
        mx.nd.tile(mx.nd.arange(16).reshape((4, 4)), reps)


def test_take_raise_mode_reports_when_the_result_is_read():
    out = mx.nd.take(mx.nd.ones((3, 4)), mx.nd.array([0, 7]), axis=1, mode="raise")
    with pytest.raises(KernelError, match="out of range"):
        out.asnumpy()


def test_quantize_dequantize_int8_and_uint8():
    a = mx.nd.array([[0.1392, -0.5928], [0.6027, 0.8579]])
    q, lo, hi = mx.nd.contrib.quantize(a, mx.nd.array([-0.6]), mx.nd.array([1.0]),
                                       out_type="int8")
    assert q.dtype == np.int8
    np.testing.assert_array_equal(q.asnumpy(), [[18, -75], [77, 109]])
    np.testing.assert_array_equal([lo.asscalar(), hi.asscalar()], [-1.0, 1.0])
    back = mx.nd.contrib.dequantize(q, lo, hi, out_type="float32")
    np.testing.assert_allclose(back.asnumpy(), q.asnumpy() / 127.0, rtol=1e-6)
    # uint8 follows MXNet's documented native formula (the MKLDNN build differs)
    q8, lo8, hi8 = mx.nd.contrib.quantize(a, mx.nd.array([-0.6]), mx.nd.array([1.0]))
    np.testing.assert_array_equal(q8.asnumpy(), [[118, 1], [192, 232]])
    np.testing.assert_allclose(mx.nd.contrib.dequantize(q8, lo8, hi8).asnumpy(),
                               -0.6 + q8.asnumpy() * 1.6 / 255, rtol=1e-5)


class _Sqr(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        aux[0][:] = 1
        self.assign(out_data[0], req[0], in_data[0] * in_data[0])

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        self.assign(in_grad[0], req[0], 2 * in_data[0] * out_grad[0])


@mx.operator.register("_ut_compat_sqr")
class _SqrProp(mx.operator.CustomOpProp):
    def list_auxiliary_states(self):
        return ["aux"]

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0]], [in_shape[0]]

    def create_operator(self, ctx, shapes, dtypes):
        return _Sqr()


class _Broken(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        raise AssertionError("user bug")


@mx.operator.register("_ut_compat_broken")
class _BrokenProp(mx.operator.CustomOpProp):
    def create_operator(self, ctx, shapes, dtypes):
        return _Broken()


def test_custom_op_user_exceptions_become_mxnet_errors():
    with pytest.raises(MXNetError, match="user bug"):
        mx.nd.Custom(mx.nd.ones((2,)), op_type="_ut_compat_broken").wait_to_read()


def test_custom_op_aux_states_are_auxiliary_in_symbols():
    sym = pytest.importorskip("mxnet.symbol")
    op = sym.Custom(data=sym.var("data"), aux=sym.var("aux"), op_type="_ut_compat_sqr")
    assert op.list_arguments() == ["data"]
    assert op.list_auxiliary_states() == ["aux"]
    x = np.arange(4.0).reshape(2, 2)
    mx.test_utils.check_numeric_gradient(op, [x], [np.zeros((2, 2))])


class _Twice(mx.operator.NumpyOp):
    def __init__(self):
        super().__init__(need_top_grad=True)

    def forward(self, in_data, out_data):
        out_data[0][:] = 2 * in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        in_grad[0][:] = 2 * out_grad[0]


def test_legacy_numpy_op_builds_a_symbol():
    sym = pytest.importorskip("mxnet.symbol")
    s = _Twice().get_symbol(sym.var("X"), name="twice")
    x, dx = mx.nd.array([1.0, 2.0]), mx.nd.zeros((2,))
    exe = s.bind(mx.cpu(), args=[x], args_grad={"X": dx})
    exe.forward(is_train=True)
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [2.0, 4.0])
    exe.backward(mx.nd.ones((2,)))
    np.testing.assert_array_equal(dx.asnumpy(), [2.0, 2.0])


def test_executor_compat_with_mxnet_unit_tests():
    sym = pytest.importorskip("mxnet.symbol")
    # outputs exist (zeros of the inferred shape/dtype) right after bind
    exe = sym.Cast(sym.var("x", dtype="int32"), dtype="float16").simple_bind(
        mx.cpu(), x=(2, 3), axis=1, mode="clip")      # non-shape keywords are ignored
    assert exe.outputs[0].shape == (2, 3) and exe.outputs[0].dtype == np.float16
    # a head gradient takes its output's dtype
    a, b = sym.var("a"), sym.var("b")
    c = sym.cast(a, dtype="float64") % sym.cast(b, dtype="float64")
    ga, gb = mx.nd.zeros((2,)), mx.nd.zeros((2,))
    exe = c.bind(mx.cpu(), args={"a": mx.nd.array([1., 2.]), "b": mx.nd.array([.3, .7])},
                 args_grad=[ga, gb])
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones((2,))])
    np.testing.assert_allclose(gb.asnumpy(), [-3, -2])
    # Reshape fills one unknown input dimension from its known output
    net = sym.elemwise_add(sym.var("data").reshape((0, -1)), sym.ones(shape=(2, 75)))
    assert net.infer_shape(data=(0, 3, 5, 5))[0] == [(2, 3, 5, 5)]


def test_psroi_pooling_matches_mxnet_and_spreads_its_gradient():
    x = mx.nd.array(np.arange(1 * 8 * 5 * 5).reshape(1, 8, 5, 5))
    rois = mx.nd.array([[0, 0, 0, 31, 47]])
    x.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.PSROIPooling(x, rois, spatial_scale=0.125, output_dim=2,
                                         pooled_size=2)
    np.testing.assert_allclose(out.asnumpy(), [[[[5.5, 32.5], [68., 95.]],
                                                 [[105.5, 132.5], [168., 195.]]]])
    out.backward(mx.nd.ones_like(out))
    # every output bin spreads one unit over the pixels it averaged
    np.testing.assert_allclose(x.grad.asnumpy().sum(), 8.0, rtol=1e-6)


def test_rroi_align_matches_mxnet():
    data = mx.nd.array(np.arange(2 * 2 * 6 * 6).reshape((2, 2, 6, 6)))
    rois = mx.nd.array([[1, 3.0, 2.5, 4.0, 3.0, 30.0], [0, 2.0, 3.0, 2.0, 5.0, 90.0]])
    out = mx.nd.contrib.RROIAlign(data, rois, pooled_size=(2, 2), spatial_scale=1.0,
                                  sampling_ratio=2)
    expected = [[[[87.8619, 83.5939], [96.4061, 92.1381]],
                 [[123.8619, 119.5939], [132.4061, 128.1381]]],
                [[[21.75, 15.75], [24.25, 18.25]], [[57.75, 51.75], [60.25, 54.25]]]]
    np.testing.assert_allclose(out.asnumpy(), expected, atol=1e-3)


def test_gather_nd_out_of_bounds_is_an_index_error_on_read():
    out = mx.nd.gather_nd(mx.nd.array([[0, 1, 2], [3, 4, 5]]),
                          mx.nd.array([[0, 1, 0], [0, 1, 3]]))
    with pytest.raises(IndexError, match="out of bounds"):
        out.asnumpy()
    wrapped = mx.nd.gather_nd(mx.nd.array([[0, 1, 2], [3, 4, 5]]),
                              mx.nd.array([[0, 1, -1], [0, 1, -2]]))
    np.testing.assert_array_equal(wrapped.asnumpy(), [0, 4, 4])     # negatives wrap


def test_min_max_of_an_empty_array_raise():
    with mx.np_shape(True):
        for op in (mx.nd.max, mx.nd.min):
            with pytest.raises(MXNetError, match="size"):
                op(mx.nd.zeros((5, 0)), axis=0).wait_to_read()


def test_slice_keeps_unknown_dims_in_partial_inference():
    sym = pytest.importorskip("mxnet.symbol")
    data = sym.var("data", shape=(0, 20))
    out = sym.slice(data, begin=(2, 3), end=(None, 10))
    assert out.infer_shape_partial()[1][0] == (0, 7)
    assert sym.slice_axis(sym.var("d", shape=(10, 0)), axis=0, begin=0,
                          end=5).infer_shape_partial()[1][0] == (5, 0)


def test_write_gradient_of_an_input_without_gradient_is_zero():
    sym = pytest.importorskip("mxnet.symbol")
    out = sym.slice_like(sym.var("data"), sym.var("like"))      # "like" gets no gradient
    grads = {"data": mx.nd.ones((4, 4)), "like": mx.nd.ones((2, 2))}
    exe = out.bind(mx.cpu(), args={"data": mx.nd.ones((4, 4)), "like": mx.nd.ones((2, 2))},
                   args_grad=grads)
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((2, 2)))
    np.testing.assert_array_equal(grads["like"].asnumpy(), 0)
    assert grads["data"].asnumpy().sum() == 4


def test_operator_introspection():
    ops = mx.operator.get_all_registered_operators()
    assert "Activation" in ops and "Convolution" in ops
    args = mx.operator.get_operator_arguments("Concat")
    assert isinstance(args, mx.operator.OperatorArguments)
    assert args.narg == 3 and args.names[1:] == ["num_args", "dim"]
    assert args.types[0] == "NDArray-or-Symbol[]"
    assert args.types[1] == "int, required"
    fc = mx.operator.get_operator_arguments("FullyConnected")
    assert fc.names[:3] == ["data", "weight", "bias"]
    assert fc.types[fc.names.index("no_bias")] == "boolean, optional, default=0"


def test_zeros_and_ones_need_known_shapes_outside_np_shape():
    for make in (mx.nd.zeros, mx.nd.ones):
        for shape in ((), (0, 1, 3, 0)):
            with pytest.raises(MXNetError, match="not fully known"):
                make(shape)
    with mx.np_shape(True):
        assert mx.nd.ones(()).shape == ()
        assert mx.nd.zeros((0, 4)).shape == (0, 4)
    assert mx.nd.empty((0, 3)).shape == (0, 3)       # empty never checked, as in MXNet


def test_sample_normal_takes_mu_and_sigma():
    s = mx.nd.sample_normal(mu=mx.nd.array([10.0]), sigma=mx.nd.array([0.5]), shape=(3,))
    assert s.shape == (1, 3)
    assert mx.nd.sample_normal(mu=mx.nd.array([10.0]), sigma=mx.nd.array([0.5])).shape == (1,)


def test_transpose_fills_its_input_shape_from_its_output():
    sym = pytest.importorskip("mxnet.symbol")
    b = sym.ones(shape=[2, 3]) + sym.transpose(sym.ones(shape=[-1, -1]))
    out = b.bind(mx.cpu(), args={}).forward()
    assert out[0].shape == (2, 3)
    np.testing.assert_array_equal(out[0].asnumpy(), 2)


def _dcn_inputs():
    x = np.arange(2 * 4 * 4, dtype=np.float32).reshape(1, 2, 4, 4) / 10
    off = (np.arange(18 * 4 * 4, dtype=np.float32).reshape(1, 18, 4, 4) % 7) / 10 - 0.3
    mask = (np.arange(9 * 4 * 4, dtype=np.float32).reshape(1, 9, 4, 4) % 5) / 4
    w = (np.arange(2 * 2 * 9, dtype=np.float32).reshape(2, 2, 3, 3) % 4) / 10
    return x, off, mask, w


def test_deformable_convolutions_match_mxnet():
    x, off, mask, w = (mx.nd.array(a) for a in _dcn_inputs())
    kw = dict(kernel=(3, 3), pad=(1, 1), num_filter=2, no_bias=True)
    v1 = mx.nd.contrib.DeformableConvolution(x, off, w, **kw)
    np.testing.assert_allclose(v1.asnumpy()[0, :, 1:3, 1:3],
                               [[[2.856, 3.009], [3.019, 4.515]],
                                [[3.304, 4.029], [4.179, 5.203]]], atol=1e-3)
    v2 = mx.nd.contrib.ModulatedDeformableConvolution(x, off, mask, w, **kw)
    np.testing.assert_allclose(v2.asnumpy()[0, :, ::3, ::3],
                               [[[0.38768, 0.94495], [1.7771, 0.6766]],
                                [[1.20228, 0.65275], [0.8423, 1.5326]]], atol=1e-4)


@pytest.mark.parametrize("node", [0, 1, 2, 3, 4])
def test_modulated_deformable_convolution_gradients(node):
    x, off, mask, w = _dcn_inputs()
    loc = [x, off * 0.8 + 0.15, mask, w, np.zeros(2)]    # offsets away from pixel edges

    def dcn(*arrays):
        return mx.nd.contrib.ModulatedDeformableConvolution(
            *arrays, kernel=(3, 3), pad=(1, 1), num_filter=2)
    mx.test_utils.check_numeric_gradient(dcn, [a.astype(np.float64) for a in loc],
                                         grad_nodes=[f"arg{node}"], numeric_eps=1e-4, rtol=1e-2,
                                         atol=1e-3, dtype=np.float64)


def test_proposal_matches_mxnet_including_its_quirks():
    rng = np.random.RandomState(5)
    cls = mx.nd.array(rng.random_sample((1, 6, 4, 5)))
    bbox = mx.nd.array(rng.random_sample((1, 12, 4, 5)) * 2 - 1)
    info = mx.nd.array([[60, 70, 1.5]])
    kw = dict(feature_stride=16, scales=(2,), ratios=(0.5, 1, 2), rpn_pre_nms_top_n=20,
              rpn_post_nms_top_n=30, threshold=0.3, rpn_min_size=20, output_score=True)
    rois, score = mx.nd.contrib.Proposal(cls, bbox, info, **kw)
    assert rois.shape == (30, 5) and score.shape == (30, 1)
    np.testing.assert_allclose(rois.asnumpy()[:4], [[0, 29.69, 0, 69, 36.096],
                                                     [0, 0, 12.407, 45.536, 59],
                                                     [0, -15, -15, 23.835, 21.896],
                                                     [0, 54, 4.574, 84, 50.241]], atol=2e-3)
    np.testing.assert_allclose(score.asnumpy()[:4, 0], [0.921, 0.801, -1, -1], atol=2e-3)
    np.testing.assert_array_equal(rois.asnumpy()[4], rois.asnumpy()[0])  # kept boxes cycle
    multi, _ = mx.nd.contrib.MultiProposal(mx.nd.concat(cls, cls, dim=0),
                                           mx.nd.concat(bbox, bbox, dim=0),
                                           mx.nd.concat(info, info, dim=0), **kw)
    np.testing.assert_array_equal(multi.asnumpy()[30:, 0], 1)
    np.testing.assert_allclose(multi.asnumpy()[30:, 1:], rois.asnumpy()[:, 1:])
