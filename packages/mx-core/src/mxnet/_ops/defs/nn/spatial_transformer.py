"""SpatialTransformer (MXNet's ``spatial_transformer.cc``): GridGenerator (affine) then
BilinearSampler in one operator."""
from ...params import Bool, Enum, Optional, Shape
from ...registry import register
from .bilinear_sampler import _backward_bilinear_sampler, bilinear_sampler
from .grid_generator import _backward_grid_generator, _grid

PARAMS = (Shape("target_shape", (0, 0)), Enum("transform_type", ("affine",)),
          Enum("sampler_type", ("bilinear",)), Optional(Bool("cudnn_off")))


def _shape(attrs, in_shapes):
    data = in_shapes[0]
    out = None if data is None else tuple(data[:2]) + tuple(attrs["target_shape"])
    return in_shapes, [out] * 3


@register("SpatialTransformer", inputs=("data", "loc"), params=PARAMS, shape=_shape,
          num_outputs=3, visible_outputs=1)
def spatial_transformer(xp, data, loc, *, target_shape, transform_type, sampler_type,
                        cudnn_off):
    """Applies the affine transform ``loc`` (N, 6) to ``data``: builds the sampling grid
    for ``target_shape`` and samples bilinearly."""
    grid = _grid(xp, loc, "affine", target_shape)
    out = bilinear_sampler.forward(xp, data, grid, cudnn_off=cudnn_off)[0]
    # MXNet 1.9.1 compat: 3 outputs like MXNet's (its hidden ones are scratch space)
    return out, out, out


@spatial_transformer.gradient
def _(F, inputs, outputs, ograds, **params):
    # chain rule through the sampler and the affine grid
    return tuple(F._internal._backward_SpatialTransformer(ograds[0], *inputs, **params))


@register("_backward_SpatialTransformer", inputs=("ograd", "data", "loc"), params=PARAMS,
          num_outputs=2, differentiable=False)
def _backward_spatial_transformer(xp, ograd, data, loc, *, target_shape, transform_type,
                                  sampler_type, cudnn_off):
    """Gradients of SpatialTransformer with respect to data and loc."""
    grid = _grid(xp, loc, "affine", target_shape)
    ddata, dgrid = _backward_bilinear_sampler.forward(xp, ograd, data, grid,
                                                      cudnn_off=cudnn_off)
    dloc = _backward_grid_generator.forward(xp, dgrid, loc, transform_type="affine",
                                            target_shape=target_shape)
    return ddata, dloc
