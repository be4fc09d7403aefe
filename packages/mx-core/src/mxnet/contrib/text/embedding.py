"""Token embeddings: vectors for the tokens of a vocabulary.

``CustomEmbedding`` loads a text file (one ``token v1 v2 ...`` line per token);
``GloVe`` and ``FastText`` download MXNet's pre-trained files; ``CompositeEmbedding``
concatenates several embeddings over one vocabulary. Register new kinds with
``@register`` and build them by name with ``create``.
"""
import os
import tarfile
import warnings
import zipfile

from ... import base
from ... import ndarray as nd
from . import _pretrained as P
from . import vocab
from .vocab import UNKNOWN_IDX

__all__ = ["register", "create", "get_pretrained_file_names", "GloVe", "FastText",
           "CustomEmbedding", "CompositeEmbedding"]

_APACHE_REPO_URL = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"
_REGISTRY = {}


def register(embedding_cls):
    """Class decorator: makes ``create(name)`` build ``embedding_cls`` (name: the
    lower-cased class name)."""
    _REGISTRY[embedding_cls.__name__.lower()] = embedding_cls
    return embedding_cls


def create(embedding_name, **kwargs):
    """An instance of the registered embedding ``embedding_name`` (case-insensitive)."""
    name = embedding_name.lower()
    if name not in _REGISTRY:
        raise KeyError(f"Cannot find `embedding_name` {embedding_name}. Registered "
                       f"embeddings: {sorted(_REGISTRY)}")
    return _REGISTRY[name](**kwargs)


def get_pretrained_file_names(embedding_name=None):
    """Pre-trained file names of ``embedding_name``, or a dict of them for every
    registered embedding when it is None."""
    if embedding_name is not None:
        if embedding_name not in _REGISTRY:
            raise KeyError(f"Cannot find `embedding_name` {embedding_name}. Use "
                           "`get_pretrained_file_names(embedding_name=None).keys()` to get "
                           "all the valid embedding names.")
        return list(_REGISTRY[embedding_name].pretrained_file_name_sha1)
    return {name: list(cls.pretrained_file_name_sha1) for name, cls in _REGISTRY.items()}


class _TokenEmbedding(vocab.Vocabulary):
    """Base of token embeddings: a Vocabulary plus ``idx_to_vec`` (one row per token).

    Subclasses for downloadable files set ``pretrained_file_name_sha1`` (file -> SHA-1)
    and, when the download is an archive, ``pretrained_archive_name_sha1``.
    """
    pretrained_file_name_sha1 = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._vec_len = None
        self._idx_to_vec = None

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return pretrained_file_name

    @classmethod
    def _get_pretrained_file_url(cls, pretrained_file_name):
        repo = os.environ.get("MXNET_GLUON_REPO", _APACHE_REPO_URL)
        return (f"{repo}gluon/embeddings/{cls.__name__.lower()}/"
                f"{cls._get_download_file_name(pretrained_file_name)}")

    @classmethod
    def _get_pretrained_file(cls, embedding_root, pretrained_file_name):
        """Path of the pre-trained file, downloaded (and unpacked) unless present."""
        from ...gluon.utils import check_sha1, download
        embedding_dir = os.path.join(os.path.expanduser(embedding_root), cls.__name__.lower())
        path = os.path.join(embedding_dir, pretrained_file_name)
        file_hash = cls.pretrained_file_name_sha1[pretrained_file_name]
        if os.path.exists(path) and check_sha1(path, file_hash):
            return path
        url = cls._get_pretrained_file_url(pretrained_file_name)
        name = os.path.basename(url)
        archives = getattr(cls, "pretrained_archive_name_sha1", None)
        fetched = os.path.join(embedding_dir, name)
        download(url, fetched, sha1_hash=archives[name] if archives else file_hash)
        ext = os.path.splitext(name)[1]
        if ext == ".zip":
            with zipfile.ZipFile(fetched, "r") as zf:
                zf.extractall(embedding_dir)
        elif ext == ".gz":
            with tarfile.open(fetched, "r:gz") as tar:
                tar.extractall(path=embedding_dir)
        return path

    def _load_embedding(self, pretrained_file_path, elem_delim, init_unknown_vec,
                        encoding="utf8"):
        """Indexes the tokens of a ``token<delim>v1<delim>v2...`` file and stores their
        vectors; a line for the unknown token sets its vector, else ``init_unknown_vec``
        does. Malformed files raise AssertionError (as in MXNet 1.9.1)."""
        path = os.path.expanduser(pretrained_file_path)
        if not os.path.isfile(path):
            raise ValueError(f"`pretrained_file_path` must be a valid path to the "
                             f"pre-trained token embedding file, got {path!r}.")
        rows, unknown_vec, seen = [], None, set(self._idx_to_token)
        with open(path, "r", encoding=encoding) as fin:
            for line_num, line in enumerate(fin, 1):
                elems = line.rstrip().split(elem_delim)
                assert len(elems) > 1, (
                    f"At line {line_num} of the pre-trained text embedding file: the data "
                    f"format of the pre-trained token embedding file {path} is unexpected.")
                token, vec = elems[0], [float(v) for v in elems[1:]]
                if token == self.unknown_token and unknown_vec is None:
                    unknown_vec = vec
                elif token in seen:
                    warnings.warn(f"At line {line_num} of the pre-trained token embedding "
                                  f"file: the embedding vector for token {token} has been "
                                  "loaded and a duplicate embedding for the same token is "
                                  "seen and skipped.")
                elif len(vec) == 1:
                    warnings.warn(f"At line {line_num} of the pre-trained text embedding "
                                  f"file: token {token} with 1-dimensional vector {vec} is "
                                  "likely a header and is skipped.")
                else:
                    assert not rows or len(vec) == len(rows[0]), (
                        f"At line {line_num} of the pre-trained token embedding file: the "
                        f"dimension of token {token} is {len(vec)} but the dimension of "
                        f"previous tokens is {len(rows[0])}. Dimensions of all the tokens "
                        "must be the same.")
                    rows.append(vec)
                    self._token_to_idx[token] = len(self._idx_to_token)
                    self._idx_to_token.append(token)
                    seen.add(token)
        if unknown_vec is not None:
            self._vec_len = len(unknown_vec)
        self._vec_len = len(rows[0]) if rows else self._vec_len
        # unknown and reserved tokens come first; their rows start at zero
        n_special = len(self._idx_to_token) - len(rows)
        vecs = nd.zeros((len(self._idx_to_token), self._vec_len))
        if rows:
            vecs[n_special:] = nd.array(rows)
        vecs[UNKNOWN_IDX] = nd.array(unknown_vec) if unknown_vec is not None \
            else init_unknown_vec(shape=self._vec_len)
        self._idx_to_vec = vecs

    def _index_tokens_from_vocabulary(self, vocabulary):
        self._token_to_idx = vocabulary.token_to_idx.copy()
        self._idx_to_token = vocabulary.idx_to_token[:]
        self._unknown_token = vocabulary.unknown_token
        self._reserved_tokens = vocabulary.reserved_tokens[:] \
            if vocabulary.reserved_tokens is not None else None

    def _set_idx_to_vec_by_embeddings(self, token_embeddings, vocab_len, vocab_idx_to_token):
        """Rows for ``vocab_idx_to_token``: each embedding's vectors side by side; row 0
        takes each embedding's own unknown vector."""
        width = sum(e.vec_len for e in token_embeddings)
        vecs = nd.zeros((vocab_len, width))
        col = 0
        for embed in token_embeddings:
            end = col + embed.vec_len
            vecs[0, col:end] = embed.idx_to_vec[UNKNOWN_IDX]
            if vocab_len > 1:
                vecs[1:, col:end] = embed.get_vecs_by_tokens(list(vocab_idx_to_token[1:]))
            col = end
        self._vec_len = width
        self._idx_to_vec = vecs

    def _build_embedding_for_vocabulary(self, vocabulary):
        if vocabulary is not None:
            assert isinstance(vocabulary, vocab.Vocabulary), \
                "The argument `vocabulary` must be an instance of " \
                "mxnet.contrib.text.vocab.Vocabulary."
            self._set_idx_to_vec_by_embeddings([self], len(vocabulary),
                                               vocabulary.idx_to_token)
            self._index_tokens_from_vocabulary(vocabulary)

    @property
    def vec_len(self):
        """int: the length of each embedding vector."""
        return self._vec_len

    @property
    def idx_to_vec(self):
        """NDArray (len(self), vec_len): the vector of each indexed token."""
        return self._idx_to_vec

    def get_vecs_by_tokens(self, tokens, lower_case_backup=False):
        """Vector of a token (1-D) or vectors of a list of tokens (2-D); unknown tokens
        get the unknown vector. With ``lower_case_backup`` a token not indexed as is is
        looked up lower-cased."""
        single = not isinstance(tokens, list)
        tokens = [tokens] if single else tokens
        if lower_case_backup:
            indices = [self._token_to_idx[t] if t in self._token_to_idx
                       else self._token_to_idx.get(t.lower(), UNKNOWN_IDX) for t in tokens]
        else:
            indices = [self._token_to_idx.get(t, UNKNOWN_IDX) for t in tokens]
        vecs = nd.take(self._idx_to_vec, nd.array(indices, dtype="int64"), axis=0)
        return vecs[0] if single else vecs

    def update_token_vectors(self, tokens, new_vectors):
        """Replaces the vectors of indexed ``tokens`` (a token or a list) by
        ``new_vectors`` (1-D or 2-D for one token, 2-D for several)."""
        assert self._idx_to_vec is not None, \
            "The property `idx_to_vec` has not been properly set."
        if not isinstance(tokens, list) or len(tokens) == 1:
            assert isinstance(new_vectors, nd.NDArray) and new_vectors.ndim in (1, 2), \
                "`new_vectors` must be a 1-D or 2-D NDArray if `tokens` is a singleton."
            tokens = tokens if isinstance(tokens, list) else [tokens]
            if new_vectors.ndim == 1:
                new_vectors = new_vectors.expand_dims(0)
        else:
            assert isinstance(new_vectors, nd.NDArray) and new_vectors.ndim == 2, \
                "`new_vectors` must be a 2-D NDArray if `tokens` is a list of multiple " \
                "strings."
        assert new_vectors.shape == (len(tokens), self._vec_len), (
            f"The length of new_vectors must be equal to the number of tokens and the width "
            f"of new_vectors must be equal to the dimension of embeddings of the glossary; "
            f"expected {(len(tokens), self._vec_len)}, got {new_vectors.shape}.")
        for row, token in enumerate(tokens):
            if token not in self._token_to_idx:
                raise ValueError(
                    f"Token {token} is unknown. To update the embedding vector for an unknown "
                    f"token, please specify it explicitly as the `unknown_token` "
                    f"{self._idx_to_token[UNKNOWN_IDX]} in `tokens`. This is to avoid "
                    "unintended updates.")
            self._idx_to_vec[self._token_to_idx[token]] = new_vectors[row]

    @classmethod
    def _check_pretrained_file_names(cls, pretrained_file_name):
        if pretrained_file_name not in cls.pretrained_file_name_sha1:
            name = cls.__name__.lower()
            raise KeyError(f"Cannot find pretrained file {pretrained_file_name} for token "
                           f"embedding {name}. Valid pretrained files for embedding {name}: "
                           f"{', '.join(cls.pretrained_file_name_sha1)}")


def _default_root():
    return os.path.join(base.data_dir(), "embeddings")


@register
class GloVe(_TokenEmbedding):
    """GloVe vectors (Pennington, Socher and Manning, 2014), downloaded on first use."""
    # MXNet 1.9.1 compat: downloads are archives holding several .txt files
    pretrained_archive_name_sha1 = P.GLOVE_ARCHIVE_SHA1
    pretrained_file_name_sha1 = P.GLOVE_FILE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        # glove.6B.50d.txt lives in glove.6B.zip: match the second dotted part
        by_corpus = {a.split(".")[1]: a for a in cls.pretrained_archive_name_sha1}
        return by_corpus[pretrained_file_name.split(".")[1]]

    def __init__(self, pretrained_file_name="glove.840B.300d.txt", embedding_root=None,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        GloVe._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        path = GloVe._get_pretrained_file(embedding_root or _default_root(),
                                          pretrained_file_name)
        self._load_embedding(path, " ", init_unknown_vec)
        self._build_embedding_for_vocabulary(vocabulary)


@register
class FastText(_TokenEmbedding):
    """fastText vectors (Bojanowski et al. 2016), downloaded on first use."""
    pretrained_archive_name_sha1 = P.FASTTEXT_ARCHIVE_SHA1
    pretrained_file_name_sha1 = P.FASTTEXT_FILE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return pretrained_file_name.rsplit(".", 1)[0] + ".zip"

    def __init__(self, pretrained_file_name="wiki.simple.vec", embedding_root=None,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        FastText._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        path = FastText._get_pretrained_file(embedding_root or _default_root(),
                                             pretrained_file_name)
        self._load_embedding(path, " ", init_unknown_vec)
        self._build_embedding_for_vocabulary(vocabulary)


class CustomEmbedding(_TokenEmbedding):
    """An embedding read from a local file of ``token<elem_delim>v1<elem_delim>v2...``
    lines; with ``vocabulary`` it is re-indexed to that vocabulary's tokens."""

    def __init__(self, pretrained_file_path, elem_delim=" ", encoding="utf8",
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self._load_embedding(pretrained_file_path, elem_delim, init_unknown_vec, encoding)
        self._build_embedding_for_vocabulary(vocabulary)


class CompositeEmbedding(_TokenEmbedding):
    """The tokens of ``vocabulary`` with the concatenated vectors of one or several
    ``token_embeddings``."""

    def __init__(self, vocabulary, token_embeddings):
        assert isinstance(vocabulary, vocab.Vocabulary), \
            "The argument `vocabulary` must be an instance of " \
            "mxnet.contrib.text.vocab.Vocabulary."
        if not isinstance(token_embeddings, list):
            token_embeddings = [token_embeddings]
        for embed in token_embeddings:
            assert isinstance(embed, _TokenEmbedding), \
                "The argument `token_embeddings` must be an instance or a list of " \
                "instances of `mxnet.contrib.text.embedding._TokenEmbedding`."
        super().__init__()
        self._index_tokens_from_vocabulary(vocabulary)
        self._set_idx_to_vec_by_embeddings(token_embeddings, len(self), self.idx_to_token)
