"""``Block.summary``: MXNet 1.9.1's table of layers, output shapes and parameter counts."""
from collections import OrderedDict

from .. import ndarray

_LINE = "{:>20}  {:>42} {:>15}"


def _shape_str(args):
    def shapes(x):
        if isinstance(x, ndarray.NDArray):
            return x.shape
        if isinstance(x, (list, tuple)):
            return [shapes(i) for i in x]
        return x
    found = shapes(args)
    text = str(found)[1:-1] if isinstance(found, list) else str(found)
    return text.replace("L", "")


def summary(block, inputs):
    """Run ``block`` on ``inputs`` with forward hooks and print the summary table."""
    from .block import HybridBlock
    from .nn.basic_layers import HybridSequential, Sequential
    table = OrderedDict()
    table["Input"] = {"output_shape": _shape_str(list(inputs) if len(inputs) > 1
                                                 else inputs[0]),
                      "n_params": 0, "trainable": 0, "shared": 0}
    seen, hooks = set(), []

    def hook(child, _, outputs):
        key = f"{type(child).__name__}-{len(table)}"
        entry = table[key] = {"output_shape": _shape_str(outputs), "n_params": 0,
                              "trainable": 0, "shared": 0}
        for param in child.params.values():
            size = param.data().size
            entry["n_params"] += size
            entry["trainable"] += 0 if param.grad_req == "null" else size
            if param in seen:
                entry["shared"] += size
            else:
                seen.add(param)

    def register(child):
        if isinstance(child, HybridBlock) and child._active:
            raise AssertionError(f'"{child.name}" must not be hybridized to print summary.')
        if not isinstance(child, (Sequential, HybridSequential)):
            hooks.append(child.register_forward_hook(hook))

    try:
        block.apply(register)
        block(*inputs)
        print("-" * 80)
        print(_LINE.format("Layer (type)", "Output Shape", "Param #"))
        print("=" * 80)
        total = trainable = shared = 0
        for name, entry in table.items():
            print(_LINE.format(name, str(entry["output_shape"]), entry["n_params"]))
            total += entry["n_params"]
            trainable += entry["trainable"]
            shared += entry["shared"]
        print("=" * 80)
        print("Parameters in forward computation graph, duplicate included")
        print(f"   Total params: {total}")
        print(f"   Trainable params: {trainable}")
        print(f"   Non-trainable params: {total - trainable}")
        print(f"Shared params in forward computation graph: {shared}")
        print(f"Unique parameters in model: {total - shared}")
        print("-" * 80)
    finally:
        for handle in hooks:
            handle.detach()
