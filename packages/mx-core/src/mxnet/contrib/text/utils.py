"""Token counting for building vocabularies."""
import collections
import re

__all__ = ["count_tokens_from_str"]


def count_tokens_from_str(source_str, token_delim=" ", seq_delim="\n", to_lower=False,
                          counter_to_update=None):
    """Counts the tokens of ``source_str``, split at ``token_delim`` and ``seq_delim``.

    The delimiters are regular expressions (MXNet 1.9.1 joins them with ``|``), so a
    literal ``*`` must be passed as ``'\\*'``. Empty tokens are dropped. With
    ``counter_to_update`` the counts are added to that Counter, which is returned.

    >>> count_tokens_from_str(' Life is great ! \\n life is good . \\n', ' ', '\\n', True)
    Counter({'life': 2, 'is': 2, 'great': 1, '!': 1, 'good': 1, '.': 1})
    """
    tokens = [t for t in re.split(token_delim + "|" + seq_delim, source_str) if t]
    if to_lower:
        tokens = [t.lower() for t in tokens]
    if counter_to_update is None:
        return collections.Counter(tokens)
    counter_to_update.update(tokens)
    return counter_to_update
