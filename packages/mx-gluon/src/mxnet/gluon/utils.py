"""Gluon utilities: data splitting across contexts, gradient clipping, downloads."""
import hashlib
import math
import os

from .. import ndarray
from ..base import MXNetError

__all__ = ["split_data", "split_and_load", "clip_global_norm", "check_sha1", "download"]


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Split ``data`` into ``num_slice`` slices along ``batch_axis``."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(f"data with shape {data.shape} cannot be evenly split into "
                         f"{num_slice} slices along axis {batch_axis}. Use a batch size "
                         "that's multiple of {num_slice} or set even_split=False to allow "
                         "uneven partitioning of data.")
    step = size // num_slice
    if not even_split and size < num_slice:
        step, num_slice = 1, size
    if batch_axis == 0:
        slices = [data[i * step:(i + 1) * step] if i < num_slice - 1 else data[i * step:size]
                  for i in range(num_slice)]
    else:
        slices = [ndarray.slice_axis(data, batch_axis, i * step,
                                     (i + 1) * step if i < num_slice - 1 else size)
                  for i in range(num_slice)]
    return slices


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Split ``data`` and load each slice onto one context of ``ctx_list``."""
    if not isinstance(data, ndarray.NDArray):
        data = ndarray.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [s.as_in_context(c) for s, c in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Rescale ``arrays`` so the 2-norm of their concatenation is at most ``max_norm``."""
    if not arrays:
        raise MXNetError("clip_global_norm: no arrays given")
    ctx = arrays[0].context
    total = sum(float((a.as_in_context(ctx) ** 2).sum().asscalar()) for a in arrays)
    total_norm = math.sqrt(total)
    if check_isfinite and not math.isfinite(total_norm):
        import warnings
        warnings.warn(UserWarning("nan or inf is detected. Clipping results will be "
                                  "undefined."), stacklevel=2)
    scale = max_norm / (total_norm + 1e-8)
    if scale < 1.0:
        for arr in arrays:
            arr *= scale
    return total_norm


def check_sha1(filename, sha1_hash):
    sha1 = hashlib.sha1()
    with open(filename, "rb") as f:
        for chunk in iter(lambda: f.read(1048576), b""):
            sha1.update(chunk)
    return sha1.hexdigest() == sha1_hash


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5,
             verify_ssl=True):
    """Download ``url`` to ``path`` (atomically); skip when present and the hash matches."""
    import urllib.request
    fname = url.split("/")[-1] if path is None else (
        os.path.join(path, url.split("/")[-1]) if os.path.isdir(path) else path)
    if os.path.exists(fname) and not overwrite and (
            sha1_hash is None or check_sha1(fname, sha1_hash)):
        return fname
    folder = os.path.dirname(os.path.abspath(os.path.expanduser(fname)))
    os.makedirs(folder, exist_ok=True)
    last = None
    for _ in range(max(retries, 1)):
        tmp = f"{fname}.{os.getpid()}.part"
        try:
            with urllib.request.urlopen(url) as resp, open(tmp, "wb") as f:
                while True:
                    chunk = resp.read(1 << 20)
                    if not chunk:
                        break
                    f.write(chunk)
            if sha1_hash and not check_sha1(tmp, sha1_hash):
                raise UserWarning(f"File {fname} is downloaded but the content hash does "
                                  "not match.")
            os.replace(tmp, fname)
            return fname
        except Exception as err:   # network errors differ by platform
            last = err
            if os.path.exists(tmp):
                os.unlink(tmp)
    raise MXNetError(f"Failed downloading url {url}: {last}")
