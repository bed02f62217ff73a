"""This process's rendered answers of /api/v1, so that repeating a fresh one costs neither the
source, nor marshmallow, nor JSON encoding, nor hashing: only the lookup of its bytes.

An answer is kept while its upstream freshness lasts (LRU, within a byte budget), keyed by what
shapes the body: the route, its decoded arguments and the query, parsed and sorted. Never by the raw
path and query string, in which a tag key holding "?" would read as another route's query. Errors and
stale answers are never kept. A memo hit skips the reported-media filter (gallery/media/hiding.py), so
answers are kept only while the process hears of changes (gallery/media/changes.py), and all are
forgotten on each one.

Within a process, one thread renders a given answer at a time: the others asking for it meanwhile
wait for it (up to about one upstream timeout), instead of each asking the source, parsing the same
upstream pages and rendering the same bytes at once, which a cold burst would otherwise multiply by
the threads (and the worker's memory with it). The waiters take the renderer's answer even when it
is not kept (a stale one, such as a federated page missing a failing provider): a burst while a
provider is down costs one render, and the answer is kept no longer than for them.
"""
import json
import os
import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, request

from ..media import changes, observe
from ..extensions import get_redis
from .caching import render, respond

MAX_BYTES = 32 * 2**20  # per process: a few hundred pages of media


class RenderedAnswers:
    def __init__(self, max_bytes=MAX_BYTES):
        self._max_bytes, self._bytes = max_bytes, 0
        self._entries = OrderedDict()  # key -> (body, etag, monotonic expiry, monotonic end of usability or None)
        self._lock = threading.Lock()
        self._generation = 0  # bumped by forget(): an answer rendered before it is not kept
        self._watcher, self._pid = None, None
        self._rendering = {}  # key -> _Render under way

    def lead(self, key):
        """None: this thread renders `key` and calls done(key) then; else the _Render to wait on."""
        with self._lock:
            if key in self._rendering:
                return self._rendering[key]
            self._rendering[key] = _Render()
        return None

    def done(self, key, generation=None, answer=None):
        """The render of `key` is over: its waiters wake, with `answer` (body, etag, max_age,
        usable_for) when it was rendered from what is still current (nothing forgotten since `generation`)."""
        with self._lock:
            render = self._rendering.pop(key, None)
            if render is not None and answer is not None and generation == self._generation:
                render.answer = answer
        if render is not None:
            render.finished.set()

    def get(self, key):
        """(body, etag, seconds of freshness left, seconds of usability left or None) of a kept answer, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            now = time.monotonic()
            left = entry[2] - now
            if left <= 0:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        usable = None if entry[3] is None else int(entry[3] - now)
        return entry[0], entry[1], int(left), usable  # whole seconds, rounded down: never fresher than upstream

    def generation(self):
        """Take before asking the source; `put` keeps the answer only if nothing was forgotten since."""
        if self._pid != os.getpid():  # first use in this process (gunicorn forks after create_app)
            self._watcher, self._pid = changes.watch(get_redis(), self), os.getpid()
        return self._generation

    def put(self, key, generation, body, etag, max_age, usable_for=None):
        if max_age <= 0 or len(body) > self._max_bytes or not self._watcher.listening:
            return
        with self._lock:
            if generation != self._generation:
                return
            self._drop(key)
            now = time.monotonic()
            self._entries[key] = (body, etag, now + max_age, None if usable_for is None else now + usable_for)
            self._bytes += len(body)
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def forget(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._generation += 1

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0])


class _Render:
    """One render under way: its waiters wait for `finished`, then take `answer` if it was left."""

    def __init__(self):
        self.finished, self.answer = threading.Event(), None


def memoized(view):
    """A view that returns (payload, Freshness) becomes a cached JSON answer (caching.py), memoised."""
    @wraps(view)
    def memoized_view(**kwargs):
        answers = current_app.extensions["rendered_answers"]
        key = memo_key(request.endpoint, kwargs, request.args.items(multi=True))
        kept = answers.get(key)
        waiting = None if kept is not None else answers.lead(key)
        if waiting is not None:  # another thread renders it: its answer is ours
            config = current_app.config
            waiting.finished.wait(config["UPSTREAM_CONNECT_TIMEOUT"] + config["UPSTREAM_READ_TIMEOUT"])
            kept = answers.get(key)
            if kept is None and waiting.answer is not None:  # not kept (stale): shared with us only
                observe.count("answer_memo_shared_total")
                return respond(*waiting.answer)
        if kept is not None:
            observe.count("answer_memo_hits_total")
            observe.note_cache("hit")
            return respond(*kept)
        answer, generation = None, None
        try:
            generation = answers.generation()
            payload, freshness = view(**kwargs)
            body, etag = render(payload)
            answer = (body, etag, freshness.max_age, freshness.usable_for)
            if not freshness.stale:
                answers.put(key, generation, *answer)
        finally:
            if waiting is None:
                answers.done(key, generation, answer)
        return respond(*answer)
    memoized_view.memoized = True  # the memo front (front.py) serves its hits before Flask's dispatch
    return memoized_view


def memo_key(endpoint, view_args, query_pairs):
    """What shapes an answer: the route, its decoded arguments and the parsed query, sorted."""
    return json.dumps([endpoint, sorted(view_args.items()), sorted(query_pairs)])
