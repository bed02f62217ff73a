"""Per-request observations (cache outcome, upstream calls) and process-wide counters.

Sources and the upstream layer note what happened; the request log and /metrics report it. No Flask
here: the web layer opens a request's notes with begin(); outside a request (the worker, the CLI,
background refreshes) only the counters move.
"""
import threading
from collections import Counter
from contextvars import ContextVar

_lock = threading.Lock()
counters = Counter()  # this process's totals, exposed on /metrics
_notes = ContextVar("gallery_request_notes", default=None)


def count(name, n=1):
    with _lock:
        counters[name] += n


def snapshot():
    """The counters as sorted (name, value) pairs, read consistently."""
    with _lock:
        return sorted(counters.items())


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


def note_upstream_call():
    count("upstream_requests_total")
    notes = _notes.get()
    if notes is not None:
        notes["upstream_calls"] += 1


# Severity order: a request that touched a stale answer is "stale" even if another part was a hit.
_RANK = {"hit": 0, "revalidated": 1, "miss": 2, "stale": 3, "bypass": 4}


def note_cache(outcome):
    """outcome: hit | revalidated | miss | stale | bypass (Redis unavailable)."""
    count(f"cache_{outcome}_total")
    notes = _notes.get()
    if notes is not None and (notes["cache"] is None or _RANK[outcome] > _RANK[notes["cache"]]):
        notes["cache"] = outcome
