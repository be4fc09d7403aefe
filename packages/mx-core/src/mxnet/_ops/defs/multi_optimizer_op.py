"""Multi-tensor SGD updates (MXNet's ``optimizer_op.cc`` multi_* and
``contrib/preloaded_multi_sgd.cc``), used by the Trainer's aggregated updates.

``data`` holds one group of arrays per weight (``weight, grad[, mom][, weight32]``);
the preloaded forms end with two more arrays, the learning rates and weight decays.
Each returns the ``num_weights`` new weights (called with ``out=weights``) and updates
momenta and float32 master weights in place.
"""
from ...base import MXNetError
from ..params import Float, FloatTuple, Int
from ..registry import register
from .optimizer_op import sgd_mom_step, sgd_step

_TAIL = (Float("rescale_grad", 1.0), Float("clip_gradient", -1.0), Int("num_weights", 1))
_MOM = (Float("momentum", 0.0),)
_LRS = (FloatTuple("lrs"), FloatTuple("wds"))


def _groups(name, data, size, num_weights, extra=0):
    n = len(data) - extra
    if n != size * num_weights:
        raise MXNetError(f"Operator {name}: expected {size * num_weights + extra} inputs "
                         f"for num_weights={num_weights}, got {len(data)}")
    return [data[i:i + size] for i in range(0, n, size)]


def _names(mom, mp, preloaded):
    """MXNet's input names: weight_0, grad_0[, mom_0][, weight32_0], ...[, lrs, wds]."""
    group = ("weight", "grad") + (("mom",) if mom else ()) + (("weight32",) if mp else ())

    def names(attrs):
        out = [f"{n}_{i}" for i in range(attrs["num_weights"]) for n in group]
        return out + (["lrs", "wds"] if preloaded else [])
    return names


def _declare(name, size, mom, mp, preloaded):
    params = (() if preloaded else _LRS) + (_MOM if mom else ()) + _TAIL

    @register(name, inputs=("data",), params=params, varargs="num_weights",
              input_filter=_names(mom, mp, preloaded),
              num_outputs=lambda attrs: attrs["num_weights"], differentiable=False)
    def forward(xp, *data, num_weights, rescale_grad, clip_gradient, momentum=0.0,
                lrs=None, wds=None):
        if preloaded:
            lrs, wds = data[-2], data[-1]
        outs = []
        for i, group in enumerate(_groups(name, data, size, num_weights,
                                          2 if preloaded else 0)):
            weight, grad = group[0], group[1]
            lr, wd = float(lrs[i]), float(wds[i])
            master = group[-1] if mp else weight
            if mom:
                new = sgd_mom_step(xp, master, grad, group[2], lr, momentum, wd,
                                   rescale_grad, clip_gradient)
            else:
                new = sgd_step(xp, master, grad, lr, wd, rescale_grad, clip_gradient)
            if mp:
                master[...] = new
                new = master.astype(weight.dtype)
            outs.append(new)
        return tuple(outs)

    forward.doc = (f"Update {num_doc(size, mom, mp, preloaded)} with one "
                   f"{'momentum ' if mom else ''}SGD step each"
                   f"{' on float32 master copies' if mp else ''}.")
    return forward


def num_doc(size, mom, mp, preloaded):
    parts = ["weight", "grad"] + (["mom"] if mom else []) + (["weight32"] if mp else [])
    text = f"``num_weights`` groups ({', '.join(parts)})"
    return text + (" followed by lrs and wds arrays" if preloaded else "")


for _prefix, _pre in (("", False), ("preloaded_", True)):
    _declare(f"{_prefix}multi_sgd_update", 2, False, False, _pre)
    _declare(f"{_prefix}multi_sgd_mom_update", 3, True, False, _pre)
    _declare(f"{_prefix}multi_mp_sgd_update", 3, False, True, _pre)
    _declare(f"{_prefix}multi_mp_sgd_mom_update", 4, True, True, _pre)
