"""MultiBoxTarget (MXNet's ``contrib/multibox_target.cc``): SSD training targets.

Anchors are matched to ground truths greedily (best remaining pair first), then by
``overlap_threshold``; negatives are all the others or, with hard negative mining, the
least background-confident ones. Loops run over ground truths, not anchors."""
import contextlib

from ...params import Float, FloatTuple, Int
from ...registry import register


def _quiet(xp):
    """Silence 0/0 and log(0) of degenerate boxes (CuPy has no errstate: never warns)."""
    errstate = getattr(xp, "errstate", None)
    return errstate(divide="ignore", invalid="ignore") if errstate else contextlib.nullcontext()

PARAMS = (Float("overlap_threshold", 0.5), Float("ignore_label", -1.0),
          Float("negative_mining_ratio", -1.0), Float("negative_mining_thresh", 0.5),
          Int("minimum_negative_samples", 0), FloatTuple("variances", (0.1, 0.1, 0.2, 0.2)))


def _iou(xp, a, b):
    """(Na, Nb) IoU of corner boxes."""
    a, b = a[:, None], b[None]
    iw = xp.maximum(xp.minimum(a[..., 2], b[..., 2]) - xp.maximum(a[..., 0], b[..., 0]), 0)
    ih = xp.maximum(xp.minimum(a[..., 3], b[..., 3]) - xp.maximum(a[..., 1], b[..., 1]), 0)
    inter = iw * ih
    union = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1]) \
        + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter
    return xp.where(union <= 0, 0, inter / xp.where(union <= 0, 1, union))


def _match(xp, iou, thresh):
    """(flags, matched gt, best iou) per anchor: flags 1 positive, -1 undecided."""
    n_anchor, n_gt = iou.shape
    flags = xp.full(n_anchor, -1, dtype="int64")
    match = xp.full(n_anchor, -1, dtype="int64")
    best = xp.full(n_anchor, -1.0)
    free = iou.copy()
    for _ in range(n_gt):                       # bipartite: best remaining pair first
        j = int(free.argmax())
        a, g = divmod(j, n_gt)
        if not free[a, g] > 1e-6:
            break
        flags[a], match[a], best[a] = 1, g, free[a, g]
        free[a, :] = -1
        free[:, g] = -1
    rest = flags != 1
    arg = iou.argmax(axis=1)
    top = iou.max(axis=1)
    match = xp.where(rest, arg, match)
    best = xp.where(rest, top, best)
    if thresh > 0:
        flags = xp.where(rest & (top > thresh), 1, flags)
    return flags, match, best


def _negatives(xp, flags, best, preds, a):
    n_pos = int((flags == 1).sum())
    n_neg = min(int(n_pos * a["negative_mining_ratio"]), flags.size - n_pos)
    if n_neg <= 0:
        return flags
    z = preds - preds.max(axis=0, keepdims=True)
    p_bg = xp.exp(z[0]) / xp.exp(z).sum(axis=0)
    cand = xp.nonzero((flags == -1) & (best < a["negative_mining_thresh"]))[0]
    order = cand[xp.argsort(p_bg[cand], kind="stable")][:n_neg]
    flags = flags.copy()
    flags[order] = 0
    return flags


@register("_contrib_MultiBoxTarget", inputs=("anchor", "label", "cls_pred"), params=PARAMS,
          num_outputs=3, differentiable=False,
          output_names=("loc_target", "loc_mask", "cls_target"))
def multibox_target(xp, anchor, label, cls_pred, **a):
    """Training targets for SSD: (loc_target (B, N*4), loc_mask (B, N*4), cls_target
    (B, N)) from (1, N, 4) anchors and (B, M, 5) labels ``[class, xmin, ymin, xmax,
    ymax]`` padded with -1; class targets are label + 1 (0 is background)."""
    anchors = anchor.reshape(-1, 4).astype("float64")
    b, n = label.shape[0], anchors.shape[0]
    loc_t = xp.zeros((b, n, 4), dtype=anchor.dtype)
    loc_m = xp.zeros((b, n, 4), dtype=anchor.dtype)
    cls_t = xp.full((b, n), a["ignore_label"], dtype=anchor.dtype)
    v = a["variances"]
    for i in range(b):
        lab = label[i].astype("float64")
        pad = xp.nonzero(lab[:, 0] == -1)[0]
        n_gt = int(pad[0]) if len(pad) else lab.shape[0]
        if n_gt == 0:
            continue
        flags, match, best = _match(xp, _iou(xp, anchors, lab[:n_gt, 1:5]),
                                    a["overlap_threshold"])
        if a["negative_mining_ratio"] > 0:
            flags = _negatives(xp, flags, best, cls_pred[i].astype("float64"), a)
        else:
            flags = xp.where(flags != 1, 0, flags)
        pos = flags == 1
        g = lab[xp.maximum(match, 0)]
        aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
        ax, ay = (anchors[:, 0] + anchors[:, 2]) / 2, (anchors[:, 1] + anchors[:, 3]) / 2
        gw, gh = g[:, 3] - g[:, 1], g[:, 4] - g[:, 2]
        gx, gy = (g[:, 1] + g[:, 3]) / 2, (g[:, 2] + g[:, 4]) / 2
        with _quiet(xp):
            t = xp.stack([(gx - ax) / aw / v[0], (gy - ay) / ah / v[1],
                          xp.log(gw / aw) / v[2], xp.log(gh / ah) / v[3]], axis=1)
        loc_t[i] = xp.where(pos[:, None], t, 0)
        loc_m[i] = pos[:, None]
        cls_t[i] = xp.where(pos, g[:, 0] + 1, xp.where(flags == 0, 0, cls_t[i]))
    return loc_t.reshape(b, -1), loc_m.reshape(b, -1), cls_t
