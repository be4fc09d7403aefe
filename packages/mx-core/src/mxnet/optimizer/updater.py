"""``Updater``: an optimizer and the per-index states; ``updater(index, grad, weight)``."""
from ..ndarray import NDArray
from . import _states

__all__ = ["Updater", "get_updater"]


class Updater:
    """Applies ``optimizer`` to weights by index, creating each index's state on first use.

    Optimizers with ``aggregate_num > 0`` (SGD, LARS, LAMB) are given the indices of one
    dtype in groups of ``aggregate_num``, as MXNet 1.9.1 does.
    """

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight):
        if isinstance(index, (list, tuple)):
            indices, grads, weights = list(index), list(grad), list(weight)
        else:
            indices, grads, weights = [index], [grad], [weight]
        if weights:
            self.optimizer._set_current_context(weights[0].context.device_id)
        for i, idx in enumerate(indices):
            if isinstance(idx, bytes):
                idx = indices[i] = idx.decode("utf-8")
            if idx not in self.states:
                self.states[idx] = self.optimizer.create_state_multi_precision(idx, weights[i])
                self.states_synced[idx] = True
            elif not self.states_synced[idx]:
                self.states[idx] = self.sync_state_context(self.states[idx],
                                                           weights[i].context)
                self.states_synced[idx] = True
        if self.aggregate_updates:
            self._update_grouped(indices, weights, grads)
        else:
            for i, w, g in zip(indices, weights, grads):
                self.optimizer.update_multi_precision(i, w, g, self.states[i])

    def _update_grouped(self, indices, weights, grads):
        by_dtype = {}
        for item in zip(indices, weights, grads):
            by_dtype.setdefault(item[1].dtype, []).append(item)
        step = self.optimizer.aggregate_num
        for items in by_dtype.values():
            for start in range(0, len(items), step):
                idx, ws, gs = zip(*items[start:start + step])
                self.optimizer.update_multi_precision(
                    idx, ws, gs, [self.states[i] for i in idx])

    def sync_state_context(self, state, context):
        """``state`` (an NDArray or nested tuples/lists of them) moved to ``context``."""
        if isinstance(state, NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            return type(state)(self.sync_state_context(s, context) for s in state)
        return state

    def set_states(self, states):
        """Load states written by ``get_states`` (here or by MXNet 1.9.1).

        The data is MXNet's pickle format, read with an allow-list Unpickler (see
        ``mxnet.optimizer._states``): only containers, numbers, NDArrays, optimizers and
        learning-rate schedulers are rebuilt.
        """
        states = _states.loads(states)
        if isinstance(states, tuple) and len(states) == 2:
            self.states, self.optimizer = states
        else:
            self.states = states
        self.states_synced = dict.fromkeys(self.states.keys(), False)

    def get_states(self, dump_optimizer=False):
        """The states (and the optimizer) as bytes, in MXNet 1.9.1's format."""
        return _states.dumps((self.states, self.optimizer) if dump_optimizer
                             else self.states)


def get_updater(optimizer):
    """An ``Updater`` for ``optimizer`` (what KVStore and Trainer call per parameter)."""
    return Updater(optimizer)
