"""The domain's port of observation: what happened, told to the metrics and the request log.

Sources, the upstream layer and the web layer say what happened (a cache outcome, an upstream call
and how long it took, an upload's outcome, an event such as a breaker opening). Each observation is
tallied in this process's `counters` (by name, labels aside) and handed to the sink the composition
root binds (gallery/metrics.py: Prometheus, summed over every process). No Flask, no Prometheus here.
The web layer opens a request's notes (cache outcome, upstream calls) with begin() for its request log;
outside a request (the worker, the CLI, background refreshes) only the counters move.
"""
import threading
from collections import Counter
from contextvars import ContextVar

_lock = threading.Lock()
counters = Counter()  # this process's tally, by name
_notes = ContextVar("gallery_request_notes", default=None)


class Sink:
    """What a metrics binding implements; this one records nothing (no binding: a bare domain)."""

    def count(self, name, n, labels):
        """An event counter (`name` as counted below), with its labels."""

    def cache(self, outcome):
        """One cache outcome: hit | revalidated | miss | stale | bypass."""

    def upstream(self, provider, outcome, seconds):
        """One upstream request and its duration; outcome "ok" or the failure's kind."""

    def upload(self, status):
        """An upload reached `status`: accepted, submitted, retrying or failed."""


_sink = Sink()


def bind(sink):
    global _sink
    _sink = sink


def _tally(name, n=1):
    with _lock:
        counters[name] += n


def count(name, n=1, **labels):
    """An event (`name` ends in _total), e.g. count("upstream_failed_fast_total", provider="olapic")."""
    _tally(name, n)
    _sink.count(name, n, labels)


def snapshot():
    """This process's tally as sorted (name, value) pairs, read consistently."""
    with _lock:
        return sorted(counters.items())


def upload(status):
    _tally(f"uploads_{status}_total")
    _sink.upload(status)


def begin():
    """Start the notes of a request (the web layer calls it first thing); returns them."""
    notes = {"cache": None, "upstream_calls": 0}
    _notes.set(notes)
    return notes


def end():
    """The notes of the request that ends, no longer written to."""
    notes = _notes.get()
    _notes.set(None)
    return notes or {"cache": None, "upstream_calls": 0}


def upstream_call(provider, outcome, seconds):
    """One request sent upstream (counted whatever came back)."""
    _tally("upstream_requests_total")
    _sink.upstream(provider, outcome, seconds)
    notes = _notes.get()
    if notes is not None:
        notes["upstream_calls"] += 1


# Severity order: a request that touched a stale answer is "stale" even if another part was a hit.
_RANK = {"hit": 0, "revalidated": 1, "miss": 2, "stale": 3, "bypass": 4}


def note_cache(outcome):
    """outcome: hit | revalidated | miss | stale | bypass (Redis unavailable)."""
    _tally(f"cache_{outcome}_total")
    _sink.cache(outcome)
    notes = _notes.get()
    if notes is not None and (notes["cache"] is None or _RANK[outcome] > _RANK[notes["cache"]]):
        notes["cache"] = outcome
