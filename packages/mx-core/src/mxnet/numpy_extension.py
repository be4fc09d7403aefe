"""``mx.npx``: the numpy-semantics switches (``set_np``, ``reset_np``, ``is_np_shape``)."""
from .util import is_np_array, is_np_shape, reset_np, set_np, use_np, use_np_shape

__all__ = ["set_np", "reset_np", "is_np_shape", "is_np_array", "use_np", "use_np_shape"]
