"""bipartite_matching (MXNet's ``contrib/bounding_box.cc``): greedy row/column matching.

Scores are visited best first; a pair is matched when neither its row nor its column is
taken yet. The pass is sequential by nature, one Python step per visited score."""
from ...params import Bool, Float, Int
from ...registry import register


def _match_one(xp, scores, threshold, is_ascend, topk):
    """(row_marker, col_marker) of one (N, M) score matrix; -1 marks unmatched."""
    n, m = scores.shape
    flat = scores.reshape(-1)
    order = xp.argsort(flat if is_ascend else -flat, kind="stable")
    rows = [-1] * n
    cols = [-1] * m
    count = 0
    for idx in order.tolist():
        s = float(flat[idx])
        if (s >= threshold) if is_ascend else (s <= threshold):
            break
        r, c = divmod(idx, m)
        if rows[r] == -1 and cols[c] == -1:
            rows[r], cols[c] = c, r
            count += 1
            # MXNet 1.9.1 compat: the count is checked after recording, so topk=k keeps k+1.
            if 0 < topk < count:
                break
    return rows, cols


def _shape(attrs, in_shapes):
    s = in_shapes[0]
    if s is None:
        return in_shapes, [None, None]
    return in_shapes, [tuple(s[:-1]), tuple(s[:-2]) + (s[-1],)]


@register("_contrib_bipartite_matching", inputs=("data",), num_outputs=2, shape=_shape,
          params=(Bool("is_ascend", False), Float("threshold"), Int("topk", -1)),
          differentiable=False)
def bipartite_matching(xp, data, is_ascend=False, threshold=None, topk=-1):
    """Greedy bipartite matching of the last two axes (rows x columns) of ``data``."""
    flat = data.reshape((-1,) + data.shape[-2:])
    row_out = xp.full(flat.shape[:2], -1, dtype=data.dtype)
    col_out = xp.full((flat.shape[0], flat.shape[2]), -1, dtype=data.dtype)
    for b in range(flat.shape[0]):
        rows, cols = _match_one(xp, flat[b], threshold, is_ascend, topk)
        row_out[b] = xp.asarray(rows, dtype=data.dtype)
        col_out[b] = xp.asarray(cols, dtype=data.dtype)
    return (row_out.reshape(data.shape[:-1]),
            col_out.reshape(data.shape[:-2] + (data.shape[-1],)))
