"""gluon.contrib.data: IntervalSampler and the WikiText language-model datasets."""
import hashlib

import pytest

from mxnet.gluon.contrib import data as cdata


def test_interval_sampler_strides_then_rolls_over():
    assert list(cdata.IntervalSampler(7, 3)) == [0, 3, 6, 1, 4, 2, 5]
    no_roll = cdata.IntervalSampler(7, 3, rollover=False)
    assert list(no_roll) == [0, 3, 6] and len(no_roll) == 7
    with pytest.raises(ValueError):
        cdata.IntervalSampler(2, 3)


def test_wikitext_reads_a_local_token_file(tmp_path):
    content = "a b c\n\n a b\n"
    (tmp_path / "wiki.test.tokens").write_text(content)
    sha1 = hashlib.sha1(content.encode()).hexdigest()

    class Local(cdata.text.WikiText2):
        _files = {"test": ("wiki.test.tokens", sha1)}

    ds = Local(root=str(tmp_path), segment="test", seq_len=3)
    # tokens a b c <eos> a b <eos>: 6 (data, label) pairs make 2 rows of 3
    assert ds.vocabulary.idx_to_token == ["<unk>", "<eos>", "a", "b", "c"]
    assert ds.frequencies["a"] == 2
    assert len(ds) == 2
    data, label = ds[0]
    assert data.asnumpy().tolist() == [2, 3, 4] and label.asnumpy().tolist() == [3, 4, 1]
