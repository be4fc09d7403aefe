"""WikiText-2 / WikiText-103 word-level language-model datasets.

Each sample is ``(data, label)``: ``seq_len`` token indices and the same sequence shifted
by one token. Sentences end with ``<eos>``; the token stream is cut into rows of
``seq_len`` regardless of sentence boundaries.
"""
import os
import shutil
import zipfile

import numpy as np

from .... import base, nd
from ....base import MXNetError
from ...data import dataset
from ...utils import check_sha1, download
from ...data.vision.datasets import _get_repo_file_url

__all__ = ["WikiText2", "WikiText103"]

EOS_TOKEN = "<eos>"


class _WikiText(dataset._DownloadedDataset):
    _namespace = None
    _archive = None          # (zip name, sha1)
    _files = None            # segment -> (file name, sha1)

    def __init__(self, root, segment, vocab, seq_len):
        if segment not in self._files:
            raise MXNetError(f"{type(self).__name__}: segment must be one of "
                             f"{sorted(self._files)}, got {segment!r}")
        self._segment = segment
        self._seq_len = seq_len
        self._vocab = vocab
        self._counter = None
        super().__init__(root, None)

    @property
    def vocabulary(self):
        return self._vocab

    @property
    def frequencies(self):
        return self._counter

    def _build_vocab(self, content):
        from ....contrib import text
        if not self._counter:
            self._counter = text.utils.count_tokens_from_str(content)
        if not self._vocab:
            self._vocab = text.vocab.Vocabulary(counter=self._counter,
                                                reserved_tokens=[EOS_TOKEN])

    def _read_batch(self, filename):
        with open(filename, "r", encoding="utf8") as fin:
            content = fin.read()
        self._build_vocab(content)
        tokens = []
        for line in content.splitlines():
            words = line.strip().split()
            if words:
                tokens.extend(words)
                tokens.append(EOS_TOKEN)
        ids = self._vocab.to_indices(tokens)
        return np.array(ids[:-1], dtype=np.int32), np.array(ids[1:], dtype=np.int32)

    def _download(self):
        name, sha1 = self._archive
        archive = download(_get_repo_file_url("gluon/dataset/" + self._namespace, name),
                           path=self._root, sha1_hash=sha1)
        with zipfile.ZipFile(archive, "r") as zf:
            for member in zf.namelist():
                base_name = os.path.basename(member)
                if base_name:           # flatten the archive's folder
                    with zf.open(member) as src, \
                            open(os.path.join(self._root, base_name), "wb") as dst:
                        shutil.copyfileobj(src, dst)

    def _get_data(self):
        name, sha1 = self._files[self._segment]
        path = os.path.join(self._root, name)
        if not os.path.exists(path) or not check_sha1(path, sha1):
            self._download()
        data, label = self._read_batch(path)
        # MXNet 1.9.1 compat: the stream is truncated to a multiple of seq_len
        n = len(data) // self._seq_len * self._seq_len
        self._data = nd.array(data[:n], dtype=data.dtype).reshape((-1, self._seq_len))
        self._label = nd.array(label[:n], dtype=label.dtype).reshape((-1, self._seq_len))


class WikiText2(_WikiText):
    """WikiText-2 (Salesforce research; CC BY-SA), segments 'train', 'validation', 'test'.

    ``vocab`` (a :class:`mxnet.contrib.text.vocab.Vocabulary`) indexes the tokens; by
    default one is built from the segment's own token counts.
    """
    _namespace = "wikitext-2"
    _archive = ("wikitext-2-v1.zip", "3c914d17d80b1459be871a5039ac23e752a53cbe")
    _files = {"train": ("wiki.train.tokens", "863f29c46ef9d167fff4940ec821195882fe29d1"),
              "validation": ("wiki.valid.tokens",
                             "0418625c8b4da6e4b5c7a0b9e78d4ae8f7ee5422"),
              "test": ("wiki.test.tokens", "c7b8ce0aa086fb34dab808c5c49224211eb2b172")}

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "wikitext-2"),
                 segment="train", vocab=None, seq_len=35):
        super().__init__(root, segment, vocab, seq_len)


class WikiText103(_WikiText):
    """WikiText-103 (Salesforce research; CC BY-SA); see :class:`WikiText2`."""
    _namespace = "wikitext-103"
    _archive = ("wikitext-103-v1.zip", "0aec09a7537b58d4bb65362fee27650eeaba625a")
    _files = {"train": ("wiki.train.tokens", "b7497e2dfe77e72cfef5e3dbc61b7b53712ac211"),
              "validation": ("wiki.valid.tokens",
                             "c326ac59dc587676d58c422eb8a03e119582f92b"),
              "test": ("wiki.test.tokens", "8a5befc548865cec54ed4273cf87dbbad60d1e47")}

    def __init__(self, root=os.path.join(base.data_dir(), "datasets", "wikitext-103"),
                 segment="train", vocab=None, seq_len=35):
        super().__init__(root, segment, vocab, seq_len)
