"""Regenerate transforms.npz with the REAL MXNet 1.9.1 (not run by the tests).

Usage: /work/ref/bin/python make_transforms_npz.py
Outputs of mx.nd.image operators on one 5x7x3 uint8 image (and its float32 copy); the
random operators are run with min_factor == max_factor so they are deterministic.
"""
import os

import mxnet as mx
import numpy as np


def main():
    img = np.random.RandomState(0).randint(0, 256, (5, 7, 3)).astype(np.uint8)
    x, xf = mx.nd.array(img, dtype="uint8"), mx.nd.array(img.astype(np.float32))
    t = mx.nd.image.to_tensor(x)
    out = {"img": img, "to_tensor": mx.nd.image.to_tensor(x),
           "to_tensor_batch": mx.nd.image.to_tensor(mx.nd.stack(x, x)),
           "normalize": mx.nd.image.normalize(t, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
           "normalize_scalar": mx.nd.image.normalize(t, 0.5, 0.25),
           "resize_4x3": mx.nd.image.resize(x, (4, 3)),
           "resize_keep_3": mx.nd.image.resize(x, 3, True),
           "resize_nearest_6": mx.nd.image.resize(x, 6, False, 0),
           "crop": mx.nd.image.crop(x, 1, 2, 3, 2),
           "flip_lr": mx.nd.image.flip_left_right(x),
           "flip_tb": mx.nd.image.flip_top_bottom(x)}
    for dt, src in (("u8", x), ("f32", xf)):
        out[f"brightness_{dt}"] = mx.nd.image.random_brightness(src, 1.3, 1.3)
        out[f"contrast_{dt}"] = mx.nd.image.random_contrast(src, 0.6, 0.6)
        out[f"saturation_{dt}"] = mx.nd.image.random_saturation(src, 1.4, 1.4)
        out[f"hue_{dt}"] = mx.nd.image.random_hue(src, 0.85, 0.85)
        out[f"lighting_{dt}"] = mx.nd.image.adjust_lighting(src, alpha=(0.1, -0.2, 0.3))
    out = {k: v if isinstance(v, np.ndarray) else v.asnumpy() for k, v in out.items()}
    here = os.path.dirname(os.path.abspath(__file__))
    np.savez_compressed(os.path.join(here, "transforms.npz"), **out)


if __name__ == "__main__":
    main()
