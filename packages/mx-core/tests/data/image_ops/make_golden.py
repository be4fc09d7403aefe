"""Record MXNet 1.9.1's ``mx.nd.image`` outputs for tests/ops/test_image.py.

Run with the reference MXNet: ``/work/ref/bin/python make_golden.py`` (writes golden.npz).
Random augmenters are recorded with ``min_factor == max_factor``, which makes them
deterministic. Flips use even sizes: MXNet 1.9.1's flip kernels swap pixel pairs into an
uninitialised output, so the middle row/column of an odd-sized image is garbage there.
"""
import os

import mxnet as mx
import numpy as np

rs = np.random.RandomState(7)
INPUTS = {
    "u8": rs.randint(0, 256, (5, 7, 3)).astype(np.uint8),
    "u8_gray": rs.randint(0, 256, (5, 7, 1)).astype(np.uint8),
    "u8_batch": rs.randint(0, 256, (2, 5, 7, 3)).astype(np.uint8),
    "f32": (rs.rand(5, 7, 3) * 255).astype(np.float32),
    "u8_even": rs.randint(0, 256, (4, 6, 3)).astype(np.uint8),
    "f32_even": (rs.rand(4, 6, 1) * 255).astype(np.float32),
    "chw": rs.rand(3, 5, 7).astype(np.float32),
    "nchw": rs.rand(2, 3, 5, 7).astype(np.float32),
}
# (key, operator, input, kwargs)
CASES = [
    ("to_tensor_u8", "to_tensor", "u8", {}),
    ("to_tensor_batch", "to_tensor", "u8_batch", {}),
    ("to_tensor_f32", "to_tensor", "f32", {}),
    ("normalize_chw", "normalize", "chw", {"mean": (0.1, 0.2, 0.3), "std": (0.5, 1.5, 2.0)}),
    ("normalize_nchw", "normalize", "nchw", {"mean": (0.4, 0.5, 0.6), "std": (0.2, 0.3, 0.4)}),
    ("normalize_scalar", "normalize", "chw", {"mean": 0.5, "std": 0.25}),
    ("resize_nearest", "resize", "u8", {"size": (4, 3), "interp": 0}),
    ("resize_linear", "resize", "u8", {"size": (11, 8), "interp": 1}),
    ("resize_linear_down", "resize", "u8", {"size": (3, 2)}),
    ("resize_f32", "resize", "f32", {"size": (9, 4)}),
    ("resize_keep", "resize", "u8", {"size": 4, "keep_ratio": True}),
    ("resize_square", "resize", "u8", {"size": 4}),
    ("resize_batch", "resize", "u8_batch", {"size": (6, 6)}),
    ("resize_gray", "resize", "u8_gray", {"size": (3, 9)}),
    ("crop", "crop", "u8", {"x": 1, "y": 2, "width": 4, "height": 3}),
    ("crop_batch", "crop", "u8_batch", {"x": 0, "y": 1, "width": 7, "height": 2}),
    ("flip_lr", "flip_left_right", "u8_even", {}),
    ("flip_tb", "flip_top_bottom", "u8_even", {}),
    ("flip_lr_f32", "flip_left_right", "f32_even", {}),
    ("flip_tb_f32", "flip_top_bottom", "f32_even", {}),
    ("brightness_u8", "random_brightness", "u8", {"min_factor": 1.7, "max_factor": 1.7}),
    ("brightness_f32", "random_brightness", "f32", {"min_factor": 0.6, "max_factor": 0.6}),
    ("contrast_u8", "random_contrast", "u8", {"min_factor": 1.4, "max_factor": 1.4}),
    ("contrast_gray", "random_contrast", "u8_gray", {"min_factor": 0.5, "max_factor": 0.5}),
    ("saturation_u8", "random_saturation", "u8", {"min_factor": 0.3, "max_factor": 0.3}),
    ("saturation_f32", "random_saturation", "f32", {"min_factor": 1.6, "max_factor": 1.6}),
    ("hue_u8", "random_hue", "u8", {"min_factor": 1.2, "max_factor": 1.2}),
    ("hue_f32", "random_hue", "f32", {"min_factor": 0.7, "max_factor": 0.7}),
    ("lighting_u8", "adjust_lighting", "u8", {"alpha": (0.1, -0.2, 0.3)}),
    ("lighting_f32", "adjust_lighting", "f32", {"alpha": (-0.5, 0.2, 0.05)}),
    ("random_lighting_zero", "random_lighting", "u8", {"alpha_std": 0.0}),
]


def main():
    out = {f"in_{k}": v for k, v in INPUTS.items()}
    for key, op, src, kwargs in CASES:
        res = getattr(mx.nd.image, op)(mx.nd.array(INPUTS[src], dtype=INPUTS[src].dtype),
                                       **kwargs)
        out[f"out_{key}"] = res.asnumpy()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.npz")
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
