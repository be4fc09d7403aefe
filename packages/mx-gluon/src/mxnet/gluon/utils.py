"""Gluon utilities: data splitting across contexts, gradient clipping, downloads."""
import hashlib
import math
import os
import uuid
import warnings

from .. import ndarray
from ..base import MXNetError

__all__ = ["split_data", "split_and_load", "clip_global_norm", "check_sha1", "download",
           "replace_file"]


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
    """Download ``url`` to ``path``; skip when present and the hash matches.

    The file is written under a unique temporary name, then renamed, so several
    processes may download the same file at once. Uses ``requests`` (as MXNet does)
    when installed, otherwise ``urllib``; the last error is re-raised after
    ``retries`` failed attempts.
    """
    if path is None:
        fname = url.split("/")[-1]
        if not fname:
            raise AssertionError("Can't construct file-name from this URL. Please set "
                                 "the `path` option manually.")
    else:
        path = os.path.expanduser(path)
        fname = os.path.join(path, url.split("/")[-1]) if os.path.isdir(path) else path
    if retries < 0:
        raise AssertionError(f"Number of retries should be at least 0, currently it's "
                             f"{retries}")
    if not verify_ssl:
        warnings.warn("Unverified HTTPS request is being made (verify_ssl=False). Adding "
                      "certificate verification is strongly advised.", stacklevel=2)
    if not overwrite and os.path.exists(fname) and (
            not sha1_hash or check_sha1(fname, sha1_hash)):
        return fname
    os.makedirs(os.path.dirname(os.path.abspath(os.path.expanduser(fname))), exist_ok=True)
    while True:
        try:
            _fetch_once(url, fname, sha1_hash, verify_ssl)
            return fname
        except Exception:   # network errors differ by platform and library
            retries -= 1
            if retries <= 0:
                raise


def _fetch_once(url, fname, sha1_hash, verify_ssl):
    tmp = f"{fname}.{uuid.uuid4()}"
    try:
        with open(tmp, "wb") as f:
            for chunk in _url_chunks(url, verify_ssl):
                f.write(chunk)
        if not os.path.exists(fname) or (sha1_hash and not check_sha1(fname, sha1_hash)):
            replace_file(tmp, fname)
        else:
            # another process finished the same file first: keep theirs
            warnings.warn(f"File {fname} exists in file system so the downloaded file is "
                          "deleted", stacklevel=3)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if sha1_hash and not check_sha1(fname, sha1_hash):
        raise UserWarning(f"File {fname} is downloaded but the content hash does not "
                          "match. The repo may be outdated or download may be incomplete. "
                          "If the \"repo_url\" is overridden, consider switching to the "
                          "default repo.")


def _url_chunks(url, verify_ssl):
    try:
        import requests
    except ImportError:
        requests = None
    if requests is not None and url.lower().startswith(("http://", "https://")):
        resp = requests.get(url, stream=True, verify=verify_ssl)
        if resp.status_code != 200:
            raise RuntimeError(f"Failed downloading url {url}")
        yield from (c for c in resp.iter_content(chunk_size=1 << 16) if c)
        return
    import ssl
    import urllib.request
    context = None if verify_ssl else ssl._create_unverified_context()
    with urllib.request.urlopen(url, context=context) as resp:
        yield from iter(lambda: resp.read(1 << 20), b"")


# -- helpers of MXNet 1.9.1's gluon.utils that libraries import (GluonNLP, GluonCV) ------
def replace_file(src, dst):
    """Move ``src`` over ``dst`` atomically; ``src`` is removed if that fails."""
    try:
        os.replace(src, dst)
    except OSError as err:
        try:
            os.remove(src)
        except OSError:
            pass
        raise OSError(f"Moving downloaded temp file - {src}, to {dst} failed. Please "
                      "retry the download.") from err


def _get_repo_url():
    """The base URL of the Gluon dataset and model repository (``$MXNET_GLUON_REPO``)."""
    from .data.vision.datasets import _DEFAULT_REPO
    repo = os.environ.get("MXNET_GLUON_REPO", _DEFAULT_REPO)
    return repo if repo.endswith("/") else repo + "/"


def _get_repo_file_url(namespace, filename):
    """The URL of ``filename`` under ``namespace`` in the Gluon repository."""
    return f"{_get_repo_url()}{namespace}/{filename}"


def _brief_print_list(lst, limit=7):
    """``'a', 'b', ..., 'z'``: at most ``limit`` quoted items of ``lst``."""
    lst = list(lst)
    if len(lst) > limit:
        return (_brief_print_list(lst[:limit // 2], limit) + ", ..., "
                + _brief_print_list(lst[-limit // 2:], limit))
    return ", ".join(f"'{item}'" for item in lst)


def _indent(s_, numSpaces):  # noqa: N803 (MXNet's keyword name)
    """Indent every line of ``s_`` but the first by ``numSpaces`` spaces."""
    lines = s_.split("\n")
    if len(lines) == 1:
        return s_
    return lines[0] + "\n" + "\n".join(" " * numSpaces + line for line in lines[1:])


def shape_is_known(shape):
    """Whether every dimension of ``shape`` is known (0 is unknown; -1 with np shapes)."""
    from ..util import is_np_shape
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for dim in shape:
        if dim == unknown:
            return False
        if dim < unknown:
            raise MXNetError(f"shape dimension size cannot be less than {unknown}, "
                             f"got {dim} in {tuple(shape)}")
    return True
