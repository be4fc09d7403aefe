"""Vocabulary: an index of the tokens of a Counter, most frequent first."""
UNKNOWN_IDX = 0

__all__ = ["Vocabulary"]


class Vocabulary:
    """Indexes tokens: the unknown token gets index 0, then ``reserved_tokens`` in their
    order, then the tokens of ``counter`` by decreasing count (ties alphabetically).

    Parameters
    ----------
    counter : collections.Counter or None
        Token counts (tokens may be any hashable, e.g. tuples).
    most_freq_count : int or None
        At most this many tokens of ``counter`` are indexed (None: all of them).
    min_freq : int
        Tokens counted fewer times are not indexed; must be positive.
    unknown_token : hashable
        The token that every unindexed token maps to.
    reserved_tokens : list or None
        Tokens always indexed (e.g. padding); they must be unique and differ from
        ``unknown_token``.
    """

    def __init__(self, counter=None, most_freq_count=None, min_freq=1, unknown_token="<unk>",
                 reserved_tokens=None):
        # MXNet 1.9.1 compat: argument errors are AssertionErrors
        assert min_freq > 0, "`min_freq` must be set to a positive value."
        if reserved_tokens is not None:
            assert unknown_token not in reserved_tokens, \
                "`reserved_token` cannot contain `unknown_token`."
            assert len(set(reserved_tokens)) == len(reserved_tokens), \
                "`reserved_tokens` cannot contain duplicate reserved tokens."
        self._unknown_token = unknown_token
        self._reserved_tokens = list(reserved_tokens) if reserved_tokens is not None else None
        self._idx_to_token = [unknown_token] + list(reserved_tokens or [])
        self._token_to_idx = {t: i for i, t in enumerate(self._idx_to_token)}
        if counter is not None:
            self._index_counter(counter, most_freq_count, min_freq)

    def _index_counter(self, counter, most_freq_count, min_freq):
        special = set(self._idx_to_token)
        by_freq = sorted(sorted(counter.items(), key=lambda kv: kv[0]),
                         key=lambda kv: kv[1], reverse=True)
        cap = len(special) + (len(counter) if most_freq_count is None else most_freq_count)
        for token, freq in by_freq:
            if freq < min_freq or len(self._idx_to_token) == cap:
                break
            if token not in special:
                self._token_to_idx[token] = len(self._idx_to_token)
                self._idx_to_token.append(token)

    def __len__(self):
        return len(self._idx_to_token)

    @property
    def token_to_idx(self):
        """dict: token -> index."""
        return self._token_to_idx

    @property
    def idx_to_token(self):
        """list: index -> token."""
        return self._idx_to_token

    @property
    def unknown_token(self):
        return self._unknown_token

    @property
    def reserved_tokens(self):
        return self._reserved_tokens

    def to_indices(self, tokens):
        """Index of a token, or list of indices of a list of tokens (unknown -> 0)."""
        if not isinstance(tokens, list):
            return self._token_to_idx.get(tokens, UNKNOWN_IDX)
        return [self._token_to_idx.get(t, UNKNOWN_IDX) for t in tokens]

    def to_tokens(self, indices):
        """Token of an index, or list of tokens of a list of indices."""
        single = not isinstance(indices, list)
        out = []
        for idx in [indices] if single else indices:
            if not isinstance(idx, int) or idx >= len(self._idx_to_token):
                raise ValueError(f"Token index {idx} in the provided `indices` is invalid "
                                 f"(the vocabulary has {len(self._idx_to_token)} tokens).")
            out.append(self._idx_to_token[idx])
        return out[0] if single else out
