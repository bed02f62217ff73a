"""This process's rendered answers of /api/v1, so that repeating a fresh one costs neither the
source, nor marshmallow, nor JSON encoding, nor hashing: only the lookup of its bytes.

An answer is kept while its upstream freshness lasts (LRU, within a byte budget), keyed by what
shapes the body: the route, its decoded arguments and the query, parsed and sorted. Never by the raw
path and query string, in which a tag key holding "?" would read as another route's query. Errors and
stale answers are never kept. A memo hit skips the reported-media filter (gallery/media/hiding.py), so
answers are kept only while the process hears of changes (gallery/media/changes.py), and all are
forgotten on each one.
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


def memoized(view):
    """A view that returns (payload, Freshness) becomes a cached JSON answer (caching.py), memoised."""
    @wraps(view)
    def memoized_view(**kwargs):
        answers = current_app.extensions["rendered_answers"]
        key = json.dumps([request.endpoint, sorted(kwargs.items()), sorted(request.args.items(multi=True))])
        kept = answers.get(key)
        if kept is not None:
            observe.count("answer_memo_hits_total")
            observe.note_cache("hit")
            return respond(*kept)
        generation = answers.generation()
        payload, freshness = view(**kwargs)
        body, etag = render(payload)
        if not freshness.stale:
            answers.put(key, generation, body, etag, freshness.max_age, freshness.usable_for)
        return respond(body, etag, freshness.max_age, freshness.usable_for)
    return memoized_view
