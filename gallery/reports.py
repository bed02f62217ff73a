"""Reported media, hidden from our own answers at once.

Olapic moves a reported medium to its moderation queue, but its CDN (and our own cache, which may
serve stale answers while the upstream fails) keeps serving it for a while. So the service keeps the
ids it reported in a Redis sorted set, scored by when hiding them may stop (REPORT_HIDE_SECONDS), and
every worker and instance leaves them out of media lists and answers 404 for them by id.

If Redis is down, media are served unfiltered (fail open) and that is logged and counted.

Each process also memoises rendered answers (gallery/api/memo.py), which skip this filter. So hide()
publishes the id on CHANNEL, and one daemon thread per process and Redis server (`watch`) tells the
memos of that process to forget everything: on each message, on each (re)subscription (messages
published while it was disconnected are lost) and when the connection fails. The reporting process
also tells its own memos at once, without waiting for the round trip.
"""
import logging
import os
import threading
import time
import weakref

import redis

from . import observe
from .sources.base import NotFound

log = logging.getLogger(__name__)

KEY = "gallery:reports:hidden"
CHANNEL = "gallery:reports:hidden"  # a message per hidden or restored medium: its id


def _reason_key(media_id):
    return f"gallery:reports:reason:{media_id}"


def hide(r, media_id, seconds, reason=""):
    now = time.time()
    with r.pipeline() as pipe:
        pipe.zadd(KEY, {str(media_id): now + seconds})
        pipe.zremrangebyscore(KEY, "-inf", now)  # forget the hidings that ran out
        pipe.set(_reason_key(media_id), reason, ex=seconds)  # for the operator (cli.py), never an email
        pipe.publish(CHANNEL, str(media_id))  # after the zadd: whoever hears it sees the medium hidden
        pipe.execute()
    _tell_memos()


def restore(r, media_id):
    """Show a hidden medium again (an operator's decision); False if it was not hidden."""
    with r.pipeline() as pipe:
        pipe.zrem(KEY, str(media_id))
        pipe.delete(_reason_key(media_id))
        pipe.publish(CHANNEL, str(media_id))  # memos forget the answers that left it out
        removed = pipe.execute()[0]
    _tell_memos()
    return bool(removed)


def hidden_list(r):
    """[(media_id, hidden until (epoch seconds), reason)] of every medium hidden now, soonest back first."""
    now = time.time()
    entries = r.zrangebyscore(KEY, now, "+inf", withscores=True)
    reasons = r.mget([_reason_key(m.decode()) for m, _ in entries]) if entries else []
    return [(m.decode(), until, (reason or b"").decode()) for (m, until), reason in zip(entries, reasons)]


def _tell_memos():
    with _watchers_lock:
        watchers = list(_watchers.values())
    for watcher in watchers:
        watcher.forget()


def hidden(r, media_ids):
    """The subset of `media_ids` currently hidden; empty when Redis cannot tell."""
    media_ids = [str(i) for i in media_ids]
    if not media_ids:
        return set()
    try:
        scores = r.zmscore(KEY, media_ids)
    except redis.RedisError as exc:
        observe.count("report_filter_unavailable_total")
        log.warning("Redis unavailable (%s): reported media are not filtered out", type(exc).__name__)
        return set()
    now = time.time()
    return {i for i, score in zip(media_ids, scores) if score is not None and score > now}


class HidingReported:
    """A MediaSource that leaves out reported media: wraps the real one, and is what get_source() gives."""

    def __init__(self, source, redis_client):
        self._source, self._redis = source, redis_client

    def product(self, tag_key):
        return self._source.product(tag_key)

    def product_media(self, *args, **kwargs):
        return self._drop(self._source.product_media(*args, **kwargs))

    def category_media(self, *args, **kwargs):
        return self._drop(self._source.category_media(*args, **kwargs))

    def brand_media(self, *args, **kwargs):
        return self._drop(self._source.brand_media(*args, **kwargs))

    def medium(self, media_id):
        if hidden(self._redis, [media_id]):
            raise NotFound(f"medium {media_id} was reported")
        return self._source.medium(media_id)

    def _drop(self, page):
        gone = hidden(self._redis, [item["id"] for item in page.items])
        if gone:
            page.items = [item for item in page.items if item["id"] not in gone]
        return page


# -- telling memos (gallery/api/memo.py) that a medium was hidden ------------------------------------

_watchers = {}  # (pid, Redis server) -> _Watcher of this process
_watchers_lock = threading.Lock()


def watch(r, memo):
    """Have `memo.forget()` called whenever a medium may have been hidden, by any process; returns
    the watcher, whose `listening` says whether a message would be heard right now (memoise only then).

    `memo` is held weakly. The thread starts on the first call in each process (gunicorn workers
    fork before it), reconnects with a backoff, and ends once none of its memos is left."""
    kwargs = r.connection_pool.connection_kwargs
    where = (os.getpid(), kwargs.get("path"), kwargs.get("host"), kwargs.get("port"), kwargs.get("db"))
    with _watchers_lock:
        watcher = _watchers.get(where)
        if watcher is None:
            watcher = _watchers[where] = _Watcher(r, where)
            watcher.start()  # its first look at `memos` waits for this lock: it will see `memo`
        watcher.memos.add(memo)
    return watcher


class _Watcher(threading.Thread):
    POLL = 5  # seconds between checks that some memo is still there
    MAX_BACKOFF = 5  # seconds between reconnection attempts, at most

    def __init__(self, r, where):
        super().__init__(name="gallery-reports-watch", daemon=True)
        pool = r.connection_pool  # a connection of our own, same server and settings
        self._redis = redis.Redis(connection_pool=pool.__class__(connection_class=pool.connection_class,
                                                                 **pool.connection_kwargs))
        self._where = where
        self.memos = weakref.WeakSet()
        self.listening = False

    def forget(self):
        with _watchers_lock:
            memos = list(self.memos)
        for memo in memos:
            memo.forget()

    def run(self):
        backoff = 0.1
        while self._wanted():
            pubsub = self._redis.pubsub()
            try:
                pubsub.subscribe(CHANNEL)
                while self._wanted():
                    message = pubsub.get_message(timeout=self.POLL)
                    if message and message["type"] == "subscribe":  # also after redis-py reconnects by itself
                        self.forget()
                        self.listening, backoff = True, 0.1
                    elif message and message["type"] == "message":
                        self.forget()
            except (redis.RedisError, OSError) as exc:
                if self.listening:
                    log.warning("Redis unavailable (%s): answers are not memoised until it is back",
                                type(exc).__name__)
            finally:
                self.listening = False
                self.forget()
                pubsub.close()
            time.sleep(backoff)
            backoff = min(backoff * 2, self.MAX_BACKOFF)
        self._redis.close()

    def _wanted(self):
        with _watchers_lock:
            if self.memos:
                return True
            if _watchers.get(self._where) is self:
                del _watchers[self._where]  # the next watch() starts another
            return False
