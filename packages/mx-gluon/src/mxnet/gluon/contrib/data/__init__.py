"""``gluon.contrib.data``: an interval sampler and language-model text datasets."""
from . import sampler, text
from .sampler import IntervalSampler

__all__ = ["IntervalSampler", "sampler", "text"]
