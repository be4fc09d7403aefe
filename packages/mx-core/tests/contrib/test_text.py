"""mx.contrib.text: token counting, vocabularies and embeddings from local files."""
import collections
import subprocess
import sys

import numpy as np
import pytest

import mxnet as mx
from mxnet.contrib import text


def test_count_tokens_splits_on_both_delimiters_and_can_lower():
    src = " Life is good \n life is fine \n"
    assert text.utils.count_tokens_from_str(src) == collections.Counter(
        {"Life": 1, "life": 1, "is": 2, "good": 1, "fine": 1})
    base = collections.Counter({"life": 1})
    out = text.utils.count_tokens_from_str(src, to_lower=True, counter_to_update=base)
    assert out is base and out["life"] == 3


def test_vocabulary_orders_by_count_then_token_after_unknown_and_reserved():
    counter = collections.Counter("a b b c c c z".split())
    v = text.vocab.Vocabulary(counter, reserved_tokens=["<pad>"])
    assert v.idx_to_token == ["<unk>", "<pad>", "c", "b", "a", "z"]
    assert v.to_indices(["a", "nope"]) == [4, 0] and v.to_indices("c") == 2
    assert v.to_tokens([2, 0]) == ["c", "<unk>"] and v.to_tokens(3) == "b"
    capped = text.vocab.Vocabulary(counter, most_freq_count=1, min_freq=2)
    assert capped.idx_to_token == ["<unk>", "c"]
    with pytest.raises(ValueError):
        v.to_tokens(99)
    with pytest.raises(AssertionError):
        text.vocab.Vocabulary(counter, reserved_tokens=["<unk>"])


def _write(path, lines):
    path.write_text("".join("\t".join(map(str, line)) + "\n" for line in lines))
    return str(path)


def test_custom_embedding_loads_vectors_and_unknown_rows(tmp_path):
    f = _write(tmp_path / "e.txt", [["a", 1, 2], ["b", 3, 4], ["<unk>", 9, 9]])
    e = text.embedding.CustomEmbedding(f, "\t")
    assert e.idx_to_token == ["<unk>", "a", "b"] and e.vec_len == 2
    np.testing.assert_allclose(e.idx_to_vec.asnumpy(), [[9, 9], [1, 2], [3, 4]])
    np.testing.assert_allclose(e.get_vecs_by_tokens("A", lower_case_backup=True).asnumpy(),
                               [1, 2])
    e.update_token_vectors(["b"], mx.nd.array([[5, 6]]))
    np.testing.assert_allclose(e.get_vecs_by_tokens(["b", "x"]).asnumpy(), [[5, 6], [9, 9]])
    with pytest.raises(ValueError):
        e.update_token_vectors("x", mx.nd.array([0, 0]))
    bad = _write(tmp_path / "bad.txt", [["a", 1, 2], ["b", 3, 4, 5]])
    with pytest.raises(AssertionError):
        text.embedding.CustomEmbedding(bad, "\t")


def test_composite_embedding_concatenates_over_a_vocabulary(tmp_path):
    e1 = text.embedding.CustomEmbedding(_write(tmp_path / "1.txt", [["a", 1, 1], ["b", 2, 2]]),
                                        "\t", init_unknown_vec=mx.nd.ones)
    e2 = text.embedding.CustomEmbedding(_write(tmp_path / "2.txt", [["b", 7, 7], ["c", 8, 8]]),
                                        "\t")
    voc = text.vocab.Vocabulary(collections.Counter("c c b a".split()))
    ce = text.embedding.CompositeEmbedding(voc, [e1, e2])
    assert ce.idx_to_token == ["<unk>", "c", "a", "b"] and ce.vec_len == 4
    np.testing.assert_allclose(ce.idx_to_vec.asnumpy(), [[1, 1, 0, 0], [1, 1, 8, 8],
                                                         [1, 1, 0, 0], [2, 2, 7, 7]])


def test_pretrained_file_names_and_registry():
    assert len(text.embedding.get_pretrained_file_names("glove")) == 10
    assert len(text.embedding.get_pretrained_file_names()["fasttext"]) == 327
    with pytest.raises(KeyError):
        text.embedding.get_pretrained_file_names("nope")
    with pytest.raises(KeyError):
        text.embedding.GloVe("glove.nope.txt")


def test_text_is_an_attribute_of_mx_contrib():
    # a fresh interpreter: mx.contrib.text must load on attribute access alone
    code = "import mxnet as mx; print(mx.contrib.text.vocab.Vocabulary.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "Vocabulary"
