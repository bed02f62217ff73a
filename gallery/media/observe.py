"""Per-request observations (cache outcome, upstream calls) and process-wide counters.

The source layer notes what happened; the request log and /metrics report it.
"""
import threading
from collections import Counter

from flask import g, has_request_context

_lock = threading.Lock()
counters = Counter()  # this process's totals, exposed on /metrics


def count(name, n=1):
    with _lock:
        counters[name] += n


def snapshot():
    """The counters as sorted (name, value) pairs, read consistently."""
    with _lock:
        return sorted(counters.items())


def note_upstream_call():
    count("upstream_requests_total")
    if has_request_context():
        g.upstream_calls = g.get("upstream_calls", 0) + 1


# Severity order: a request that touched a stale answer is "stale" even if another part was a hit.
_RANK = {"hit": 0, "revalidated": 1, "miss": 2, "stale": 3, "bypass": 4}


def note_cache(outcome):
    """outcome: hit | revalidated | miss | stale | bypass (Redis unavailable)."""
    count(f"cache_{outcome}_total")
    if has_request_context():
        current = g.get("cache")
        if current is None or _RANK[outcome] > _RANK[current]:
            g.cache = outcome
