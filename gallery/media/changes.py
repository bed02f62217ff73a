"""Telling every process's memos that something changed: a medium was hidden, a product's gallery was
invalidated. Memos (the freshness memo of each source, the rendered answers of /api/v1) then forget
everything they hold, so that no process keeps serving what changed.

publish() sends a message on CHANNEL, and one daemon thread per process and Redis server (`watch`)
tells the memos of that process to forget: on each message, on each (re)subscription (messages
published while it was disconnected are lost) and when the connection fails. The announcing process
also tells its own memos at once (forget_here), without waiting for the round trip.
"""
import logging
import os
import threading
import time
import weakref

import redis
import redis.sentinel

log = logging.getLogger(__name__)

CHANNEL = "gallery:changes"  # a message per change: what changed, for the logs


def publish(r, what):
    """Announce a change through `r` (a client or a pipeline); the caller also calls forget_here()."""
    r.publish(CHANNEL, what)


def announce(r, what):
    publish(r, what)
    forget_here()


def forget_here():
    with _watchers_lock:
        watchers = list(_watchers.values())
    for watcher in watchers:
        watcher.forget()


_watchers = {}  # (pid, Redis server) -> _Watcher of this process
_watchers_lock = threading.Lock()


def watch(r, memo):
    """Have `memo.forget()` called whenever something may have changed, in any process; returns
    the watcher, whose `listening` says whether a message would be heard right now (memoise only then).

    `memo` is held weakly. The thread starts on the first call in each process (gunicorn workers
    fork before it), reconnects with a backoff, and ends once none of its memos is left."""
    pool = r.connection_pool
    kwargs = pool.connection_kwargs
    where = (os.getpid(), kwargs.get("path"), kwargs.get("host"), kwargs.get("port"), kwargs.get("db"),
             getattr(pool, "service_name", None))  # a Sentinel's service: its primary may move
    with _watchers_lock:
        watcher = _watchers.get(where)
        if watcher is None:
            watcher = _watchers[where] = _Watcher(r, where)
            watcher.start()  # its first look at `memos` waits for this lock: it will see `memo`
        watcher.memos.add(memo)
    return watcher


def _pool_like(pool):
    """A pool of our own, to the same server (or Sentinel service) with the same settings."""
    if isinstance(pool, redis.sentinel.SentinelConnectionPool):
        kwargs = {k: v for k, v in pool.connection_kwargs.items() if k != "connection_pool"}  # the old one's
        return pool.__class__(pool.service_name, pool.sentinel_manager, connection_class=pool.connection_class,
                              **kwargs)
    return pool.__class__(connection_class=pool.connection_class, **pool.connection_kwargs)


class _Watcher(threading.Thread):
    POLL = 5  # seconds between checks that some memo is still there
    MAX_BACKOFF = 5  # seconds between reconnection attempts, at most

    def __init__(self, r, where):
        super().__init__(name="gallery-changes-watch", daemon=True)
        self._redis = redis.Redis(connection_pool=_pool_like(r.connection_pool))
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
