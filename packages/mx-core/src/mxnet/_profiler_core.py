"""The recorder behind ``mx.profiler``: aggregate statistics, trace events, and the
timing wrappers put around operator kernels while the profiler runs."""
import functools
import json
import threading
import time

__all__ = []

_DEFAULTS = {"profile_all": False, "profile_symbolic": False, "profile_imperative": False,
             "profile_memory": False, "profile_api": False, "filename": "profile.json",
             "continuous_dump": False, "dump_period": 1.0, "aggregate_stats": False,
             "profile_process": "worker"}


class _Recorder:
    """Process-wide profiler state: configuration, trace events, aggregate stats."""

    def __init__(self):
        self.config = dict(_DEFAULTS)
        self.running = False
        self.paused = False
        self.events = []
        self.stats = {}          # domain -> name -> [count, total, min, max] (ms)
        self.lock = threading.Lock()
        self.custom = threading.local()
        self.wrapped = []        # (op, original forward, kernels, grad_fn) to restore
        self.dump_file = None    # the trace file a continuous dump is appending to
        self.dumped = 0          # events written to it so far

    @property
    def active(self):
        return self.running and not self.paused

    def domain(self, name):
        with self.lock:
            return self.stats.setdefault(name, {})

    def record(self, domain, name, start, stop, trace=True):
        """Add one timed record (``time.perf_counter`` seconds)."""
        ms = (stop - start) * 1e3
        with self.lock:
            entry = self.stats.setdefault(domain, {}).get(name)
            if entry is None:
                self.stats[domain][name] = [1, ms, ms, ms]
            else:
                entry[0] += 1
                entry[1] += ms
                entry[2] = min(entry[2], ms)
                entry[3] = max(entry[3], ms)
            if trace:
                tid = threading.get_ident()
                self.events.append((name, domain, "B", _us(start), None, tid))
                self.events.append((name, domain, "E", _us(stop), None, tid))

    def trace(self, name, domain, phase, seconds, extra):
        # a tuple, formatted at dump time: counters may change 100,000s of times
        event = (name, domain, phase, _us(seconds), extra, threading.get_ident())
        with self.lock:
            self.events.append(event)


@functools.lru_cache(maxsize=4096)
def _quote(text):
    return json.dumps(text)


def _format(event, pid):
    name, domain, phase, ts, extra, tid = event
    text = (f'{{"name": {_quote(name)}, "cat": {_quote(domain)}, "ph": "{phase}", '
            f'"ts": {ts}, "pid": {pid}, "tid": {tid}')
    return text + (", " + json.dumps(extra)[1:-1] if extra else "") + "}"


_REC = _Recorder()


def _us(seconds):
    return int(seconds * 1e6)


def _custom_stack():
    stack = getattr(_REC.custom, "stack", None)
    if stack is None:
        stack = _REC.custom.stack = []
    return stack


def _timed(op, fn):
    """``fn`` (an operator kernel) timed into the profiler while it runs."""
    def kernel(*args, **kwargs):
        if not _REC.active:
            return fn(*args, **kwargs)
        stack = _custom_stack()
        if op.name == "Custom":
            stack.append(kwargs.get("op_type", "Custom"))
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stop = time.perf_counter()
            if op.name == "Custom":
                _REC.record("Custom Operator", f"{stack.pop()}::pure_python", start, stop)
            if stack:
                _REC.record("Custom Operator", f"{stack[-1]}::{op.name}", start, stop)
            else:
                _REC.record("operator", op.name, start, stop)
    kernel.__wrapped__ = fn
    return kernel


def _timed_custom_grad(grad_fn):
    def grad(F, inputs, outputs, ograds, **attrs):
        if not _REC.active:
            return grad_fn(F, inputs, outputs, ograds, **attrs)
        name = f"_backward_{attrs.get('op_type', 'Custom')}"
        stack = _custom_stack()
        stack.append(name)
        start = time.perf_counter()
        try:
            return grad_fn(F, inputs, outputs, ograds, **attrs)
        finally:
            stack.pop()
            _REC.record("Custom Operator", f"{name}::pure_python", start,
                        time.perf_counter())
    grad.__wrapped__ = grad_fn
    return grad


def _wrap_operators():
    from .ndarray import _REGISTRY
    for op in _REGISTRY.ops():
        saved = (op, op.forward, dict(op.kernels), op.grad_fn)
        op.forward = _timed(op, op.forward)
        op.kernels = {k: _timed(op, f) for k, f in op.kernels.items()}
        if op.name == "Custom" and op.grad_fn is not None:
            op.grad_fn = _timed_custom_grad(op.grad_fn)
        _REC.wrapped.append(saved)


def _unwrap_operators():
    while _REC.wrapped:
        op, forward, kernels, grad_fn = _REC.wrapped.pop()
        op.forward, op.kernels, op.grad_fn = forward, kernels, grad_fn
