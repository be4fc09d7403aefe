"""MultiBoxDetection (MXNet's ``contrib/multibox_detection.cc``): SSD predictions to
(class id, score, box) records, sorted by score, with greedy per-class NMS."""
from ...params import Bool, Float, FloatTuple, Int
from ...registry import register

PARAMS = (Bool("clip", True), Float("threshold", 0.01), Int("background_id", 0),
          Float("nms_threshold", 0.5), Bool("force_suppress", False),
          FloatTuple("variances", (0.1, 0.1, 0.2, 0.2)), Int("nms_topk", -1))


def _decode(xp, anchors, loc, v, clip):
    al, at, ar, ab = (anchors[:, i] for i in range(4))
    aw, ah = ar - al, ab - at
    ax, ay = (al + ar) / 2, (at + ab) / 2
    ox = loc[:, 0] * v[0] * aw + ax
    oy = loc[:, 1] * v[1] * ah + ay
    ow = xp.exp(loc[:, 2] * v[2]) * aw / 2
    oh = xp.exp(loc[:, 3] * v[3]) * ah / 2
    box = xp.stack([ox - ow, oy - oh, ox + ow, oy + oh], axis=1)
    return xp.clip(box, 0, 1) if clip else box


def _iou(xp, box, boxes):
    iw = xp.maximum(xp.minimum(box[2], boxes[:, 2]) - xp.maximum(box[0], boxes[:, 0]), 0)
    ih = xp.maximum(xp.minimum(box[3], boxes[:, 3]) - xp.maximum(box[1], boxes[:, 1]), 0)
    inter = iw * ih
    union = (box[2] - box[0]) * (box[3] - box[1]) \
        + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter
    return xp.where(union <= 0, 0, inter / xp.where(union <= 0, 1, union))


def _one(xp, out, prob, loc, anchors, a):
    """Fill ``out`` (N, 6) for one batch item, MXNet's way."""
    fg = prob[1:]                                         # class 0 is the background
    cls = fg.argmax(axis=0)                               # first maximum, as MXNet
    score = fg.max(axis=0)
    valid = xp.nonzero(score >= a["threshold"])[0]
    n = len(valid)
    if n == 0:
        return
    rec = xp.concatenate([cls[valid, None].astype(out.dtype), score[valid, None],
                          _decode(xp, anchors[valid], loc[valid], a["variances"],
                                  a["clip"])], axis=1)
    out[:n] = rec
    if not 0 < a["nms_threshold"] <= 1:
        return
    order = xp.argsort(-rec[:, 1], kind="stable")
    keep = n if a["nms_topk"] <= 0 else min(a["nms_topk"], n)
    # MXNet 1.9.1 compat: past nms_topk the rows keep the anchor-order records, class -1
    out[:keep] = rec[order[:keep]]
    out[keep:n, 0] = -1
    for i in range(keep):
        if out[i, 0] < 0:
            continue
        rest = out[i + 1:keep]
        hit = _iou(xp, out[i, 2:], rest[:, 2:]) >= a["nms_threshold"]
        if not a["force_suppress"]:
            hit &= rest[:, 0] == out[i, 0]
        rest[hit & (rest[:, 0] >= 0), 0] = -1


@register("_contrib_MultiBoxDetection", inputs=("cls_prob", "loc_pred", "anchor"),
          params=PARAMS, differentiable=False,
          shape=lambda a, s: (s, [None if s[0] is None else (s[0][0], s[0][2], 6)]))
def multibox_detection(xp, cls_prob, loc_pred, anchor, **a):
    """Converts (B, classes, N) probabilities, (B, N*4) offsets and (1, N, 4) anchors
    into (B, N, 6) detections ``[class_id, score, xmin, ymin, xmax, ymax]``; rejected
    and suppressed records have class -1."""
    b, _, n = cls_prob.shape
    out = xp.full((b, n, 6), -1, dtype=cls_prob.dtype)
    anchors = anchor.reshape(-1, 4)
    for i in range(b):
        _one(xp, out[i], cls_prob[i], loc_pred[i].reshape(-1, 4), anchors, a)
    return out
