"""box_iou and MultiBoxPrior (MXNet's ``contrib/bounding_box.cc``,
``contrib/multibox_prior.cc``)."""
import math

from ...params import Bool, Enum, FloatTuple
from ...registry import register


def _corners(xp, b, fmt):
    if fmt == "corner":
        return b[..., 0], b[..., 1], b[..., 2], b[..., 3]
    x, y, w, h = b[..., 0], b[..., 1], b[..., 2], b[..., 3]
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


@register("_contrib_box_iou", inputs=("lhs", "rhs"),
          params=(Enum("format", ("center", "corner"), "corner"),),
          shape=lambda a, s: (s, [None if None in s else tuple(s[0][:-1]) + tuple(s[1][:-1])]))
def box_iou(xp, lhs, rhs, *, format):
    """Pairwise intersection-over-union of boxes: (..., 4) x (..., 4) -> lhs[:-1] +
    rhs[:-1]; boxes are (xmin, ymin, xmax, ymax) or (x, y, w, h) with 'center'."""
    l = [v.reshape(v.shape + (1,) * (rhs.ndim - 1)) for v in _corners(xp, lhs, format)]
    r = _corners(xp, rhs, format)
    iw = xp.maximum(xp.minimum(l[2], r[2]) - xp.maximum(l[0], r[0]), 0)
    ih = xp.maximum(xp.minimum(l[3], r[3]) - xp.maximum(l[1], r[1]), 0)
    inter = iw * ih
    union = (l[2] - l[0]) * (l[3] - l[1]) + (r[2] - r[0]) * (r[3] - r[1]) - inter
    return xp.where(union > 0, inter / xp.where(union > 0, union, 1), 0).astype(lhs.dtype)


@register("_contrib_MultiBoxPrior", inputs=("data",),
          params=(FloatTuple("sizes", (1.0,)), FloatTuple("ratios", (1.0,)),
                  Bool("clip", False), FloatTuple("steps", (-1.0, -1.0)),
                  FloatTuple("offsets", (0.5, 0.5))), differentiable=False)
def multibox_prior(xp, data, *, sizes, ratios, clip, steps, offsets):
    """Generates SSD prior (anchor) boxes (1, H*W*(len(sizes)+len(ratios)-1), 4) for
    each position of the (N, C, H, W) feature map, normalized to [0, 1]."""
    h, w = data.shape[2:]
    step_y = steps[0] if steps[0] > 0 else 1.0 / h
    step_x = steps[1] if steps[1] > 0 else 1.0 / w
    cy = (xp.arange(h).reshape(-1, 1) + offsets[0]) * step_y
    cx = (xp.arange(w).reshape(1, -1) + offsets[1]) * step_x
    r0 = math.sqrt(ratios[0])
    halves = [(s * h / w * r0 / 2, s / r0 / 2) for s in sizes]
    halves += [(sizes[0] * h / w * math.sqrt(r) / 2, sizes[0] / math.sqrt(r) / 2)
               for r in ratios[1:]]
    boxes = []
    for hw, hh in halves:
        boxes.append(xp.stack(xp.broadcast_arrays(cx - hw, cy - hh, cx + hw, cy + hh),
                              axis=-1))
    out = xp.stack(boxes, axis=2).reshape(1, -1, 4)     # (H, W, anchors, 4) flattened
    if clip:
        out = xp.clip(out, 0, 1)
    return out.astype(data.dtype)
