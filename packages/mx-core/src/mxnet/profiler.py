"""The profiler (``mx.profiler``), as MXNet 1.9.1's ``python/mxnet/profiler.py``.

``set_config`` / ``set_state('run')`` start recording; while it runs, every operator
kernel is timed (domain ``operator``; inside a custom operator the nested calls go to
``Custom Operator`` as ``<op_type>::<name>``), and the user's :class:`Task`,
:class:`Frame`, :class:`Event`, :class:`Counter` and :class:`Marker` objects add their
own records. ``dump`` writes them as a Chrome trace (``chrome://tracing``) to the
configured file; ``dumps`` returns the aggregate statistics as MXNet's table or JSON.

Timing costs nothing while the profiler is stopped: the kernels are wrapped on
``set_state('run')`` and unwrapped on ``set_state('stop')``.
"""
import json
import os
import threading
import time
import warnings

from ._profiler_core import _DEFAULTS, _REC, _format, _unwrap_operators, _wrap_operators
from .base import MXNetError

__all__ = ["set_config", "set_state", "dump", "dumps", "pause", "resume", "Domain",
           "Task", "Frame", "Event", "Counter", "Marker", "Scope", "set_kvstore_handle",
           "profiler_set_config", "profiler_set_state", "dump_profile"]

_STATES = {"stop": 0, "run": 1}
_SORT = {"total": "Total", "avg": "Avg", "min": "Min", "max": "Max", "count": "Count"}


def _check_process(profile_process):
    if profile_process not in ("worker", "server"):
        raise MXNetError(f"profiler: profile_process must be 'worker' or 'server', got "
                         f"{profile_process!r}")
    if profile_process == "server" and _KVSTORE["handle"] is None:
        raise MXNetError("profiler: profiling the server process needs a kvstore; call "
                         "set_kvstore_handle first")


def set_config(**kwargs):
    """Set up the profiler: ``profile_all``, ``profile_symbolic``, ``profile_imperative``,
    ``profile_memory``, ``profile_api``, ``filename``, ``continuous_dump``,
    ``dump_period``, ``aggregate_stats``, ``profile_process``."""
    unknown = sorted(set(kwargs) - set(_DEFAULTS))
    if unknown:
        raise MXNetError(f"profiler.set_config: cannot find argument {unknown[0]!r}; "
                         f"possible arguments: {', '.join(_DEFAULTS)}")
    _check_process(kwargs.get("profile_process", "worker"))
    _REC.config.update(kwargs)


def set_state(state="stop", profile_process="worker"):
    """Start (``'run'``) or stop (``'stop'``) recording."""
    code = _STATES[state]          # MXNet 1.9.1 compat: an unknown state is a KeyError
    _check_process(profile_process)
    if code and not _REC.running:
        _REC.running = True
        cfg = _REC.config
        if cfg["profile_all"] or cfg["profile_imperative"] or cfg["profile_symbolic"]:
            _wrap_operators()
    elif not code and _REC.running:
        _REC.running = False
        _REC.paused = False
        _unwrap_operators()


def pause(profile_process="worker"):
    """Stop recording without ending the profile (see :func:`resume`)."""
    _check_process(profile_process)
    _REC.paused = True


def resume(profile_process="worker"):
    """Record again after :func:`pause`."""
    _check_process(profile_process)
    _REC.paused = False


def dump(finished=True, profile_process="worker"):
    """Write the events recorded since the last dump to the configured file, a Chrome
    trace (``chrome://tracing``). Dumps append; the file is complete JSON after a dump
    with ``finished=True`` (MXNet's continuous dump works the same way)."""
    _check_process(profile_process)
    with _REC.lock:
        events, _REC.events = _REC.events, []
    filename = _REC.config["filename"]
    fresh = _REC.dump_file != filename
    with open(filename, "w" if fresh else "a") as fout:
        if fresh:
            fout.write('{\n"traceEvents": [\n')
            _REC.dumped = 0
        if events:
            fout.write(",\n" if _REC.dumped else "")
            pid = os.getpid()
            fout.write(",\n".join(_format(e, pid) for e in events))
            _REC.dumped += len(events)
        if finished:
            fout.write('\n],\n"displayTimeUnit": "ms"\n}\n')
    _REC.dump_file = None if finished else filename


def dumps(reset=False, format="table", sort_by="total", ascending=False):
    """The aggregate statistics: MXNet's text table or (``format='json'``) a JSON string
    ``{"Time": {domain: {name: {Count, Total, Min, Max, Avg}}}, "Memory": ...,
    "Unit": ...}`` sorted by ``sort_by`` (total, avg, min, max, count)."""
    if format not in ("table", "json"):
        raise MXNetError(f"profiler.dumps: format must be 'table' or 'json', got {format!r}")
    if sort_by not in _SORT:
        raise MXNetError(f"profiler.dumps: sort_by must be one of {sorted(_SORT)}, got "
                         f"{sort_by!r}")
    key = _SORT[sort_by]
    with _REC.lock:
        time_stats = {}
        for dom in sorted(_REC.stats):
            rows = [_row(name, *vals) for name, vals in _REC.stats[dom].items()]
            rows.sort(key=lambda r: r[1][key], reverse=not ascending)
            time_stats[dom] = dict(rows)
        if reset:
            _REC.stats.clear()
    if format == "json":
        return json.dumps({"Time": time_stats, "Memory": {"Device Storage": {}},
                           "Unit": {"Time": "ms", "Memory": "kB"}}, indent=4)
    return _table(time_stats)


def _row(name, count, total, low, high):
    return name, {"Count": count, "Total": round(total, 4), "Min": round(low, 4),
                  "Max": round(high, 4), "Avg": round(total / count, 4)}


def _table(time_stats):
    lines = ["", "Profile Statistics:", "\tNote the difference in units for different "
             "entries."]
    head = (f"{'Name':<30}{'Total Count':>11}{'Time (ms)':>17}{'Min Time (ms)':>17}"
            f"{'Max Time (ms)':>17}{'Avg Time (ms)':>17}")
    rule = (f"{'----':<30}{'-----------':>11}{'---------':>17}{'-------------':>17}"
            f"{'-------------':>17}{'-------------':>17}")
    for dom, rows in time_stats.items():
        lines += [dom, "=================", head, rule]
        for name, s in rows.items():
            lines.append(f"{name:<30}{s['Count']:>11}{s['Total']:>17.4f}{s['Min']:>17.4f}"
                         f"{s['Max']:>17.4f}{s['Avg']:>17.4f}")
        lines.append("")
    return "\n".join(lines) + "\n"


_KVSTORE = {"handle": None}


def set_kvstore_handle(handle):
    """Remember the kvstore whose server processes ``profile_process='server'`` targets."""
    _KVSTORE["handle"] = handle


class Domain:
    """A named group of profiling objects (tasks, frames, counters, markers)."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def new_task(self, name):
        return Task(self, name)

    def new_frame(self, name):
        return Frame(self, name)

    def new_counter(self, name, value=None):
        return Counter(self, name, value)

    def new_marker(self, name):
        return Marker(self, name)


class _Duration:
    """A named span: ``start()`` ... ``stop()`` adds one record to its domain."""

    def __init__(self, domain, name):
        self.name = name
        self._domain = domain
        self._start = None

    def start(self):
        self._start = time.perf_counter()

    def stop(self):
        if self._start is not None and _REC.active:
            _REC.record(self._domain, self.name, self._start, time.perf_counter())
        self._start = None

    def __str__(self):
        return self.name


class Task(_Duration):
    """A logical unit of work in a domain."""

    def __init__(self, domain, name):
        super().__init__(str(domain), name)
        self.domain = domain


class Frame(_Duration):
    """A span of one iteration (a frame) in a domain."""

    def __init__(self, domain, name):
        super().__init__(f"{domain},frame", name)
        self.domain = domain


class Event(_Duration):
    """A free-standing span, outside any domain."""

    def __init__(self, name):
        super().__init__("event", name)


class Counter:
    """A named integer traced over time (``+=``, ``-=``, ``set_value``)."""

    def __init__(self, domain, name, value=None):
        self.domain = domain
        self.name = name
        self._value = 0
        if value is not None:
            self.set_value(value)

    def set_value(self, value):
        self._value = int(value)
        if _REC.active:
            now = time.perf_counter()
            _REC.record(str(self.domain), self.name, now, now, trace=False)
            _REC.trace(self.name, str(self.domain), "C", now,
                       {"args": {self.name: self._value}})

    def increment(self, delta=1):
        self.set_value(self._value + delta)

    def decrement(self, delta=1):
        self.set_value(self._value - delta)

    def __iadd__(self, delta):
        self.increment(delta)
        return self

    def __isub__(self, delta):
        self.decrement(delta)
        return self

    def __str__(self):
        return self.name


class Marker:
    """An instant event in a domain."""

    _SCOPES = {"global": "g", "process": "p", "thread": "t", "task": "t", "marker": "t"}

    def __init__(self, domain, name):
        self.domain = domain
        self.name = name

    def mark(self, scope="process"):
        """Record the instant; ``scope`` is global, process, thread, task or marker."""
        if scope not in self._SCOPES:
            raise MXNetError(f"profiler.Marker.mark: unknown scope {scope!r}; expected one "
                             f"of {sorted(self._SCOPES)}")
        if _REC.active:
            _REC.domain(f"{self.domain},instant_marker")
            _REC.trace(self.name, f"{self.domain},instant_marker", "i",
                       time.perf_counter(), {"s": self._SCOPES[scope]})


class Scope:
    """``with profiler.Scope('name'):`` names the memory allocations made inside (the
    memory profiler's attribute names); nests with ``:``."""

    _current = threading.local()

    def __init__(self, name="<unk>:", append_mode=False):
        self._name = name if name.endswith(":") else name + ":"
        self._append = append_mode
        self._old = None

    def __enter__(self):
        self._old = getattr(Scope._current, "value", "<unk>:")
        Scope._current.value = (self._old + self._name) if self._append else self._name
        return self

    def __exit__(self, *exc):
        Scope._current.value = self._old


def profiler_set_config(mode="symbolic", filename="profile.json"):
    """Deprecated: use :func:`set_config`."""
    warnings.warn("profiler.profiler_set_config() is deprecated. Please use "
                  "profiler.set_config() instead", DeprecationWarning, stacklevel=2)
    set_config(profile_symbolic=True, profile_imperative=(mode == "all"),
               profile_memory=(mode == "all"), profile_api=(mode == "all"),
               filename=filename)


def profiler_set_state(state="stop"):
    """Deprecated: use :func:`set_state`."""
    warnings.warn("profiler.profiler_set_state() is deprecated. Please use "
                  "profiler.set_state() instead", DeprecationWarning, stacklevel=2)
    set_state(state)


def dump_profile():
    """Deprecated: use :func:`dump`."""
    warnings.warn("profiler.dump_profile() is deprecated. Please use profiler.dump() "
                  "instead", DeprecationWarning, stacklevel=2)
    dump(True)
