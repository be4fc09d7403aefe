"""Image I/O, augmentation and the image iterator (``mx.image`` / ``mx.img``).

Decoding and resizing need OpenCV: ``pip install mx-core[image]``.
"""
from . import detection, image
from ._augment import (Augmenter, BrightnessJitterAug, CastAug, CenterCropAug,
                       ColorJitterAug, ColorNormalizeAug, ContrastJitterAug, CreateAugmenter,
                       ForceResizeAug, HorizontalFlipAug, HueJitterAug, LightingAug,
                       RandomCropAug, RandomGrayAug, RandomOrderAug, RandomSizedCropAug,
                       ResizeAug, SaturationJitterAug, SequentialAug)
from ._iter import ImageIter
from .detection import (CreateDetAugmenter, CreateMultiRandCropAugmenter, DetAugmenter,
                        DetBorrowAug, DetHorizontalFlipAug, DetRandomCropAug, DetRandomPadAug,
                        DetRandomSelectAug, ImageDetIter)
from .image import (center_crop, color_normalize, copyMakeBorder, fixed_crop, imdecode,
                    imread, imresize, imrotate, random_crop, random_rotate, random_size_crop,
                    resize_short, scale_down)

__all__ = image.__all__ + ["Augmenter", "SequentialAug", "ResizeAug", "ForceResizeAug",
                           "RandomCropAug", "RandomSizedCropAug", "CenterCropAug",
                           "RandomOrderAug", "BrightnessJitterAug", "ContrastJitterAug",
                           "SaturationJitterAug", "HueJitterAug", "ColorJitterAug",
                           "LightingAug", "ColorNormalizeAug", "RandomGrayAug",
                           "HorizontalFlipAug", "CastAug", "CreateAugmenter", "ImageIter"] \
    + detection.__all__
