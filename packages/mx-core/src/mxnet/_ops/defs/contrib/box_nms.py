"""box_nms (MXNet's ``contrib/bounding_box.cc``): greedy non-maximum suppression.

The greedy pass is sequential by nature: one Python iteration per kept box, each
suppressing all the remaining overlapping boxes at once."""
from ...params import Bool, Enum, Float, Int
from ...registry import register

_FMT = ("center", "corner")
PARAMS = (Float("overlap_thresh", 0.5), Float("valid_thresh", 0.0), Int("topk", -1),
          Int("coord_start", 2), Int("score_index", 1), Int("id_index", -1),
          Int("background_id", -1), Bool("force_suppress", False),
          Enum("in_format", _FMT, "corner"), Enum("out_format", _FMT, "corner"))


def _to_corner(xp, b):
    x, y, w, h = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    return xp.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], axis=1)


def _to_center(xp, b):
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    return xp.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=1)


def _iou(xp, box, boxes):
    iw = xp.maximum(xp.minimum(box[2], boxes[:, 2]) - xp.maximum(box[0], boxes[:, 0]), 0)
    ih = xp.maximum(xp.minimum(box[3], boxes[:, 3]) - xp.maximum(box[1], boxes[:, 1]), 0)
    inter = iw * ih
    union = (box[2] - box[0]) * (box[3] - box[1]) \
        + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter
    return xp.where(union > 0, inter / xp.where(union > 0, union, 1), 0)


def _nms_one(xp, rows, a):
    """Kept row indices of one batch item, best score first."""
    scores = rows[:, a["score_index"]]
    valid = scores > a["valid_thresh"]
    if a["id_index"] >= 0:
        ids = rows[:, a["id_index"]]
        # MXNet 1.9.1 compat: only background_id marks a box invalid; with background_id=0
        # a box of id -1 is kept.
        valid &= ids != a["background_id"]
    order = xp.argsort(-scores, kind="stable")
    order = order[valid[order]]
    if a["topk"] > 0:
        order = order[:a["topk"]]
    cs = a["coord_start"]
    boxes = rows[order, cs:cs + 4].astype("float64")
    if a["in_format"] == "center":
        boxes = _to_corner(xp, boxes)
    alive = xp.ones(len(order), dtype=bool)
    for i in range(len(order)):
        if not bool(alive[i]):
            continue
        later = xp.zeros(len(order), dtype=bool)
        later[i + 1:] = True
        hit = _iou(xp, boxes[i], boxes) > a["overlap_thresh"]
        if not a["force_suppress"] and a["id_index"] >= 0:
            ids = rows[order, a["id_index"]]
            hit &= ids == ids[i]
        alive &= ~(hit & later)
    return order[alive]


@register("_contrib_box_nms", inputs=("data",), params=PARAMS, num_outputs=2,
          visible_outputs=1, aliases=("_contrib_box_non_maximum_suppression",),
          shape=lambda a, s: (s, [s[0], None if s[0] is None else tuple(s[0][:-1])]))
def box_nms(xp, data, **a):
    """Non-maximum suppression of (..., N, K) box records: valid boxes sorted by score,
    overlapping ones (IoU > overlap_thresh, same class unless force_suppress) removed;
    kept records are moved to the top, the other rows set to -1."""
    flat = data.reshape((-1,) + data.shape[-2:])
    out = xp.full(flat.shape, -1, dtype=data.dtype)
    record = xp.full(flat.shape[:2], -1, dtype=data.dtype)
    cs = a["coord_start"]
    for b in range(flat.shape[0]):
        keep = _nms_one(xp, flat[b], a)
        out[b, :len(keep)] = flat[b, keep]
        record[b, :len(keep)] = keep
        if a["out_format"] != a["in_format"] and len(keep):
            conv = _to_center if a["out_format"] == "center" else _to_corner
            out[b, :len(keep), cs:cs + 4] = conv(xp, flat[b, keep, cs:cs + 4])
    return out.reshape(data.shape), record.reshape(data.shape[:-1])


@box_nms.gradient
def _(F, inputs, outputs, ograds, **params):
    # kept records move unchanged: d/ddata routes each output row's gradient back
    return (F._internal._backward_box_nms(ograds[0], outputs[1], **params),)


@register("_backward_box_nms", inputs=("ograd", "record"), params=PARAMS,
          differentiable=False)
def _backward_box_nms(xp, ograd, record, **a):
    """Gradient of box_nms with respect to its data."""
    g = ograd.reshape((-1,) + ograd.shape[-2:])
    rec = record.reshape(g.shape[:2]).astype("int64")
    dx = xp.zeros(g.shape, dtype=ograd.dtype)
    for b in range(g.shape[0]):
        kept = rec[b] >= 0
        dx[b, rec[b][kept]] = g[b][kept]
    return dx.reshape(ograd.shape)
