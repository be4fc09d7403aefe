"""Proposal and MultiProposal (MXNet's ``contrib/proposal.cc``, ``multi_proposal.cc``):
Faster R-CNN region proposals.

Anchors (``scales`` x ``ratios`` around a ``feature_stride`` cell, py-faster-rcnn style)
are placed on every feature-map cell, moved by the predicted deltas, clipped to the
image, small boxes disqualified; the best ``rpn_pre_nms_top_n`` go through greedy NMS
and the first ``rpn_post_nms_top_n`` kept boxes (cycled when fewer) are returned."""
import math

from ...params import Bool, Float, FloatTuple, Int
from ...registry import register

PARAMS = (Int("rpn_pre_nms_top_n", 6000), Int("rpn_post_nms_top_n", 300),
          Float("threshold", 0.7), Int("rpn_min_size", 16),
          FloatTuple("scales", (4.0, 8.0, 16.0, 32.0)), FloatTuple("ratios", (0.5, 1.0, 2.0)),
          Int("feature_stride", 16), Bool("output_score", False), Bool("iou_loss", False))


def _base_anchors(stride, ratios, scales):
    """(A, 4) anchors of one cell, ratio-major as MXNet enumerates them."""
    out = []
    ctr = 0.5 * (stride - 1)
    for r in ratios:
        ws = round(math.sqrt(stride * stride / r))
        hs = round(ws * r)
        for s in scales:
            w, h = ws * s, hs * s
            out.append([ctr - 0.5 * (w - 1), ctr - 0.5 * (h - 1),
                        ctr + 0.5 * (w - 1), ctr + 0.5 * (h - 1)])
    return out


def _decode(xp, anchors, deltas, im_h, im_w, iou_loss):
    """Boxes from anchors (M, 4) and deltas (M, 4), clipped to the image."""
    if iou_loss:
        boxes = anchors + deltas
    else:
        w = anchors[:, 2] - anchors[:, 0] + 1
        h = anchors[:, 3] - anchors[:, 1] + 1
        cx, cy = anchors[:, 0] + 0.5 * (w - 1), anchors[:, 1] + 0.5 * (h - 1)
        px, py = deltas[:, 0] * w + cx, deltas[:, 1] * h + cy
        pw, ph = xp.exp(deltas[:, 2]) * w, xp.exp(deltas[:, 3]) * h
        boxes = xp.stack([px - 0.5 * (pw - 1), py - 0.5 * (ph - 1),
                          px + 0.5 * (pw - 1), py + 0.5 * (ph - 1)], axis=1)
    limit = xp.asarray([im_w - 1, im_h - 1, im_w - 1, im_h - 1], dtype=boxes.dtype)
    return xp.clip(boxes, 0, limit)


def _nms(xp, boxes, thresh, limit):
    """Greedy NMS over boxes sorted by score; indices of at most ``limit`` kept."""
    area = (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)
    alive = xp.ones(boxes.shape[0], dtype=bool)
    keep = []
    for i in range(boxes.shape[0]):
        if not bool(alive[i]):
            continue
        keep.append(i)
        if len(keep) >= limit:
            break
        iw = xp.maximum(xp.minimum(boxes[i, 2], boxes[i + 1:, 2])
                        - xp.maximum(boxes[i, 0], boxes[i + 1:, 0]) + 1, 0)
        ih = xp.maximum(xp.minimum(boxes[i, 3], boxes[i + 1:, 3])
                        - xp.maximum(boxes[i, 1], boxes[i + 1:, 1]) + 1, 0)
        inter = iw * ih
        alive[i + 1:] &= inter / (area[i] + area[i + 1:] - inter) <= thresh
    return keep


def _one_image(xp, cls_prob, bbox_pred, im_info, a):
    """(rois (post, 4), scores (post,)) of one image."""
    n_anchor = len(a["ratios"]) * len(a["scales"])
    _, height, width = cls_prob.shape
    base = xp.asarray(_base_anchors(a["feature_stride"], a["ratios"], a["scales"]),
                      dtype="float32")
    sy, sx = xp.meshgrid(xp.arange(height) * a["feature_stride"],
                         xp.arange(width) * a["feature_stride"], indexing="ij")
    shifts = xp.stack([sx, sy, sx, sy], axis=-1).astype("float32")   # (H, W, 4)
    anchors = (shifts[:, :, None, :] + base[None, None]).reshape(-1, 4)
    scores = cls_prob[n_anchor:].transpose(1, 2, 0).reshape(-1)
    deltas = bbox_pred.reshape(n_anchor, 4, height, width).transpose(2, 3, 0, 1)
    im_h, im_w, scale = (float(v) for v in im_info[:3])
    boxes = _decode(xp, anchors, deltas.reshape(-1, 4).astype("float32"), im_h, im_w,
                    a["iou_loss"])
    # cells past the image's own feature-map extent propose nothing
    stride = a["feature_stride"]
    outside = ((xp.arange(height)[:, None] >= int(im_h / stride))
               | (xp.arange(width)[None, :] >= int(im_w / stride)))
    outside = xp.repeat(outside.reshape(-1), n_anchor)
    min_size = a["rpn_min_size"] * scale
    small = ((boxes[:, 2] - boxes[:, 0] + 1 < min_size)
             | (boxes[:, 3] - boxes[:, 1] + 1 < min_size))
    scores = xp.where(small | outside, -1.0, scores.astype("float32"))
    # MXNet 1.9.1 compat: a disqualified box also grows by min_size / 2 on each side
    grow = xp.asarray([-0.5, -0.5, 0.5, 0.5], dtype="float32") * min_size
    boxes = xp.where(small[:, None], boxes + grow, boxes)
    order = xp.argsort(-scores, kind="stable")[:a["rpn_pre_nms_top_n"]]
    boxes, scores = boxes[order], scores[order]
    keep = _nms(xp, boxes, a["threshold"], a["rpn_post_nms_top_n"])
    pick = xp.asarray([keep[i % len(keep)] for i in range(a["rpn_post_nms_top_n"])])
    return boxes[pick], scores[pick]


def _proposals(xp, cls_prob, bbox_pred, im_info, a):
    rois, scores = [], []
    for b in range(cls_prob.shape[0]):
        boxes, score = _one_image(xp, cls_prob[b], bbox_pred[b], im_info[b].tolist(), a)
        index = xp.full((boxes.shape[0], 1), b, dtype=boxes.dtype)
        rois.append(xp.concatenate([index, boxes], axis=1))
        scores.append(score.reshape(-1, 1))
    dtype = cls_prob.dtype
    return (xp.concatenate(rois).astype(dtype), xp.concatenate(scores).astype(dtype))


def _shape(attrs, s):
    n = 1 if s[0] is None else s[0][0]
    rows = n * attrs["rpn_post_nms_top_n"]
    return s, [(rows, 5), (rows, 1)]


def _n_visible(attrs):
    return 2 if attrs["output_score"] else 1


for _name in ("_contrib_Proposal", "_contrib_MultiProposal"):
    _op = register(_name, inputs=("cls_prob", "bbox_pred", "im_info"), params=PARAMS,
                   num_outputs=2, visible_outputs=_n_visible, shape=_shape,
                   output_names=("output", "score"))(
        lambda xp, cls_prob, bbox_pred, im_info, **a:
            _proposals(xp, cls_prob, bbox_pred, im_info, a))

    @_op.gradient
    def _(F, inputs, outputs, ograds, **params):   # MXNet 1.9.1 compat: zero gradients
        return tuple(F.zeros_like(x) for x in inputs)
