"""Frozen page_key snapshots: the first request of a walk fixes the ordered ids, later pages read them.

Snapshots share the ordered id tuples (cached per collection, filters and state version), so even a
benchmark that opens thousands of walks keeps only a small record per page_key.
"""
import secrets
from dataclasses import dataclass

from flask import request

from . import errors

PAGE_KEY_TTL = 43200  # seconds of sandbox clock, as the reference says
DEFAULT_COUNT, MAX_COUNT = 20, 50
_PRUNE_AT, _HARD_CAP = 20_000, 200_000
_ORDERINGS_CACHED = 256


@dataclass(slots=True)
class Snapshot:
    key: str
    path: str
    ids: tuple
    count: int
    params: dict  # filters, count etc. of the first request, repeated in every link
    created: float


def parse_int(name: str, default: int | None, low: int, high: int | None, expected: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid_type(name, "string", "integer") from None
    if value < low or (high is not None and value > high):
        raise errors.invalid_value(name, raw, expected)
    return value


def parse_count() -> int:
    return parse_int("count", DEFAULT_COUNT, 1, MAX_COUNT, f"1-{MAX_COUNT}")


def cached_order(state, key: tuple, compute) -> tuple:
    """The ordered ids of a collection, computed once per (key, state version)."""
    cache = state.orderings
    full_key = (state.version, *key)
    ids = cache.get(full_key)
    if ids is None:
        ids = cache[full_key] = tuple(compute())
        if len(cache) > _ORDERINGS_CACHED:
            cache.popitem(last=False)
    return ids


def open_page(state, now: float, path: str, compute_ids, kept: dict):
    """Return (snapshot, page_number, ids on that page) for the request, creating a snapshot if needed."""
    count = parse_count()
    page_number = parse_int("page_number", 1, 1, None, "1-n")
    page_key = request.args.get("page_key")
    if page_key is None:
        snap = Snapshot(secrets.token_hex(16), path, compute_ids(), count, kept, now)
        _store(state, snap, now)
    else:
        snap = state.snapshots.get(page_key)
        if snap is None or snap.path != path or now - snap.created > PAGE_KEY_TTL:
            raise errors.no_pagination()
    pages = max(1, -(-len(snap.ids) // snap.count))
    if page_number > pages:
        raise errors.no_pagination()
    start = (page_number - 1) * snap.count
    return snap, page_number, snap.ids[start:start + snap.count]


def _store(state, snap: Snapshot, now: float) -> None:
    snapshots = state.snapshots
    snapshots[snap.key] = snap
    if len(snapshots) > _PRUNE_AT:
        for key in [k for k, s in snapshots.items() if now - s.created > PAGE_KEY_TTL]:
            del snapshots[key]
        while len(snapshots) > _HARD_CAP:
            del snapshots[next(iter(snapshots))]


def links(ctx, snap: Snapshot, page_number: int) -> dict:
    last = max(1, -(-len(snap.ids) // snap.count))

    def link(n):
        if n < 1 or n > last:
            return {"href": None}
        return {"href": ctx.href(snap.path, page_key=snap.key, page_number=n, **snap.params)}

    return {"first": link(1), "self": link(page_number), "prev": link(page_number - 1),
            "next": link(page_number + 1)}
