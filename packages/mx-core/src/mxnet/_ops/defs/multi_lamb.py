"""Multi-tensor LAMB (MXNet's ``contrib/multi_lamb.cc``): ``_multi_lamb_update`` and
``_multi_mp_lamb_update``, phase 1 and phase 2 of LAMB per tensor with the trust
ratio ``||weight|| / ||update||`` computed in between."""
from ...base import MXNetError
from ..params import Bool, Float, FloatTuple, Int, Shape
from ..registry import register
from .optimizer_op import lamb_phase1, lamb_phase2

_PARAMS = (FloatTuple("learning_rates"), Float("beta1", 0.9), Float("beta2", 0.999),
           Float("epsilon", 1e-6), FloatTuple("wds"), Float("rescale_grad", 1.0),
           Float("lower_bound", -1.0), Float("upper_bound", -1.0),
           Float("clip_gradient", -1.0), Bool("bias_correction", True),
           Shape("step_count"), Int("num_tensors", 1))


def _declare(name, mp):
    group = ("weight", "grad", "mean", "var") + (("weight32",) if mp else ())
    size = len(group)

    def names(attrs):
        return [f"{n}_{i}" for i in range(attrs["num_tensors"]) for n in group]

    @register(name, inputs=("data",), params=_PARAMS, varargs="num_tensors",
              input_filter=names, num_outputs=lambda attrs: attrs["num_tensors"],
              differentiable=False)
    def forward(xp, *data, learning_rates, beta1, beta2, epsilon, wds, rescale_grad,
                lower_bound, upper_bound, clip_gradient, bias_correction, step_count,
                num_tensors):
        if len(data) != size * num_tensors:
            raise MXNetError(f"Operator {name}: expected {size * num_tensors} inputs for "
                             f"num_tensors={num_tensors}, got {len(data)}")
        outs = []
        for i in range(num_tensors):
            weight, grad, mean, var = data[size * i:size * i + 4]
            master = data[size * i + 4] if mp else weight
            g = lamb_phase1(xp, master, grad, mean, var, beta1, beta2, epsilon,
                            step_count[i], bias_correction, wds[i], rescale_grad,
                            clip_gradient)
            r1 = xp.sqrt((master * master).sum()).reshape(1)
            r2 = xp.sqrt((g * g).sum()).reshape(1)
            new = lamb_phase2(xp, master, g, r1, r2, learning_rates[i], lower_bound,
                              upper_bound)
            if mp:
                master[...] = new
            outs.append(new.astype(weight.dtype, copy=False))
        return tuple(outs)

    forward.doc = (f"LAMB on ``num_tensors`` groups ({', '.join(group)}), one step each"
                   + (" on float32 master copies." if mp else "."))
    return forward


_declare("_multi_lamb_update", False)
_declare("_multi_mp_lamb_update", True)
