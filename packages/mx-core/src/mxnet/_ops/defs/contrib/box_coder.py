"""box_encode and box_decode (MXNet's ``contrib/bounding_box.cc``): anchor-relative
box regression targets with normalized center offsets and log sizes."""
import contextlib

from ...params import Enum, Float
from ...registry import register


def _quiet(xp):
    """Silence 0/0 and log(0) of degenerate boxes (CuPy has no errstate: never warns)."""
    errstate = getattr(xp, "errstate", None)
    return errstate(divide="ignore", invalid="ignore") if errstate else contextlib.nullcontext()


def _center(xp, b):
    w, h = b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]
    return b[..., 0] + w / 2, b[..., 1] + h / 2, w, h


@register("_contrib_box_encode", inputs=("samples", "matches", "anchors", "refs", "means",
                                         "stds"), num_outputs=2, differentiable=False,
          shape=lambda a, s: (s, [None if s[2] is None else tuple(s[2])] * 2))
def box_encode(xp, samples, matches, anchors, refs, means, stds):
    """Regression targets of the positive samples (value > 0.5): ``((ref_x - a_x) / a_w
    - mean) / std`` for the centers and ``(log(ref_w / a_w) - mean) / std`` for the
    sizes; returns (targets, masks), both (B, N, 4)."""
    ref = xp.take_along_axis(refs, matches.astype("int64")[..., None], axis=1)
    ax, ay, aw, ah = _center(xp, anchors)
    rx, ry, rw, rh = _center(xp, ref)
    pos = samples > 0.5
    with _quiet(xp):
        t = xp.stack([(rx - ax) / aw, (ry - ay) / ah, xp.log(rw / aw), xp.log(rh / ah)],
                     axis=-1)
    t = (t - means) / stds
    mask = xp.broadcast_to(pos[..., None], t.shape)
    targets = xp.where(mask, t, 0).astype(anchors.dtype)
    return targets, mask.astype(anchors.dtype)


@register("_contrib_box_decode", inputs=("data", "anchors"),
          params=(Float("std0", 1.0), Float("std1", 1.0), Float("std2", 1.0),
                  Float("std3", 1.0), Float("clip", -1.0),
                  Enum("format", ("center", "corner"), "center")),
          shape=lambda a, s: (s, [s[0]]))
def box_decode(xp, data, anchors, *, std0, std1, std2, std3, clip, format):
    """Decodes (B, N, 4) offsets against (1, N, 4) anchors into corner boxes: centers
    ``d * std * a_size + a_center``, sizes ``exp(d * std) * a_size`` (d clipped to
    ``clip`` first when positive)."""
    if format == "corner":
        ax, ay, aw, ah = _center(xp, anchors)
    else:
        ax, ay, aw, ah = (anchors[..., i] for i in range(4))
    ox = data[..., 0] * std0 * aw + ax
    oy = data[..., 1] * std1 * ah + ay
    dw, dh = data[..., 2] * std2, data[..., 3] * std3
    if clip > 0:
        dw, dh = xp.minimum(dw, clip), xp.minimum(dh, clip)
    hw, hh = xp.exp(dw) * aw / 2, xp.exp(dh) * ah / 2
    return xp.stack([ox - hw, oy - hh, ox + hw, oy + hh], axis=-1).astype(data.dtype)


@box_decode.gradient
def _(F, inputs, outputs, ograds, **params):
    # d/ddata through the affine centers and exponential sizes (see _backward_box_decode)
    return F._internal._backward_box_decode(ograds[0], *inputs, **params), None


@register("_backward_box_decode", inputs=("ograd", "data", "anchors"),
          params=(Float("std0", 1.0), Float("std1", 1.0), Float("std2", 1.0),
                  Float("std3", 1.0), Float("clip", -1.0),
                  Enum("format", ("center", "corner"), "center")), differentiable=False)
def _backward_box_decode(xp, g, data, anchors, *, std0, std1, std2, std3, clip, format):
    """Gradient of box_decode with respect to its data."""
    if format == "corner":
        _, _, aw, ah = _center(xp, anchors)
    else:
        aw, ah = anchors[..., 2], anchors[..., 3]
    dw, dh = data[..., 2] * std2, data[..., 3] * std3
    kw = (dw < clip) if clip > 0 else 1
    kh = (dh < clip) if clip > 0 else 1
    if clip > 0:
        dw, dh = xp.minimum(dw, clip), xp.minimum(dh, clip)
    hw, hh = xp.exp(dw) * aw / 2, xp.exp(dh) * ah / 2
    gx = (g[..., 0] + g[..., 2]) * std0 * aw
    gy = (g[..., 1] + g[..., 3]) * std1 * ah
    gw = (g[..., 2] - g[..., 0]) * hw * std2 * kw
    gh = (g[..., 3] - g[..., 1]) * hh * std3 * kh
    return xp.stack([gx, gy, gw, gh], axis=-1).astype(data.dtype)
