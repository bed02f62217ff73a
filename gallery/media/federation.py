"""Federated galleries: one listing drawn from several sources, by a mix.

Pure domain: the mix (parse_mix, Mix), which sources can serve a listing (choose), and Federated, a
Catalogue over several others (the registry's, before their reported media are hidden: the
registry hides them from the mixed page instead, so that a report never shifts a source's place).

How a page is made. Each member is asked for its own pages of `limit` media, in its own order, with
the request's sort when it has it and its default otherwise (`recent`, else its first sort). The mix
picks the media one at a time from the heads of those pages:
- `sequence`: all of the first member, then the next;
- `interleave` with weights: a smooth weighted round robin (2:1 gives A B A A B A ...);
- under `recent`, `interleave` merges by `date_published`, newest first (no date: oldest).
The continuation state holds each member's own place: the state of the member page being read and
how many of its media are served ([state, skip]; null when the member is done, absent when not yet
asked), and where the round robin stands. Re-reading a member page costs no upstream call (the
member's caches keep it), so walking the cursor yields every medium of every member exactly once.

A member failing (UpstreamError) keeps its place and the page is made of the others: its name is in
`partial`, and its media come on later pages once it answers. When every member asked fails, the
failure is raised. A member that does not know the product (NotFound) is done; all of them: NotFound.
A member whose own pagination expired upstream (PaginationExpired) leaves the walk and the others go
on; when no other member has anything left to give, the walk itself has expired (raised).

When every member is needed, their pages are read at once by a pool of threads per process. Each
upstream call of a member is bounded (the client's timeouts, its in-flight cap and circuit breaker),
but a read may make several calls, and waiting on another thread's fetch of the same page (single
flight) holds a thread for about one timeout too: a hung provider can hold every pool thread for
seconds. So a read is handed to the pool only when one of its threads is free, else the request's own
thread reads it: no request waits on the others' hung reads.
"""
import contextvars
import dataclasses
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import observe
from .models import Freshness, InvalidState, Item, NotFound, Page, PaginationExpired, UpstreamError

MODES = ("interleave", "sequence")
MAX_WEIGHT = 100
MEMBER_PAGES = 3  # member pages read per request at most: a bound when members give short pages
PARTIAL_MAX_AGE = 5  # seconds a page missing a failing member may be kept: it should come back soon
PREFETCH_THREADS = 8  # per process: members' first pages asked at once, so a cold page waits for the slowest only
# (when all are busy, a request reads its members itself: see _prefetch)
_WEIGHT = re.compile(r"^([a-z0-9_]+):([0-9]{1,3})$")
_OLDEST = datetime.min.replace(tzinfo=timezone.utc)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mix:
    """mode: interleave | sequence; weights: (name, weight) pairs named explicitly (others weigh 1)."""

    mode: str = "interleave"
    weights: tuple = ()

    def weight(self, name):
        return dict(self.weights).get(name, 1)

    def label(self, names):
        """This mix over `names`, in one spelling: what a cursor is bound to."""
        if self.mode == "sequence":
            return "sequence"
        return "interleave:" + ",".join(f"{name}={self.weight(name)}" for name in names)


def parse_mix(text):
    """`interleave`, `sequence`, or weights `olapic:2,momapix:1` (an interleave; providers it does not
    name weigh 1). ValueError with a message for people."""
    text = (text or "").strip()
    if text in MODES:
        return Mix(text)
    weights = []
    for part in text.split(","):
        match = _WEIGHT.match(part.strip())
        if not match or not 1 <= int(match.group(2)) <= MAX_WEIGHT:
            raise ValueError(f"{text!r} is not interleave, sequence or weights like olapic:2,momapix:1 "
                             f"(whole numbers 1-{MAX_WEIGHT})")
        weights.append((match.group(1), int(match.group(2))))
    if len({name for name, _ in weights}) != len(weights):
        raise ValueError(f"{text!r} names a provider twice")
    return Mix("interleave", tuple(weights))


def choose(sources, scope, sort, filters):
    """The sources (ports.Source) that serve a listing of `scope` sorted by `sort` with `filters`, in
    order, or (field, message) when none can. A source without such listings, or lacking a filter
    that is set (a filter narrows: an unfiltered source cannot honour it), is left out; a sort is
    applied by those that have it, the others follow their default. Alone, a source must have all."""
    if len(sources) == 1:
        refusal = sources[0].capabilities.refusal(scope, sort, filters)
        return (None, (refusal[0], f"{sources[0].name}: {refusal[1]}")) if refusal else (list(sources), None)
    # What each lacks besides the sort: the listing itself, or a filter.
    refusals = [s.capabilities.refusal(scope, next(iter(s.capabilities.sorts.get(scope, ())), None), filters)
                for s in sources]
    chosen = [s for s, refusal in zip(sources, refusals) if refusal is None]
    if not chosen:
        for field_name, message in refusals:
            if field_name != "providers":
                return None, (field_name, f"no selected provider supports it ({message})")
        return None, ("providers", f"no selected provider has {scope} listings")
    if not any(sort in s.capabilities.sorts[scope] for s in chosen):
        return None, ("sort", f"sort {sort!r} is supported by no selected provider for {scope} listings")
    return chosen, None


def member_sort(capabilities, scope, sort):
    """The sort a member applies: the request's when it has it, else `recent`, else its first."""
    sorts = capabilities.sorts[scope]
    return sort if sort in sorts else "recent" if "recent" in sorts else sorts[0]


def schedule(names, mix):
    """One cycle of the smooth weighted round robin over `names` (2:1 -> A B A)."""
    weights = [(name, mix.weight(name)) for name in names]
    total = sum(w for _, w in weights)
    current, cycle = dict.fromkeys(names, 0), []
    for _ in range(total):
        for name, w in weights:
            current[name] += w
        pick = max(names, key=lambda n: current[n])  # ties: the first in order
        current[pick] -= total
        cycle.append(pick)
    return cycle


@dataclass
class MixedPage(Page):
    partial: list = field(default_factory=list)  # members that failed: their media come later


@dataclass(frozen=True)
class Member:
    name: str
    catalogue: object  # a Catalogue
    capabilities: object  # its Capabilities


class Federated:
    """A Catalogue over `members` (in order) mixed by `mix`. Its states are its own (see the module)."""

    def __init__(self, members, mix):
        self._members, self._mix = list(members), mix

    def product(self, tag_key):
        """The members' products merged: each field from the first member that has it."""
        found, freshness, failure = [], [], None
        for member in self._members:
            try:
                item = member.catalogue.product(tag_key)
            except NotFound:
                continue
            except UpstreamError as exc:
                failure = failure or exc
                continue
            found.append(item.value)
            freshness.append(item.freshness)
        if not found:
            if failure:
                raise failure
            raise NotFound(f"no product {tag_key!r}")
        merged = dict(found[0])
        for value in found[1:]:
            merged.update({k: v for k, v in value.items() if merged.get(k) is None and v is not None})
        return Item(merged, _partial_freshness(Freshness.least(freshness)) if failure else Freshness.least(freshness))

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._page("product", sort, limit, state,
                          lambda c, s, st: c.product_media(tag_key, s, limit, filters, st))

    def category_media(self, key, sort, limit, filters, state=None):
        return self._page("category", sort, limit, state,
                          lambda c, s, st: c.category_media(key, s, limit, filters, st))

    def brand_media(self, sort, limit, filters, state=None):
        return self._page("brand", sort, limit, state, lambda c, s, st: c.brand_media(s, limit, filters, st))

    def medium(self, media_id):
        raise NotFound(f"no medium {media_id!r}")  # media are found by their own provider (registry.for_media)

    def invalidate(self, tag_key):
        for member in self._members:
            member.catalogue.invalidate(tag_key)

    def _page(self, scope, sort, limit, state, ask):
        names = [m.name for m in self._members]
        turn, places = _resume(state, names)
        cycle = schedule(names, self._mix)
        readers = [_Reader(m, member_sort(m.capabilities, scope, sort), places.get(m.name, _NEW), ask)
                   for m in self._members]
        by_date = self._mix.mode == "interleave" and sort == "recent"
        if by_date or (self._mix.mode == "interleave" and limit >= len(cycle)):  # every member is needed
            _prefetch(readers)
        by_name = {r.member.name: r for r in readers}
        items = []
        while len(items) < limit:
            if by_date:  # every member's head is needed
                ready = [r for r in readers if r.ready()]
                reader = max(ready, key=lambda r: _date(r.head())) if ready else None  # ties: the first
            elif self._mix.mode == "sequence":
                reader = next((r for r in readers if r.ready()), None)
            else:  # the next member in the cycle that has media now
                reader = None
                for _ in cycle:
                    candidate, turn = by_name[cycle[turn % len(cycle)]], turn + 1
                    if candidate.ready():
                        reader = candidate
                        break
            if reader is None:
                break
            items.append(reader.take())
        answered = any(r.answered for r in readers)
        failed = [r for r in readers if r.failure]
        if failed and not answered:
            raise failed[0].failure
        expired = [r for r in readers if r.expired]
        if expired and not answered:  # nothing of the walk is left to serve: the cursor has expired
            raise expired[0].expired
        for reader in expired:
            observe.count("federated_member_expired_total")
            log.warning("federation: %s's pagination expired mid-walk; the walk goes on without it",
                        reader.member.name)
        if state is None and not answered:
            raise NotFound("no selected provider knows it")
        freshness = Freshness.least([f for r in readers for f in r.freshness] or [Freshness(0)])
        if failed:
            freshness = _partial_freshness(freshness)
            for reader in failed:
                observe.count("federated_partial_total")
                log.warning("%s failed (%s): a %s page was served without its media", reader.member.name,
                            reader.failure.kind, scope)
        next_places = {r.member.name: r.place for r in readers if r.place is not _NEW}
        done = all(r.place is None for r in readers)
        next_state = None if done else {"f": 1, "t": turn % len(cycle), "p": next_places}
        return MixedPage(items, next_state, freshness, [r.member.name for r in failed])


_NEW = "new"  # a member not asked yet: it starts from its first page


class _Reader:
    """One member's media, read from its place on: [state, skip] (None: done; _NEW: first page)."""

    def __init__(self, member, sort, place, ask):
        self.member, self._sort, self.place, self._ask = member, sort, place, ask
        self._buffer, self._pages = None, 0
        self.answered, self.failure, self.expired, self.freshness = False, None, None, []

    def ready(self):
        """Whether a medium can be taken now, reading the member's next page when needed."""
        while self._buffer is None or (not self._buffer and self.place is not None):
            if self.place is None or self.failure or self._pages >= MEMBER_PAGES:
                return False
            state, skip = (None, 0) if self.place is _NEW else self.place
            self._pages += 1
            try:
                page = self._ask(self.member.catalogue, self._sort, state)
            except NotFound:  # it does not know the product (or no longer): done with it
                self.place, self._buffer = None, []
                return False
            except PaginationExpired as exc:  # its own place ran out upstream: the others keep theirs
                self.expired, self.place, self._buffer = exc, None, []
                return False
            except UpstreamError as exc:
                self.failure = exc
                return False
            self.answered = True
            self.freshness.append(page.freshness)
            self._page_state, self._next_state = state, page.next_state
            self._buffer = list(page.items[skip:])
            self._skip = skip
            self._advance()
        return bool(self._buffer)

    def head(self):
        return self._buffer[0]

    def take(self):
        self._skip += 1
        item = self._buffer.pop(0)
        self._advance()
        return item

    def _advance(self):
        """The place after what was taken: within the page read, or the next page once it is all served."""
        if self._buffer:
            self.place = [self._page_state, self._skip]
        elif self._next_state is not None:
            self.place = [self._next_state, 0]
        else:
            self.place = None


_pool, _pool_pid, _pool_lock = None, None, threading.Lock()
_idle = None  # the pool's threads not reading now: a read is handed over only when one is free


def _prefetch(readers):
    """Read every member's page at once (each in a copy of this request's context: its notes, its
    client for the miss limit). Failures stay with each reader; other exceptions are raised here.

    A read goes to the pool only when one of its threads is free, else this request's own thread
    reads it after its first member: nothing waits in the pool's queue behind other requests' reads,
    which a hung provider keeps for up to its timeouts (a few of them, one per upstream call)."""
    global _pool, _pool_pid, _idle
    if len(readers) < 2:
        return
    with _pool_lock:
        if _pool_pid != os.getpid():  # first use in this process (gunicorn forks after create_app)
            _pool, _pool_pid = ThreadPoolExecutor(PREFETCH_THREADS, thread_name_prefix="federation"), os.getpid()
            _idle = threading.BoundedSemaphore(PREFETCH_THREADS)
    futures, own = [], [readers[0]]
    for reader in readers[1:]:
        if _idle.acquire(blocking=False):
            futures.append(_pool.submit(_pooled, contextvars.copy_context(), reader))
        else:
            own.append(reader)
    for reader in own:
        reader.ready()
    for future in futures:
        future.result()


def _pooled(context, reader):
    try:
        context.run(reader.ready)
    finally:
        _idle.release()


def _resume(state, names):
    """(round-robin turn, {name: place}) of a state this catalogue made; InvalidState otherwise."""
    if state is None:
        return 0, {}
    try:
        turn, places = state["t"], state["p"]
        valid = (state.get("f") == 1 and isinstance(turn, int) and not isinstance(turn, bool) and turn >= 0
                 and isinstance(places, dict) and set(places) <= set(names)
                 and all(p is None or (isinstance(p, list) and len(p) == 2 and isinstance(p[1], int)
                                       and not isinstance(p[1], bool) and p[1] >= 0) for p in places.values()))
    except (KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise InvalidState("not a continuation state of this federated listing")
    return turn, places


def lift(name, state):
    """The federated state that continues one member's own state (a cursor minted before federation)."""
    return {"f": 1, "t": 0, "p": {name: [state, 0]}}


def _date(medium):
    """`date_published` as a comparable instant (naive: UTC); none or unreadable: the oldest."""
    value = medium.get("date_published")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        return _OLDEST
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _partial_freshness(freshness):
    """A page missing a member is kept a few seconds at most, and never memoised (stale)."""
    return dataclasses.replace(freshness, max_age=min(freshness.max_age, PARTIAL_MAX_AGE), stale=True)
